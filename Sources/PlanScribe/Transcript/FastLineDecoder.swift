import Foundation

/// Decodes a transcript line straight from its bytes into ``RawLine``,
/// without Codable: keys are matched as bytes, strings without escapes are copied once,
/// skipped values are jumped over with `memchr`. Anything unexpected (a field of the wrong
/// type, a number that is not a whole count) returns nil, and the Codable path decodes the
/// line instead and explains what is wrong.
enum FastLineDecoder {
    typealias Cursor = LineSniffer.Cursor

    /// Strings a file repeats from line to line: its working folder, the model, the message
    /// and request ids of a response split over lines, and the uuid of the line before, which
    /// the next line names as its parent. A field whose bytes spell the one kept here takes
    /// it instead of a new String (no copy, no UTF-8 check, no allocation).
    struct RecentStrings {
        var uuid: String?
        var cwd: String?
        var model: String?
        var messageID: String?
        var requestID: String?
    }

    /// What one line's walk has read, and what it knows of the line so far. Kept in one
    /// value passed `inout`, not in locals that closures capture: captured locals are boxed
    /// on the heap, four allocations a line.
    private struct LineWalk {
        var raw = RawLine()
        var attachmentType: String?
        /// Where a `message` written before the line's type is: decoded once the type is known.
        var messageLater: (start: Int, end: Int)?
        /// A top-level field of the wrong type was passed over: a line of a kind that is
        /// decoded is then rejected (and explained), a chain link or a skipped kind keeps
        /// what it has.
        var mismatched = false
        /// False once the type is known to be one that is not decoded (a chain link, a
        /// skipped kind): only the chain fields are read, the rest is passed over unread.
        var wantsBody = true
    }

    /// Decodes a line of any type in one walk: the top-level fields, the attachment type, and
    /// the `message` object when `messageWanted` says its type needs it (the type comes
    /// before the message in what the CLI writes; when it comes after, the message is
    /// decoded once the walk has found the type). Nil when anything is unexpected.
    static func decodeLine(
        _ line: UnsafeRawBufferPointer, dropBodies: Bool, dropAssistantText: Bool, recent: inout RecentStrings,
        messageWanted: (String) -> Bool
    ) -> (raw: RawLine, attachmentType: String?)? {
        guard let base = line.baseAddress else { return nil }
        var c = Cursor(base: base, end: line.count)
        var walk = LineWalk()
        guard topLevel(&c, into: &walk, dropBodies: dropBodies, dropAssistantText: dropAssistantText, recent: &recent, messageWanted: messageWanted) else { return nil }
        if let uuid = walk.raw.uuid { recent.uuid = uuid }
        c.skipWhitespace()
        guard c.at == c.end, let type = walk.raw.type, !(walk.mismatched && messageWanted(type)) else { return nil }
        if let later = walk.messageLater, messageWanted(type) {
            var inner = Cursor(base: base, end: later.end, at: later.start)
            guard message(&inner, type: type, into: &walk.raw.message, dropBodies: dropBodies, dropAssistantText: dropAssistantText, recent: &recent),
                inner.at == later.end
            else { return nil }
        }
        return (walk.raw, walk.attachmentType)
    }

