import Foundation

/// What `cost` needs of the common transcript lines (assistant and tool-result lines,
/// attachments, progress and skipped kinds), walked from the bytes without making a String.
///
/// Also the CLI's cost-state lines. The walk is ``FastLineDecoder/decodeLine(_:dropBodies:dropAssistantText:messageWanted:)``
/// at ``ReadDetail/usage`` with the same primitives, and at least as strict: it reads a line
/// only when that decoder would read it the same way, and gives up (nil) on anything else: a
/// type it does not handle, a string with an escape or a byte outside printable ASCII where
/// the value is needed, prompt text, images, a second `message`. A line
/// it gives up on is decoded the full way. ``disagreement(_:)``, used by `UsageSessionTests`
/// and the transcript fuzzer, compares the two.
struct UsageLine {
    enum Kind {
        /// A kind that is recognised and not decoded (queue operations, request records…).
        case skipped
        /// A chain link: attachment or progress.
        case link
        case user
        case assistant
        /// The CLI's running cost (`totalCostUSD`).
        case costState
    }

    var kind = Kind.skipped
    var uuid: ByteSpan?
    var parent: ByteSpan?
    var logicalParent: ByteSpan?
    var agentID: ByteSpan?
    var timestamp: ByteSpan?
    var requestID: ByteSpan?
    var isSidechain: Bool?
    var isMeta: Bool?
    var isCompactSummary: Bool?
    var isAPIError: Bool?
    var attachmentType: ByteSpan?
    /// `toolUseResult.agentId` (the older way a Task result names its subagent).
    var resultAgentID: ByteSpan?
    var messageID: ByteSpan?
    var model: ByteSpan?
    var usage: RawUsage?
    /// Whether the content holds a `tool_result` block, and the first one's `tool_use_id`.
    var hasToolResult = false
    var firstToolResultID: ByteSpan?
    /// `totalCostUSD`, read as the decoder reads it (on any line).
    var totalCost: Double?
    /// `toolDenialKind` is `"interrupted"`.
    var isInterrupted = false

