import Foundation

/// Turns one transcript line into what the session builder needs, or a diagnostic.
///
/// A line is walked once by ``FastLineDecoder``, which learns its type and decodes only what
/// that type needs into the slim ``RawLine``: kinds planscribe does not render are passed over,
/// their values jumped with `memchr`. A line the walk rejects is explained, not read another
/// way: ``LineSniffer`` finds where its JSON breaks, Codable which field is wrong.
struct LineDecoder {
    /// Line types with no place in the conversation: recognised, counted, not decoded.
    static let skippedTypes: Set<String> = [
        "api-request-blob", "api-request-shape", "api-request", "file-history-snapshot",
        "queue-operation", "atis-latch", "tools-used", "mode", "permission-mode", "tag",
        "last-prompt", "agent-name", "pr-link", "worktree-state", "content-replacement",
        "stream_event", "rate_limit_event",
    ]
    /// Line types that are decoded.
    static let decodedTypes: Set<String> = [
        "user", "assistant", "system", "summary", "custom-title", "ai-title", "cost-state",
    ]
    /// Attachment types whose bodies are large and never shown: kept as chain links only.
    static let opaqueAttachments: Set<String> = [
        "prompt_snapshot", "skill_listing", "deferred_tools_delta", "agent_listing_delta",
    ]

    /// What is done with a line of a given type.
    enum Handling {
        case decoded, link, skipped, unknown
    }

    /// How lines of `type` are handled: the common types by a string compare, the rest
    /// through the sets above.
    static func handling(of type: String) -> Handling {
        switch type {
        case "assistant", "user": return .decoded
        case "attachment", "progress": return .link
        default: break
        }
        if skippedTypes.contains(type) { return .skipped }
        return decodedTypes.contains(type) ? .decoded : .unknown
    }

    enum Outcome {
        /// A decoded line.
        case decoded(RawLine)
        /// A line kept only as a link of the conversation chain (progress, attachments).
        case link(LineSniff)
        /// A known kind that is not rendered.
        case skipped
        /// An unknown type, kept as a chain link when it has a uuid.
        case unknown(String, LineSniff)
        /// Blank line.
        case blank
        /// Unusable, with the reason.
        case malformed(String)
    }

    private let decoder = JSONDecoder()
    /// Skip the bodies of thinking, tool inputs and tool results: for summaries and costs.
    let dropBodies: Bool
    /// Skip the text of assistant lines too: for costs.
    let dropAssistantText: Bool

    /// A decoder that keeps what `detail` asks for.
    init(detail: ReadDetail = .full) {
        dropBodies = detail != .full
        dropAssistantText = detail == .usage
    }

    /// What the lines read so far repeat (see ``FastLineDecoder/RecentStrings``).
    private var recent = FastLineDecoder.RecentStrings()

    mutating func decode(_ line: UnsafeRawBufferPointer) -> Outcome {
        // One walk decodes what the line holds. A line it rejects is not read another way:
        // it is explained.
        if let (raw, attachmentType) = FastLineDecoder.decodeLine(
            line, dropBodies: dropBodies, dropAssistantText: dropAssistantText, recent: &recent,
            messageWanted: { Self.handling(of: $0) == .decoded }),
            let type = raw.type
        {
            return outcome(type: type, raw: raw, attachmentType: attachmentType)
        }
        return explain(line)
    }

    /// The outcome of a line the one-walk decoder read.
    private func outcome(type: String, raw: consuming RawLine, attachmentType: String?) -> Outcome {
        let handling = Self.handling(of: type)
        switch handling {
        case .skipped: return .skipped
        case .decoded: return .decoded(raw)
        case .link, .unknown: break
        }
        let sniff = LineSniff(
            type: type, uuid: raw.uuid, parentUUID: raw.parentUuid, logicalParentUUID: raw.logicalParentUuid,
            attachmentType: attachmentType, isSidechain: raw.isSidechain ?? false, timestamp: raw.timestamp)
        return handling == .link ? .link(sniff) : .unknown(type, sniff)
    }

    /// Why the one-walk decoder rejected a line: where its JSON breaks (``LineSniffer``), else
    /// the field Codable stops at, with the type it expected. Codable only explains: a line it
    /// would accept is not decoded by it (the transcript fuzzer checks that there is none).
    private func explain(_ line: UnsafeRawBufferPointer) -> Outcome {
        if isBlank(line) { return .blank }
        if case .failure(let failure) = LineSniffer.sniffOrFailure(line) { return .malformed(explainFailure(line, failure)) }
        let value: JSONValue
        do { value = try decoder.decode(JSONValue.self, from: Data(line)) } catch { return .malformed(Self.describe(error, line: line)) }
        guard let type = value["type"] else { return .malformed("line has no \"type\" field") }
        guard type.stringValue != nil else { return .malformed("field type: expected a string") }
        do {
            _ = try decoder.decode(RawLine.self, from: Data(line))
            return .malformed(Self.unreadable)
        } catch {
            return .malformed(Self.describe(error, line: line))
        }
    }