    /// The top-level object of a line, into `w`.
    private static func topLevel(
        _ c: inout Cursor, into w: inout LineWalk, dropBodies: Bool, dropAssistantText: Bool, recent: inout RecentStrings,
        messageWanted: (String) -> Bool
    ) -> Bool {
        object(&c) { key, c in
            // A field that keeps no recent value.
            var none: String?
            switch key {
            case "type":
                guard chainText(&c, &w.raw.type, reusing: &none, mismatched: &w.mismatched) else { return false }
                w.wantsBody = w.raw.type.map(messageWanted) ?? true
                return true
            case "subtype": return text(&c, &w.raw.subtype, reusing: &none, wanted: w.wantsBody, mismatched: &w.mismatched)
            case "uuid": return chainText(&c, &w.raw.uuid, reusing: &none, mismatched: &w.mismatched)
            case "parentUuid":
                // Kept as the line before's uuid, which is not replaced by this parent.
                var previous = recent.uuid
                return chainText(&c, &w.raw.parentUuid, reusing: &previous, mismatched: &w.mismatched)
            case "logicalParentUuid": return chainText(&c, &w.raw.logicalParentUuid, reusing: &none, mismatched: &w.mismatched)
            case "agentId": return text(&c, &w.raw.agentId, reusing: &none, wanted: w.wantsBody, mismatched: &w.mismatched)
            case "timestamp": return chainText(&c, &w.raw.timestamp, reusing: &none, mismatched: &w.mismatched)
            case "cwd": return text(&c, &w.raw.cwd, reusing: &recent.cwd, wanted: w.wantsBody, mismatched: &w.mismatched)
            case "version": return text(&c, &w.raw.version, reusing: &none, wanted: w.wantsBody, mismatched: &w.mismatched)
            case "requestId": return text(&c, &w.raw.requestId, reusing: &recent.requestID, wanted: w.wantsBody, mismatched: &w.mismatched)
            case "summary": return text(&c, &w.raw.summary, reusing: &none, wanted: w.wantsBody, mismatched: &w.mismatched)
            case "customTitle": return text(&c, &w.raw.customTitle, reusing: &none, wanted: w.wantsBody, mismatched: &w.mismatched)
            case "aiTitle": return text(&c, &w.raw.aiTitle, reusing: &none, wanted: w.wantsBody, mismatched: &w.mismatched)
            case "isSidechain": return chainFlag(&c, &w.raw.isSidechain, mismatched: &w.mismatched)
            case "isMeta": return w.wantsBody ? chainFlag(&c, &w.raw.isMeta, mismatched: &w.mismatched) : c.skipValue()
            case "isCompactSummary": return w.wantsBody ? chainFlag(&c, &w.raw.isCompactSummary, mismatched: &w.mismatched) : c.skipValue()
            case "isApiErrorMessage": return w.wantsBody ? chainFlag(&c, &w.raw.isApiErrorMessage, mismatched: &w.mismatched) : c.skipValue()
            case "totalCostUSD":
                guard w.wantsBody else { return c.skipValue() }
                c.skipWhitespace()
                if let b = c.peek, b == UInt8(ascii: "-") || b == UInt8(ascii: "n") || (b >= 0x30 && b <= 0x39) { return double(&c, into: &w.raw.totalCostUSD) }
                w.mismatched = true
                return c.skipValue()
            case "toolDenialKind": return w.wantsBody ? lenient(&c, into: &w.raw.toolDenialKind) : c.skipValue()
            case "content":
                guard w.wantsBody else { return c.skipValue() }
                c.skipWhitespace()
                if c.peek == UInt8(ascii: "\"") {
                    var text: String?
                    guard string(&c, into: &text) else { return false }
                    w.raw.content = LenientString(value: text)
                    return true
                }
                w.raw.content = LenientString(value: nil)
                return c.skipValue()
            case "toolUseResult":
                guard w.wantsBody else { return c.skipValue() }
                c.skipWhitespace()
                guard c.peek == UInt8(ascii: "{") else {
                    w.raw.toolUseResult = RawToolUseResult(agentId: nil)
                    return c.skipValue()
                }
                var agent: String?
                let ok = object(&c) { key, c in key == "agentId" ? lenientString(&c, into: &agent) : c.skipValue() }
                w.raw.toolUseResult = RawToolUseResult(agentId: agent)
                return ok
            case "message":
                c.skipWhitespace()
                if c.peek == UInt8(ascii: "n") { return c.skipValue() }
                guard let type = w.raw.type else {
                    let start = c.at
                    guard c.skipValue() else { return false }
                    w.messageLater = (start, c.at)
                    return true
                }
                guard messageWanted(type) else { return c.skipValue() }
                return message(&c, type: type, into: &w.raw.message, dropBodies: dropBodies, dropAssistantText: dropAssistantText, recent: &recent)
            case "attachment":
                c.skipWhitespace()
                guard c.peek == UInt8(ascii: "{") else { return c.skipValue() }
                return object(&c) { key, c in
                    var none: String?
                    return key == "type" ? chainText(&c, &w.attachmentType, reusing: &none, mismatched: &w.mismatched) : c.skipValue()
                }
            default:
                return c.skipValue()
            }
        }
    }