    /// Walks `line`; nil when the full decoder must read it. Tool call ids (an empty span for
    /// a call without one) are appended to `toolUseIDs`.
    static func walk(_ line: UnsafeRawBufferPointer, toolUseIDs: inout [ByteSpan]) -> UsageLine? {
        guard let base = line.baseAddress else { return nil }
        var c = FastLineDecoder.Cursor(base: base, end: line.count)
        var out = UsageLine()
        var sawType = false
        var sawMessage = false
        var messageLater: (start: Int, end: Int)?
        let firstToolUse = toolUseIDs.count
        let ok = FastLineDecoder.object(&c) { key, c in
            switch key {
            case "type":
                guard !sawType, let span = plainValue(&c) else { return false }
                sawType = true
                switch bytes(span, base) {
                case "assistant": out.kind = .assistant
                case "user": out.kind = .user
                case "attachment", "progress": out.kind = .link
                case "cost-state": out.kind = .costState
                case let type where LineDecoder.skippedTypes.contains(type): out.kind = .skipped
                default: return false
                }
                return true
            case "uuid": return value(&c, into: &out.uuid)
            case "parentUuid": return value(&c, into: &out.parent)
            case "logicalParentUuid": return value(&c, into: &out.logicalParent)
            case "agentId": return value(&c, into: &out.agentID)
            case "timestamp": return value(&c, into: &out.timestamp)
            case "requestId": return value(&c, into: &out.requestID)
            case "subtype", "cwd", "version", "summary", "customTitle", "aiTitle": return validString(&c)
            case "isSidechain": return FastLineDecoder.bool(&c, into: &out.isSidechain)
            case "isMeta": return FastLineDecoder.bool(&c, into: &out.isMeta)
            case "isCompactSummary": return FastLineDecoder.bool(&c, into: &out.isCompactSummary)
            case "isApiErrorMessage": return FastLineDecoder.bool(&c, into: &out.isAPIError)
            case "totalCostUSD": return FastLineDecoder.double(&c, into: &out.totalCost)
            case "toolDenialKind":
                c.skipWhitespace()
                guard c.peek == UInt8(ascii: "\"") else { return c.skipValue() }
                guard let span = plainValue(&c) else { return false }
                out.isInterrupted = "interrupted" ~= bytes(span, base)
                return true
            case "content":
                c.skipWhitespace()
                return c.peek == UInt8(ascii: "\"") ? validString(&c) : c.skipValue()
            case "toolUseResult":
                c.skipWhitespace()
                out.resultAgentID = nil
                guard c.peek == UInt8(ascii: "{") else { return c.skipValue() }
                return FastLineDecoder.object(&c) { key, c in
                    guard key == "agentId" else { return c.skipValue() }
                    c.skipWhitespace()
                    guard c.peek == UInt8(ascii: "\"") else { return c.skipValue() }
                    return value(&c, into: &out.resultAgentID)
                }
            case "message":
                c.skipWhitespace()
                if c.peek == UInt8(ascii: "n") { return c.skipValue() }
                guard !sawMessage else { return false }
                sawMessage = true
                guard sawType else {
                    // The CLI writes an assistant line's message before its type: walked
                    // once the type is known.
                    let start = c.at
                    guard c.skipValue() else { return false }
                    messageLater = (start, c.at)
                    return true
                }
                switch out.kind {
                case .user, .assistant: return message(&c, into: &out, base: base, toolUseIDs: &toolUseIDs)
                case .link, .skipped: return c.skipValue()
                case .costState: return false  // the decoder reads its message: read the full way
                }
            case "attachment":
                c.skipWhitespace()
                guard c.peek == UInt8(ascii: "{") else { return c.skipValue() }
                return FastLineDecoder.object(&c) { key, c in key == "type" ? value(&c, into: &out.attachmentType) : c.skipValue() }
            default:
                return c.skipValue()
            }
        }
        c.skipWhitespace()
        var read = ok && sawType && c.at == c.end
        if read, let later = messageLater {
            switch out.kind {
            case .user, .assistant:
                var inner = FastLineDecoder.Cursor(base: base, end: later.end, at: later.start)
                read = message(&inner, into: &out, base: base, toolUseIDs: &toolUseIDs) && inner.at == later.end
            case .costState:
                read = false  // the decoder reads its message: read the full way
            case .link, .skipped:
                break
            }
        }
        guard read else {
            toolUseIDs.removeSubrange(firstToolUse...)
            return nil
        }
        return out
    }

    /// The `message` of a user or assistant line: ids, model, usage, and the kinds of its
    /// content blocks (their bodies and the assistant's text are passed over, as at
    /// ``ReadDetail/usage``; a user's text is a prompt, read the full way).
    private static func message(
        _ c: inout FastLineDecoder.Cursor, into out: inout UsageLine, base: UnsafeRawPointer, toolUseIDs: inout [ByteSpan]
    ) -> Bool {
        let isAssistant = out.kind == .assistant
        var sawContent = false
        return FastLineDecoder.object(&c) { key, c in
            switch key {
            case "id": return value(&c, into: &out.messageID)
            case "model": return value(&c, into: &out.model)
            case "role": return validString(&c)
            case "usage": return FastLineDecoder.usage(&c, into: &out.usage)
            case "content":
                guard !sawContent else { return false }
                sawContent = true
                c.skipWhitespace()
                switch c.peek {
                case UInt8(ascii: "\""): return isAssistant && validString(&c)
                case UInt8(ascii: "n"): return c.skipValue()
                case UInt8(ascii: "["): break
                default: return false
                }
                return FastLineDecoder.array(&c) { c in
                    c.skipWhitespace()
                    guard c.peek == UInt8(ascii: "{") else { return false }
                    return block(&c, into: &out, isAssistant: isAssistant, base: base, toolUseIDs: &toolUseIDs)
                }
            default:
                return c.skipValue()
            }
        }
    }

