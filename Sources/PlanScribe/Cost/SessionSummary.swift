/// One session summed up: the row `planscribe sessions` prints.
public struct SessionSummary: Sendable, Hashable, Codable {
    /// The session id.
    public var id: String
    /// The real working directory.
    public var project: String?
    /// The title, when the session has one.
    public var title: String?
    /// The first prompt, whole.
    public var firstPrompt: String?
    /// First and last timestamps.
    public var start: String?
    /// The last timestamp.
    public var end: String?
    /// User and assistant messages of the conversation, split lines merged.
    public var messages: Int
    /// Tool calls, subagents included.
    public var toolCalls: Int
    /// Subagents.
    public var subagents: Int
    /// Tokens of all API calls, subagents included, each call once.
    public var usage: TokenUsage
    /// Estimated cost; nil when a model had no price.
    public var estimatedCost: USD?
    /// Models with no price.
    public var unpricedModels: [String]
    /// The CLI's own total, when the transcript has one.
    public var reportedCost: USD?
    /// The session whose lines this one repeats (a fork), if any.
    public var continuesSession: String?
    /// The transcript file.
    public var file: String

    enum CodingKeys: String, CodingKey {
        case id, project, title, start, end, messages, subagents, usage, file
        case firstPrompt = "first_prompt"
        case toolCalls = "tool_calls"
        case estimatedCost = "estimated_cost_usd"
        case unpricedModels = "unpriced_models"
        case reportedCost = "reported_cost_usd"
        case continuesSession = "continues_session"
    }

    /// Encodes every field, absent ones as `null`, so the JSON has one fixed shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(project, forKey: .project)
        try c.encode(title, forKey: .title)
        try c.encode(firstPrompt, forKey: .firstPrompt)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(messages, forKey: .messages)
        try c.encode(toolCalls, forKey: .toolCalls)
        try c.encode(subagents, forKey: .subagents)
        try c.encode(usage, forKey: .usage)
        try c.encode(estimatedCost, forKey: .estimatedCost)
        try c.encode(unpricedModels, forKey: .unpricedModels)
        try c.encode(reportedCost, forKey: .reportedCost)
        try c.encode(continuesSession, forKey: .continuesSession)
        try c.encode(file, forKey: .file)
    }

    /// Sums up a session.
    ///
    /// - Parameters:
    ///   - session: the session.
    ///   - ledger: the ledger whose prices estimate the cost.
    public init(_ session: Session, ledger: CostLedger) {
        let estimate = ledger.estimate(session.apiCalls)
        id = session.id
        project = session.projectPath
        title = session.title
        firstPrompt = session.firstPrompt
        start = session.start
        end = session.end
        messages = session.messageCount
        toolCalls = session.toolCallCount
        subagents = session.subagents.count
        usage = session.usage
        estimatedCost = estimate.completeCost
        unpricedModels = estimate.unpricedModels
        reportedCost = session.reportedCostUSD.map(USD.init)
        continuesSession = session.continuesSession
        file = session.file
    }
}

extension TokenUsage {
    enum CodingKeys: String, CodingKey {
        case input, output
        case cacheWrite5m = "cache_write_5m"
        case cacheWrite1h = "cache_write_1h"
        case cacheRead = "cache_read"
    }
}