    /// The `message` object of a line of `type`.
    private static func message(
        _ c: inout Cursor, type: String, into out: inout RawMessage?, dropBodies: Bool, dropAssistantText: Bool, recent: inout RecentStrings
    ) -> Bool {
        var message = RawMessage()
        guard messageObject(&c, into: &message, dropBodies: dropBodies, dropText: dropAssistantText && type == "assistant", recent: &recent) else { return false }
        out = message
        return true
    }

    /// A top-level text that the chain needs (read whatever the type): a string or null; a
    /// value of another type is passed over and marks the line `mismatched`.
    private static func chainText(_ c: inout Cursor, _ out: inout String?, reusing kept: inout String?, mismatched: inout Bool) -> Bool {
        c.skipWhitespace()
        if c.peek == UInt8(ascii: "\"") || c.peek == UInt8(ascii: "n") { return string(&c, into: &out, reusing: &kept) }
        mismatched = true
        return c.skipValue()
    }

    /// A top-level text read only when the line's body is `wanted`.
    private static func text(_ c: inout Cursor, _ out: inout String?, reusing kept: inout String?, wanted: Bool, mismatched: inout Bool) -> Bool {
        wanted ? chainText(&c, &out, reusing: &kept, mismatched: &mismatched) : c.skipValue()
    }

    /// A top-level flag: true, false or null; a value of another type is passed over and
    /// marks the line `mismatched`.
    private static func chainFlag(_ c: inout Cursor, _ out: inout Bool?, mismatched: inout Bool) -> Bool {
        c.skipWhitespace()
        if c.peek == UInt8(ascii: "t") || c.peek == UInt8(ascii: "f") || c.peek == UInt8(ascii: "n") { return bool(&c, into: &out) }
        mismatched = true
        return c.skipValue()
    }

    private static func messageObject(_ c: inout Cursor, into m: inout RawMessage, dropBodies: Bool, dropText: Bool, recent: inout RecentStrings) -> Bool {
        object(&c) { key, c in
            switch key {
            case "id": return string(&c, into: &m.id, reusing: &recent.messageID)
            case "role": return string(&c, into: &m.role)
            case "model": return string(&c, into: &m.model, reusing: &recent.model)
            case "usage": return usage(&c, into: &m.usage)
            case "content":
                return content(&c, into: &m.content, dropBodies: dropBodies, dropText: dropText)
            default:
                return c.skipValue()
            }
        }
    }

    /// `message.usage`: its token counts (whole numbers or null); a null usage leaves `out`
    /// as it was.
    static func usage(_ c: inout Cursor, into out: inout RawUsage?) -> Bool {
        c.skipWhitespace()
        if c.peek == UInt8(ascii: "n") { return c.skipValue() }
        var u = RawUsage()
        let ok = object(&c) { key, c in
            switch key {
            case "input_tokens": return int(&c, into: &u.input_tokens)
            case "output_tokens": return int(&c, into: &u.output_tokens)
            case "cache_creation_input_tokens": return int(&c, into: &u.cache_creation_input_tokens)
            case "cache_read_input_tokens": return int(&c, into: &u.cache_read_input_tokens)
            case "cache_creation":
                c.skipWhitespace()
                if c.peek == UInt8(ascii: "n") { return c.skipValue() }
                var cc = RawUsage.RawCacheCreation()
                let ok = object(&c) { key, c in
                    switch key {
                    case "ephemeral_5m_input_tokens": return int(&c, into: &cc.ephemeral_5m_input_tokens)
                    case "ephemeral_1h_input_tokens": return int(&c, into: &cc.ephemeral_1h_input_tokens)
                    default: return c.skipValue()
                    }
                }
                u.cache_creation = cc
                return ok
            case "inference_geo": return lenient(&c, into: &u.inference_geo)
            case "speed": return lenient(&c, into: &u.speed)
            case "server_tool_use":
                c.skipWhitespace()
                if c.peek == UInt8(ascii: "n") { return c.skipValue() }
                var tools = RawUsage.RawServerToolUse()
                let ok = object(&c) { key, c in
                    key == "web_search_requests" ? int(&c, into: &tools.web_search_requests) : c.skipValue()
                }
                u.server_tool_use = tools
                return ok
            default: return c.skipValue()
            }
        }
        out = u
        return ok
    }