    private static func block(
        _ c: inout FastLineDecoder.Cursor, into out: inout UsageLine, isAssistant: Bool, base: UnsafeRawPointer,
        toolUseIDs: inout [ByteSpan]
    ) -> Bool {
        var type: ByteSpan?
        var id: ByteSpan?
        var toolUseID: ByteSpan?
        let ok = FastLineDecoder.object(&c) { key, c in
            switch key {
            case "type": return value(&c, into: &type)
            case "text": return isAssistant ? c.skipValue() : false
            case "thinking", "content": return c.skipValue()
            case "id": return value(&c, into: &id)
            case "tool_use_id": return value(&c, into: &toolUseID)
            case "name": return validString(&c)
            case "is_error":
                var flag: Bool?
                return FastLineDecoder.bool(&c, into: &flag)
            case "input":
                c.skipWhitespace()
                return c.skipValue()
            case "source": return false
            default: return c.skipValue()
            }
        }
        guard ok else { return false }
        switch type.map({ bytes($0, base) }) {
        case "text"?:
            // A user's text (a prompt) is read the full way.
            return isAssistant
        case "tool_use"?, "server_tool_use"?:
            toolUseIDs.append(id ?? ByteSpan(start: 0, count: 0))
        case "tool_result"?:
            if !out.hasToolResult { out.firstToolResultID = toolUseID }
            out.hasToolResult = true
        default:
            break
        }
        return true
    }

    // MARK: Values

    /// A string value whose bytes are used (ids, times): null gives nil; a string with an
    /// escape or a byte outside printable ASCII gives up.
    private static func value(_ c: inout FastLineDecoder.Cursor, into out: inout ByteSpan?) -> Bool {
        c.skipWhitespace()
        if c.peek == UInt8(ascii: "n") {
            out = nil
            return FastLineDecoder.literal(&c, "null")
        }
        guard let span = plainValue(&c) else { return false }
        out = span
        return true
    }

    /// A string of printable ASCII without escapes.
    private static func plainValue(_ c: inout FastLineDecoder.Cursor) -> ByteSpan? {
        c.skipWhitespace()
        guard c.peek == UInt8(ascii: "\""), let (s, e) = c.scanString() else { return nil }
        var i = s
        while i < e {
            let byte = c.base.load(fromByteOffset: i, as: UInt8.self)
            guard byte >= 0x20, byte < 0x7F, byte != 0x5C else { return nil }
            i += 1
        }
        return ByteSpan(start: s, count: e - s)
    }

    /// A string or null the decoder would accept (valid escapes, valid UTF-8), not kept.
    private static func validString(_ c: inout FastLineDecoder.Cursor) -> Bool {
        c.skipWhitespace()
        if c.peek == UInt8(ascii: "n") { return FastLineDecoder.literal(&c, "null") }
        guard c.peek == UInt8(ascii: "\""), let (s, e) = c.scanString() else { return false }
        return FastLineDecoder.isValidStringContent(UnsafeRawBufferPointer(start: c.base + s, count: e - s))
    }

    /// The bytes of a span of the line, for matching against literals.
    private static func bytes(_ span: ByteSpan, _ base: UnsafeRawPointer) -> SpanText {
        SpanText(bytes: UnsafeRawBufferPointer(start: base + Int(span.start), count: Int(span.count)))
    }
}

/// Bytes matched against string literals in a `switch`, and against a set of strings.
struct SpanText {
    let bytes: UnsafeRawBufferPointer

