import Foundation

/// One event of `claude -p --output-format stream-json --verbose`, reduced to what the
/// runner uses.
public enum StreamEvent: Sendable, Equatable {
    /// `system/init`: the session id, model and CLI version, known before any answer.
    case started(sessionID: String?, model: String?, version: String?, commands: [String]? = nil)
    /// An assistant message block: its text (for progress and as a fallback), and the API call
    /// it belongs to with the usage the stream gives (the `message_start` snapshot: input and
    /// cache tokens are final, output tokens only begun), nil for the CLI's synthetic messages.
    case assistant(text: String, fromSubagent: Bool, call: APICall?)
    /// `system/api_retry`: the CLI is retrying an API error itself.
    case apiRetry(attempt: Int, maxRetries: Int, status: Int?, delayMilliseconds: Int)
    /// The `result` event (there may be more than one; the last wins).
    case result(ResultEvent)
    /// Another kind, by type (and subtype).
    case other(String)
}

/// The `result` event of one invocation.
public struct ResultEvent: Sendable, Equatable, Codable {
    /// `success`, `error_max_turns`, `error_during_execution`, `error_max_budget_usd`, …
    public var subtype: String?
    /// The success flag: `false` is success (an API error has `subtype: success` and this true).
    public var isError: Bool
    /// The final assistant text.
    public var text: String?
    /// The session id.
    public var sessionID: String?
    /// The session's cumulative cost so far (including earlier invocations when resumed).
    public var totalCostUSD: Double?
    /// The sum of `model_usage_since_last_result[*].costUSD`: this invocation's own cost.
    public var costSinceLastResultUSD: Double?
    /// Tokens of this invocation.
    public var usage: TokenUsage?
    /// API round trips in this invocation.
    public var numTurns: Int?
    /// Error messages of `error_*` subtypes.
    public var errors: [String]
    /// HTTP status of an API error.
    public var apiErrorStatus: Int?
    /// Why the turn ended (`completed`, `max_turns`, `api_error`, …).
    public var terminalReason: String?
    /// The tools whose calls the CLI refused for want of permission (`permission_denials`),
    /// one name per refused call.
    public var permissionDenials: [String]?

    enum CodingKeys: String, CodingKey {
        case subtype, text, usage, errors
        case permissionDenials = "permission_denials"
        case isError = "is_error"
        case sessionID = "session_id"
        case totalCostUSD = "total_cost_usd"
        case costSinceLastResultUSD = "cost_since_last_result_usd"
        case numTurns = "num_turns"
        case apiErrorStatus = "api_error_status"
        case terminalReason = "terminal_reason"
    }
}

/// Decodes stream-json lines leniently: every field optional, unknown kinds kept by name.
public enum StreamEventDecoder {
    struct Raw: Decodable {
        var type: String?
        var subtype: String?
        var session_id: String?
        var model: String?
        var claude_code_version: String?
        var slash_commands: [LenientString]?
        var skills: [LenientString]?
        var is_error: Bool?
        var result: LenientString?
        var total_cost_usd: Double?
        var usage: RawUsage?
        var model_usage_since_last_result: [String: ModelCost]?
        var num_turns: Int?
        var errors: [String]?
        var api_error_status: Int?
        var terminal_reason: String?
        var attempt: Int?
        var max_retries: Int?
        var retry_delay_ms: Int?
        var error_status: Int?
        var message: RawMessage?
        var parent_tool_use_id: String?
        var uuid: String?
        var permission_denials: [Denial]?

        struct Denial: Decodable { var tool_name: LenientString? }

        struct ModelCost: Decodable { var costUSD: Double? }
    }

    /// The event of one line, or an error message for a line that is not a JSON event.
    public static func decode(_ line: UnsafeRawBufferPointer) -> Result<StreamEvent, StreamLineError> {
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(line))
        } catch {
            return .failure(StreamLineError(reason: LineDecoder.explain(line, decodingError: error)))
        }
        guard let type = raw.type else { return .failure(StreamLineError(reason: "event without a type")) }
        switch (type, raw.subtype) {
        case ("system", "init"?):
            // What the CLI loaded: its slash commands and skills, names without the slash.
            var commands: [String]?
            if raw.slash_commands != nil || raw.skills != nil {
                commands = ((raw.slash_commands ?? []) + (raw.skills ?? [])).compactMap { $0.value }.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
            }
            return .success(.started(sessionID: raw.session_id, model: raw.model, version: raw.claude_code_version, commands: commands))
        case ("system", "api_retry"?):
            return .success(.apiRetry(attempt: raw.attempt ?? 0, maxRetries: raw.max_retries ?? 0, status: raw.error_status, delayMilliseconds: raw.retry_delay_ms ?? 0))
        case ("assistant", _):
            var text = ""
            if case .blocks(let blocks)? = raw.message?.content {
                text = blocks.compactMap { $0.type == "text" ? $0.text : nil }.joined(separator: "\n\n")
            } else if case .text(let t)? = raw.message?.content {
                text = t
            }
            var call: APICall?
            if let message = raw.message, let id = message.id, let model = message.model, model != "<synthetic>", let usage = message.usage {
                call = APICall(messageID: id, requestID: nil, model: model, timestamp: nil, usage: TokenUsage(usage), terms: CallTerms(usage), uuid: raw.uuid ?? id, agentID: nil)
            }
            return .success(.assistant(text: text, fromSubagent: raw.parent_tool_use_id != nil, call: call))
        case ("result", _):
            let since = raw.model_usage_since_last_result.map { $0.values.compactMap(\.costUSD).reduce(0, +) }
            return .success(
                .result(
                    ResultEvent(
                        subtype: raw.subtype, isError: raw.is_error ?? true, text: raw.result?.value, sessionID: raw.session_id,
                        totalCostUSD: raw.total_cost_usd, costSinceLastResultUSD: since, usage: raw.usage.map(TokenUsage.init),
                        numTurns: raw.num_turns, errors: raw.errors ?? [], apiErrorStatus: raw.api_error_status,
                        terminalReason: raw.terminal_reason,
                        permissionDenials: raw.permission_denials.map { $0.map { $0.tool_name?.value ?? "a tool" } })))
        default:
            return .success(.other(type + (raw.subtype.map { "/" + $0 } ?? "")))
        }
    }
}

/// Why a stream-json line could not be used.
public struct StreamLineError: Error, Sendable, Equatable {
    /// What is wrong with it.
    public var reason: String
}