    private static func content(_ c: inout Cursor, into out: inout RawContent?, dropBodies: Bool, dropText: Bool = false) -> Bool {
        c.skipWhitespace()
        switch c.peek {
        case UInt8(ascii: "\""):
            var text: String?
            guard string(&c, into: &text) else { return false }
            out = .text(text ?? "")
            return true
        case UInt8(ascii: "["):
            var blocks: [RawBlock] = []
            let ok = array(&c) { c in
                c.skipWhitespace()
                guard c.peek == UInt8(ascii: "{") else { return false }
                var b = RawBlock()
                guard block(&c, into: &b, dropBodies: dropBodies, dropText: dropText) else { return false }
                blocks.append(b)
                return true
            }
            out = .blocks(blocks)
            return ok
        case UInt8(ascii: "n"):
            out = nil
            return c.skipValue()
        default:
            return false
        }
    }

    private static func block(_ c: inout Cursor, into b: inout RawBlock, dropBodies: Bool, dropText: Bool) -> Bool {
        object(&c) { key, c in
            switch key {
            case "type": return string(&c, into: &b.type)
            case "text": return dropText ? c.skipValue() : string(&c, into: &b.text)
            case "thinking": return dropBodies ? c.skipValue() : string(&c, into: &b.thinking)
            case "id": return string(&c, into: &b.id)
            case "name": return string(&c, into: &b.name)
            case "tool_use_id": return string(&c, into: &b.tool_use_id)
            case "tool_name": return string(&c, into: &b.tool_name)
            case "is_error": return bool(&c, into: &b.is_error)
            case "input":
                c.skipWhitespace()
                let start = c.at
                guard c.skipValue() else { return false }
                if dropBodies {
                    b.input = .object([])
                } else {
                    var inPlace = Cursor(base: c.base, end: c.at, at: start)
                    if let value = jsonValue(&inPlace, depth: 0), inPlace.at == c.at {
                        b.input = value
                    } else {
                        // What the reader leaves to JSONDecoder (and invalid input).
                        let bytes = UnsafeRawBufferPointer(start: c.base + start, count: c.at - start)
                        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else { return false }
                        b.input = value
                    }
                }
                return true
            case "content":
                if dropBodies { return c.skipValue() }
                var nested: RawContent?
                guard content(&c, into: &nested, dropBodies: dropBodies) else { return false }
                b.content = nested
                return true
            case "source":
                c.skipWhitespace()
                guard c.peek == UInt8(ascii: "{") else { return c.skipValue() }
                var source = RawBlock.RawImageSource()
                let ok = object(&c) { key, c in
                    switch key {
                    case "type": return string(&c, into: &source.type)
                    case "media_type": return string(&c, into: &source.media_type)
                    case "url": return string(&c, into: &source.url)
                    case "data":
                        c.skipWhitespace()
                        guard c.peek == UInt8(ascii: "\""), let (s, e) = c.scanString() else { return false }
                        source.dataLength = e - s
                        // Kept to be shown, at full detail and within the limit.
                        if !dropBodies, e - s <= ImageInfo.embedLimit {
                            source.data = unescape(UnsafeRawBufferPointer(start: c.base + s, count: e - s))
                        }
                        return true
                    default: return c.skipValue()
                    }
                }
                b.source = source
                return ok
            default:
                return c.skipValue()
            }
        }
    }