    static func ~= (literal: StaticString, text: SpanText) -> Bool {
        literal.utf8CodeUnitCount == text.bytes.count
            && (text.bytes.count == 0 || memcmp(literal.utf8Start, text.bytes.baseAddress!, text.bytes.count) == 0)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

extension Set<String> {
    fileprivate func contains(_ text: SpanText) -> Bool { contains(text.string) }
}

extension UsageLine {
    /// How the walk of `line` differs from the full decoder's reading of it at
    /// ``ReadDetail/usage``; nil when they agree or the walk gives the line up. For the tests
    /// and the transcript fuzzer.
    static func disagreement(_ line: UnsafeRawBufferPointer) -> String? {
        var ids: [ByteSpan] = []
        guard let walked = walk(line, toolUseIDs: &ids) else { return nil }
        func text(_ span: ByteSpan?) -> String? {
            span.map { String(decoding: UnsafeRawBufferPointer(rebasing: line[Int($0.start)..<Int($0.start + $0.count)]), as: UTF8.self) }
        }
        var differences: [String] = []
        func check<T: Equatable>(_ name: String, _ walk: T, _ decoder: T) {
            if walk != decoder { differences.append("\(name): walk \(walk), decoder \(decoder)") }
        }
        switch (walked.kind, LineDecoder(detail: .usage).decode(line)) {
        case (.skipped, .skipped):
            break
        case (.link, .link(let sniff)):
            check("uuid", text(walked.uuid), sniff.uuid)
            check("parentUuid", text(walked.parent), sniff.parentUUID)
            check("logicalParentUuid", text(walked.logicalParent), sniff.logicalParentUUID)
            check("attachment type", text(walked.attachmentType), sniff.attachmentType)
            check("isSidechain", walked.isSidechain ?? false, sniff.isSidechain)
            check("timestamp", text(walked.timestamp), sniff.timestamp)
        case (.user, .decoded(let raw, _)), (.assistant, .decoded(let raw, _)):
            check("type", walked.kind == .user ? "user" : "assistant", raw.type)
            check("uuid", text(walked.uuid), raw.uuid)
            check("parentUuid", text(walked.parent), raw.parentUuid)
            check("logicalParentUuid", text(walked.logicalParent), raw.logicalParentUuid)
            check("agentId", text(walked.agentID), raw.agentId)
            check("timestamp", text(walked.timestamp), raw.timestamp)
            check("requestId", text(walked.requestID), raw.requestId)
            check("isSidechain", walked.isSidechain, raw.isSidechain)
            check("isMeta", walked.isMeta, raw.isMeta)
            check("isCompactSummary", walked.isCompactSummary, raw.isCompactSummary)
            check("isApiErrorMessage", walked.isAPIError, raw.isApiErrorMessage)
            check("toolUseResult.agentId", text(walked.resultAgentID), raw.toolUseResult?.agentId)
            check("toolDenialKind is interrupted", walked.isInterrupted, raw.toolDenialKind?.value == "interrupted")
            check("message.id", text(walked.messageID), raw.message?.id)
            check("message.model", text(walked.model), raw.message?.model)
            check("message.usage", walked.usage.map(TokenUsage.init), raw.message?.usage.map(TokenUsage.init))
            check("message.usage terms", walked.usage.map(CallTerms.init), raw.message?.usage.map(CallTerms.init))
            var blocks: [RawBlock] = []
            if case .blocks(let list)? = raw.message?.content { blocks = list }
            let results = blocks.filter { $0.type == "tool_result" }
            check("has a tool result", walked.hasToolResult, !results.isEmpty)
            check("first tool_use_id", text(walked.firstToolResultID), results.first?.tool_use_id)
            let uses = blocks.filter { $0.type == "tool_use" || $0.type == "server_tool_use" }.map { $0.id ?? "" }
            check("tool use ids", ids.map { text($0) ?? "" }, uses)
        case (.costState, .decoded(let raw, _)):
            check("type", "cost-state", raw.type)
            check("totalCostUSD", walked.totalCost, raw.totalCostUSD)
            check("has a message", false, raw.message != nil)
        case (let kind, let outcome):
            differences.append("walk reads a \(kind) line, the decoder \(outcome)")
        }
        return differences.isEmpty ? nil : differences.joined(separator: "; ")
    }
}