    /// What a line is called that neither decoder rejects with a reason: a shape planscribe
    /// does not read (the fuzzer holds this never to happen but for a key given twice).
    static let unreadable = "a line planscribe cannot read (valid JSON in a shape it does not know)"

    private func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        for byte in line where byte != 0x20 && byte != 0x09 && byte != 0x0D { return false }
        return true
    }

    /// Why a line that did not decode is not usable: the place where its JSON breaks, when
    /// the sniffer finds one, else the decoder's reason.
    static func explain(_ line: UnsafeRawBufferPointer, decodingError: any Error) -> String {
        if case .failure(let failure) = LineSniffer.sniffOrFailure(line) {
            return LineDecoder().explainFailure(line, failure)
        }
        return describe(decodingError, line: line)
    }

    /// Why a line the sniffer rejected is not usable.
    private func explainFailure(_ line: UnsafeRawBufferPointer, _ failure: LineSniffer.SyntaxFailure) -> String {
        if line.first == 0 {
            // Blocks of zeros are what a crash or a full disk leaves where lines should be.
            return "NUL bytes where a line should be (the file may be damaged)"
        }
        if failure.offset < line.count && line[failure.offset] == 0 {
            return "a NUL byte at byte \(failure.offset + 1)"
        }
        if let offset = Self.invalidUTF8Offset(line) {
            return "invalid UTF-8 at byte \(offset + 1)"
        }
        do {
            let value = try decoder.decode(JSONValue.self, from: Data(line))
            switch value {
            case .object: return "invalid JSON at byte \(failure.offset + 1)"
            case .array: return "expected a JSON object, found an array"
            default: return "expected a JSON object, found a bare value"
            }
        } catch {
            if failure.ended { return "invalid JSON: the line ends before the object is closed" }
            return "invalid JSON at byte \(failure.offset + 1)"
        }
    }

    static func invalidUTF8Offset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var iterator = bytes.makeIterator()
        var utf8 = UTF8()
        var offset = 0
        while true {
            switch utf8.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                return nil
            case .error:
                return offset
            }
        }
    }

    /// A short, actionable description of a decoding failure, naming the field.
    static func describe(_ error: any Error, line: UnsafeRawBufferPointer) -> String {
        if let offset = invalidUTF8Offset(line) {
            return "invalid UTF-8 at byte \(offset + 1)"
        }
        guard let decoding = error as? DecodingError else {
            return "invalid JSON"
        }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch decoding {
        case .typeMismatch(let type, let context):
            let field = path(context)
            if field.hasSuffix("content") {
                return "field \(field): expected a string or a list of content blocks"
            }
            return "field \(field): expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "field \(path(context)): expected \(typeName(type)), found null"
        case .keyNotFound(let key, let context):
            let p = path(context)
            return "field \(p.isEmpty ? key.stringValue : p + "." + key.stringValue): missing"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                if let field = badTokenCount(line) {
                    return "field \(field): expected a whole number of tokens"
                }
                let depth = nestingDepth(line)
                if depth > 512 { return "nested \(Figures.count(depth)) levels deep; more than 512 are not read" }
                return "invalid JSON" + underlying(context)
            }
            return "field \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "invalid JSON"
        }
    }

    /// The deepest nesting of arrays and objects in a line (brackets inside strings do not count).
    static func nestingDepth(_ line: UnsafeRawBufferPointer) -> Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for byte in line {
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x5B, 0x7B: depth += 1; deepest = max(deepest, depth)
            case 0x5D, 0x7D: depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// Foundation reports a number that does not fit an `Int` (too large, or a fraction) as
    /// invalid JSON; this finds the token count that caused it.
    private static func badTokenCount(_ line: UnsafeRawBufferPointer) -> String? {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(line)) else { return nil }
        let usage = value["message"]?["usage"]
        let fields = ["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"]
        for field in fields {
            if case .double? = usage?[field] { return "message.usage." + field }
        }
        for field in ["ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens"] {
            if case .double? = usage?["cache_creation"]?[field] { return "message.usage.cache_creation." + field }
        }
        if case .double? = usage?["server_tool_use"]?["web_search_requests"] { return "message.usage.server_tool_use.web_search_requests" }
        return nil
    }

    private static func underlying(_ context: DecodingError.Context) -> String {
        guard let error = context.underlyingError as NSError? else { return "" }
        if let detail = error.userInfo[NSDebugDescriptionErrorKey] as? String, !detail.isEmpty {
            return " (\(detail))"
        }
        return ""
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Double.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name == "RawContent" { return "a string or a list of blocks" }
            return "an object"
        }
    }
}