    /// A JSON value read in place, as `JSONValue(from:)` through JSONDecoder would give it,
    /// but with each object's members in the order written (a tool input shown as JSON reads
    /// as the agent wrote it). Numbers as JSONDecoder takes them: a whole number, also written
    /// `2.0` or `1e3`, is an `Int`, any other a `Double`. Nil for what it leaves to
    /// JSONDecoder: a key given twice, a whole number past 2⁵³ written with a fraction or an
    /// exponent, a `\u` escape of a surrogate, a raw control character in a string, nesting
    /// deeper than 64, and anything invalid.
    /// `jsonValueMatchesJSONDecoder` and the transcript fuzzer compare the two, keys sorted.
    static func jsonValue(_ c: inout Cursor, depth: Int) -> JSONValue? {
        guard depth < 64 else { return nil }
        c.skipWhitespace()
        guard let first = c.peek else { return nil }
        switch first {
        case UInt8(ascii: "{"):
            var members: [JSONValue.Member] = []
            let ok = c.walkObject(key: { Self.plainString($0) }) { key, c in
                guard let key, let value = jsonValue(&c, depth: depth + 1) else { return false }
                members.append(JSONValue.Member(key: key, value: value))
                return true
            }
            guard ok else { return nil }
            if members.count > 1 {
                var seen = Set<String>()
                for member in members where !seen.insert(member.key).inserted { return nil }
            }
            return .object(members)
        case UInt8(ascii: "["):
            var items: [JSONValue] = []
            let ok = array(&c) { c in
                guard let item = jsonValue(&c, depth: depth + 1) else { return false }
                items.append(item)
                return true
            }
            return ok ? .array(items) : nil
        case UInt8(ascii: "\""):
            guard let (s, e) = c.scanString() else { return nil }
            return plainString(UnsafeRawBufferPointer(start: c.base + s, count: e - s)).map(JSONValue.string)
        case UInt8(ascii: "t"): return literal(&c, "true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal(&c, "false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal(&c, "null") ? .null : nil
        default:
            // A whole number: digits (no leading zero) after an optional minus.
            let start = c.at
            if c.peek == UInt8(ascii: "-") { c.at += 1 }
            guard let lead = c.peek, lead >= 0x30, lead <= 0x39 else { return nil }
            if lead == 0x30, c.at + 1 < c.end {
                let next = c.base.load(fromByteOffset: c.at + 1, as: UInt8.self)
                if next >= 0x30 && next <= 0x39 { return nil }
            }
            c.at = start
            var value: Int?
            if int(&c, into: &value), let value {
                // Written with a fraction or an exponent, a whole number is exact below 2⁵³.
                for i in start..<c.at {
                    let b = c.base.load(fromByteOffset: i, as: UInt8.self)
                    if (b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")) && value.magnitude >= 1 << 53 { return nil }
                }
                return .int(value)
            }
            c.at = start
            var number: Double?
            guard double(&c, into: &number), let number, number.isFinite else { return nil }
            return .double(number)
        }
    }

    /// ``jsonValue(_:depth:)`` of a whole text (nil also when something follows the value).
    static func jsonValue(of text: String) -> JSONValue? {
        var copy = text
        return copy.withUTF8 { bytes -> JSONValue? in
            guard let base = bytes.baseAddress else { return nil }
            var c = Cursor(base: UnsafeRawPointer(base), end: bytes.count)
            guard let value = jsonValue(&c, depth: 0) else { return nil }
            c.skipWhitespace()
            return c.at == c.end ? value : nil
        }
    }

    /// JSON string contents without surrogate escapes or raw control characters (which
    /// JSONDecoder refuses; found by the transcript fuzzer), unescaped.
    private static func plainString(_ bytes: UnsafeRawBufferPointer) -> String? {
        if bytes.contains(where: { $0 < 0x20 }) { return nil }
        var at = 0
        while at + 2 < bytes.count, let hit = memchr(bytes.baseAddress! + at, 0x5C, bytes.count - at) {
            let slash = bytes.baseAddress!.distance(to: UnsafeRawPointer(hit))
            guard slash + 1 < bytes.count else { break }
            if bytes[slash + 1] == UInt8(ascii: "u"), slash + 3 < bytes.count, bytes[slash + 2] | 0x20 == UInt8(ascii: "d") {
                let third = bytes[slash + 3] | 0x20
                if (third >= 0x38 && third <= 0x39) || (third >= 0x61 && third <= 0x66) { return nil }
            }
            at = slash + 2
        }
        return unescape(bytes)
    }

    // MARK: Primitives

    /// A key as bytes, matched against literals in `switch` without making a String.
    struct Key {
        let bytes: UnsafeRawBufferPointer

        @inline(__always)
        static func ~= (literal: StaticString, key: Key) -> Bool {
            guard literal.utf8CodeUnitCount == key.bytes.count else { return false }
            // Keys are short: compared in place, eight bytes at a time, not through `memcmp`.
            let a = UnsafeRawPointer(literal.utf8Start)
            let b = key.bytes.baseAddress!
            let count = key.bytes.count
            var i = 0
            while i + 8 <= count {
                if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            while i < count {
                if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
                i += 1
            }
            return true
        }

        static func == (key: Key, literal: StaticString) -> Bool { literal ~= key }
    }

    /// Walks an object, handing each key and the cursor at its value to `member`, which must
    /// consume the value.
    static func object(_ c: inout Cursor, _ member: (Key, inout Cursor) -> Bool) -> Bool {
        c.walkObject(key: { $0 }) { bytes, c in
            guard Self.hasEscape(bytes) else { return member(Key(bytes: bytes), &c) }
            // A key written with escapes (`"typ\u0065"`) is the key it spells.
            guard var key = unescape(bytes) else { return false }
            return key.withUTF8 { member(Key(bytes: UnsafeRawBufferPointer($0)), &c) }
        }
    }

    @inline(__always)
    private static func hasEscape(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte == 0x5C { return true }
        return false
    }

    static func array(_ c: inout Cursor, _ element: (inout Cursor) -> Bool) -> Bool {
        c.skipWhitespace()
        guard c.peek == UInt8(ascii: "[") else { return false }
        c.at += 1
        c.skipWhitespace()
        if c.peek == UInt8(ascii: "]") {
            c.at += 1
            return true
        }
        while true {
            guard element(&c) else { return false }
            c.skipWhitespace()
            switch c.peek {
            case UInt8(ascii: ","): c.at += 1
            case UInt8(ascii: "]"):
                c.at += 1
                return true
            default: return false
            }
        }
    }

    /// A string or null; anything else fails.
    private static func string(_ c: inout Cursor, into out: inout String?) -> Bool {
        c.skipWhitespace()
        if c.peek == UInt8(ascii: "n") {
            out = nil
            return literal(&c, "null")
        }
        guard c.peek == UInt8(ascii: "\""), let (s, e) = c.scanString() else { return false }
        guard let text = unescape(UnsafeRawBufferPointer(start: c.base + s, count: e - s)) else { return false }
        out = text
        return true
    }

    /// A string or null, as ``string(_:into:)``; a string whose bytes spell `kept` is `kept`
    /// (not made again), any other is made and becomes `kept`.
    private static func string(_ c: inout Cursor, into out: inout String?, reusing kept: inout String?) -> Bool {
        c.skipWhitespace()
        guard c.peek == UInt8(ascii: "\"") else { return string(&c, into: &out) }
        guard let (s, e) = c.scanString() else { return false }
        let bytes = UnsafeRawBufferPointer(start: c.base + s, count: e - s)
        // Equal bytes with no backslash among them spell the same text.
        if var known = kept, known.utf8.count == bytes.count, bytes.count > 0,
            known.withUTF8({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }), !hasEscape(bytes)
        {
            out = known
            return true
        }
        guard let text = unescape(bytes) else { return false }
        out = text
        kept = text
        return true
    }

    /// A string when there is one (any other value is read as none), as ``LenientString``.
    private static func lenient(_ c: inout Cursor, into out: inout LenientString?) -> Bool {
        var text: String?
        guard lenientString(&c, into: &text) else { return false }
        out = LenientString(value: text)
        return true
    }

    /// A string when there is one; any other value is skipped.
    private static func lenientString(_ c: inout Cursor, into out: inout String?) -> Bool {
        c.skipWhitespace()
        guard c.peek == UInt8(ascii: "\"") else { return c.skipValue() }
        return string(&c, into: &out)
    }

    static func bool(_ c: inout Cursor, into out: inout Bool?) -> Bool {
        c.skipWhitespace()
        switch c.peek {
        case UInt8(ascii: "t"): out = true; return literal(&c, "true")
        case UInt8(ascii: "f"): out = false; return literal(&c, "false")
        case UInt8(ascii: "n"): out = nil; return literal(&c, "null")
        default: return false
        }
    }

    static func literal(_ c: inout Cursor, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard c.end - c.at >= n, memcmp(c.base + c.at, word.utf8Start, n) == 0 else { return false }
        c.at += n
        return true
    }

    /// A whole number that fits `Int` (`2.0` and `1e3` included), or null.
    static func int(_ c: inout Cursor, into out: inout Int?) -> Bool {
        c.skipWhitespace()
        if c.peek == UInt8(ascii: "n") {
            out = nil
            return literal(&c, "null")
        }
        let start = c.at
        var negative = false
        if c.peek == UInt8(ascii: "-") {
            negative = true
            c.at += 1
        }
        var value = 0
        var digits = 0
        while let d = c.peek, d >= 0x30, d <= 0x39 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int(d - 0x30))
            if o1 || o2 { return false }
            value = plus
            digits += 1
            c.at += 1
        }
        guard digits > 0 else { return false }
        if let next = c.peek, next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            // `2.0` or `1e3`: a whole number written otherwise is that number (as JSONDecoder
            // reads it); `2.5` is not a count.
            c.at = start
            var number: Double?
            guard double(&c, into: &number), let number, number == number.rounded(), abs(number) < 0x1p63 else { return false }
            out = Int(number)
            return true
        }
        out = negative ? -value : value
        return true
    }

