import Foundation

/// One line of `run/invocations.jsonl`: everything about one invocation of the CLI.
public struct InvocationRecord: Codable, Sendable, Equatable {
    /// Creates a record.
    public init(
        index: Int, phase: String, kind: PendingStep.Kind, replyIndex: Int?, question: String?, argv: [String], startedAt: String, durationMs: Int, exitCode: Int32?, signal: Int32?, timedOut: Bool,
        interrupted: Bool, subtype: String?, isError: Bool?, sessionID: String?, usage: TokenUsage?, costUSD: Double?, sessionTotalUSD: Double?, marker: String?, failure: String?, apiRetries: Int,
        streamFile: String, permissionDenials: [String]? = nil
    ) {
        self.permissionDenials = permissionDenials
        self.index = index
        self.phase = phase
        self.kind = kind
        self.replyIndex = replyIndex
        self.question = question
        self.argv = argv
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.interrupted = interrupted
        self.subtype = subtype
        self.isError = isError
        self.sessionID = sessionID
        self.usage = usage
        self.costUSD = costUSD
        self.sessionTotalUSD = sessionTotalUSD
        self.marker = marker
        self.failure = failure
        self.apiRetries = apiRetries
        self.streamFile = streamFile
    }

    /// 1-based position in the run.
    public var index: Int
    /// The phase command.
    public var phase: String
    /// Why the invocation was made.
    public var kind: PendingStep.Kind
    /// The canned reply sent (its index in the plan), nil for others.
    public var replyIndex: Int?
    /// The question the reply answered (the agent's last text, shortened and redacted).
    public var question: String?
    /// The arguments, system prompt replaced by its size, secrets redacted.
    public var argv: [String]
    /// When it started (ISO 8601).
    public var startedAt: String
    /// How long it took.
    public var durationMs: Int
    /// The exit code, when the CLI exited.
    public var exitCode: Int32?
    /// The signal that ended the CLI, when one did.
    public var signal: Int32?
    /// True when planscribe ended it for taking too long.
    public var timedOut: Bool
    /// True when the run was interrupted during it.
    public var interrupted: Bool
    /// The result's subtype.
    public var subtype: String?
    /// The result's success flag (false is success).
    public var isError: Bool?
    /// The session it ran in.
    public var sessionID: String?
    /// Its tokens.
    public var usage: TokenUsage?
    /// The cost of this invocation alone (difference of the session's cumulative totals).
    public var costUSD: Double?
    /// The session's cumulative total the CLI reported.
    public var sessionTotalUSD: Double?
    /// The PHASE_STATUS marker its final text ended with.
    public var marker: String?
    /// Why it failed, when it did.
    public var failure: String?
    /// The CLI's own API retries during it.
    public var apiRetries: Int
    /// Its raw stream-json, relative to the run folder.
    public var streamFile: String
    /// The tools whose calls the CLI refused for want of permission (its result's
    /// `permission_denials`), one per refused call; absent in older records.
    public var permissionDenials: [String]?
    /// Where ``costUSD`` comes from: `result` (the result event), `cost_state` (the CLI ended
    /// without a result, and its transcript's last `cost-state` line gave the session's total),
    /// nil when the CLI gave no figure.
    public var costSource: String?
    /// The API calls the stream showed, and their estimated cost from the stream's usage
    /// (``StreamSpend``): what budgets counted while it ran.
    public var streamAPICalls: Int?
    /// See ``streamAPICalls``.
    public var streamEstimateUSD: Double?

    enum CodingKeys: String, CodingKey {
        case index, phase, kind, question, argv, subtype, usage, marker, failure, signal, interrupted
        case costSource = "cost_source"
        case streamAPICalls = "stream_api_calls"
        case streamEstimateUSD = "stream_estimate_usd"
        case permissionDenials = "permission_denials"
        case replyIndex = "reply_index"
        case startedAt = "started_at"
        case durationMs = "duration_ms"
        case exitCode = "exit_code"
        case timedOut = "timed_out"
        case isError = "is_error"
        case sessionID = "session_id"
        case costUSD = "cost_usd"
        case sessionTotalUSD = "session_total_usd"
        case apiRetries = "api_retries"
        case streamFile = "stream_file"
    }

    /// Every field, absent ones as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(phase, forKey: .phase)
        try c.encode(kind, forKey: .kind)
        try c.encode(replyIndex, forKey: .replyIndex)
        try c.encode(question, forKey: .question)
        try c.encode(argv, forKey: .argv)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(durationMs, forKey: .durationMs)
        try c.encode(exitCode, forKey: .exitCode)
        try c.encode(signal, forKey: .signal)
        try c.encode(timedOut, forKey: .timedOut)
        try c.encode(interrupted, forKey: .interrupted)
        try c.encode(subtype, forKey: .subtype)
        try c.encode(isError, forKey: .isError)
        try c.encode(sessionID, forKey: .sessionID)
        try c.encode(usage, forKey: .usage)
        try c.encode(costUSD, forKey: .costUSD)
        try c.encode(sessionTotalUSD, forKey: .sessionTotalUSD)
        try c.encode(marker, forKey: .marker)
        try c.encode(failure, forKey: .failure)
        try c.encode(apiRetries, forKey: .apiRetries)
        try c.encode(streamFile, forKey: .streamFile)
        try c.encode(permissionDenials ?? [], forKey: .permissionDenials)
        try c.encode(costSource, forKey: .costSource)
        try c.encode(streamAPICalls, forKey: .streamAPICalls)
        try c.encode(streamEstimateUSD, forKey: .streamEstimateUSD)
    }
}