    static func double(_ c: inout Cursor, into out: inout Double?) -> Bool {
        c.skipWhitespace()
        if c.peek == UInt8(ascii: "n") {
            out = nil
            return literal(&c, "null")
        }
        let start = c.at
        while let d = c.peek, (d >= 0x30 && d <= 0x39) || d == UInt8(ascii: "-") || d == UInt8(ascii: "+") || d == UInt8(ascii: ".") || d == UInt8(ascii: "e") || d == UInt8(ascii: "E") {
            c.at += 1
        }
        guard let value = Double(String(decoding: UnsafeRawBufferPointer(start: c.base + start, count: c.at - start), as: UTF8.self)) else { return false }
        out = value
        return true
    }

    /// JSON string contents to a String; nil for invalid escapes or invalid UTF-8.
    static func unescape(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let base = bytes.baseAddress else { return "" }
        if memchr(base, 0x5C, bytes.count) == nil {
            return validUTF8String(bytes)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            // Copy the run up to the next backslash in one go.
            guard let hit = memchr(base + i, 0x5C, bytes.count - i) else {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i...]))
                break
            }
            let slash = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
            if slash > i { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<slash])) }
            i = slash
            guard i + 1 < bytes.count else { return nil }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hex4(bytes, i) else { return nil }
                i += 4
                var scalar: Unicode.Scalar?
                if unit >= 0xD800 && unit < 0xDC00 {
                    // A surrogate pair.
                    if i + 6 <= bytes.count, bytes[i] == 0x5C, bytes[i + 1] == UInt8(ascii: "u"), let low = hex4(bytes, i + 2), low >= 0xDC00, low < 0xE000 {
                        i += 6
                        scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    }
                } else if unit < 0xDC00 || unit >= 0xE000 {
                    scalar = Unicode.Scalar(unit)
                }
                let s = scalar ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(s).utf8))
            default:
                return nil
            }
        }
        return out.withUnsafeBytes { validUTF8String($0) }
    }

    /// Whether every byte is below 0x80, looked at eight at a time.
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var high: UInt64 = 0
        var at = 0
        while at + 8 <= bytes.count {
            high |= base.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            at += 8
        }
        while at < bytes.count {
            high |= UInt64(base.load(fromByteOffset: at, as: UInt8.self))
            at += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// The bytes as a String, nil when they are not valid UTF-8. ASCII (ids, uuids, times:
    /// most strings of a transcript) is recognised eight bytes at a time and made without
    /// `String(validating:)`, whose generic path looks up type metadata on every call.
    static func validUTF8String(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.baseAddress != nil else { return "" }
        if isASCII(bytes) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex4(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let d = bytes[at + k]
            let n: UInt32
            switch d {
            case 0x30...0x39: n = UInt32(d - 0x30)
            case 0x41...0x46: n = UInt32(d - 0x41 + 10)
            case 0x61...0x66: n = UInt32(d - 0x61 + 10)
            default: return nil
            }
            v = v * 16 + n
        }
        return v
    }
}
