/// One API call as billed: the usage of one `(message.id, requestId)` pair, counted once
/// however many lines or files repeat it.
public struct APICall: Sendable, Hashable {
    /// The API message id.
    public var messageID: String?
    /// The API request id.
    public var requestID: String?
    /// The model that served it.
    public var model: String
    /// When it was written (ISO-8601).
    public var timestamp: String?
    /// Its tokens (the largest `output_tokens` among its lines).
    public var usage: TokenUsage
    /// What else sets its price: its speed, region and web searches.
    public var terms: CallTerms = .standard
    /// The uuid of the call's first line, which places it in the conversation.
    public var uuid: String
    /// The subagent that made it, nil for the main conversation.
    public var agentID: String?
}

/// A `cost-state` line: where it is in the session's file and the CLI's running total there.
public struct CostFigure: Sendable, Hashable {
    /// The 1-based line.
    public var line: Int
    /// The session's total so far, in dollars.
    public var usd: Double
}

/// Messages of a session that left its main conversation at one point: the user edited and
/// re-sent a prompt, or rewound. Their calls were billed all the same.
public struct Branch: Sendable, Hashable {
    /// The uuid of the main-conversation message the branch left after; nil when it meets
    /// the main conversation nowhere.
    public var leftAfter: String?
    /// Its messages, oldest first, split assistant lines merged.
    public var messages: [Message]
}

/// A subagent's conversation, started by an Agent (Task) tool call of its parent.
public struct Subagent: Sendable, Hashable {
    /// The agent id (`a19a8…`).
    public var agentID: String
    /// The id of the tool call that started it, when known.
    public var toolUseID: String?
    /// The description given to the agent.
    public var description: String?
    /// The agent type (`general-purpose`, `Explore`, …).
    public var agentType: String?
    /// The file it was read from.
    public var file: String
    /// Its messages, in order.
    public var messages: [Message]
}

/// One Claude Code session: a transcript file read into an ordered, de-duplicated
/// conversation with its subagents and API calls.
public struct Session: Sendable {
    /// The session id (the file name without `.jsonl`).
    public var id: String
    /// The transcript file.
    public var file: String
    /// The real working directory, from the `cwd` field of its lines.
    public var projectPath: String?
    /// A title: the user's `/rename`, else the CLI's generated title, else a legacy summary.
    public var title: String?
    /// The CLI versions that wrote it.
    public var cliVersions: [String]
    /// The conversation, in `parentUuid` order, split assistant lines merged.
    public var messages: [Message]
    /// Messages that left the main conversation (an edited and re-sent prompt, a `/rewind`),
    /// each branch with the message it left after: kept, never lost, shown where they left.
    public var branches: [Branch]

    /// Every message of every branch, in the branches' order.
    public var branchMessages: [Message] { branches.flatMap(\.messages) }
    /// Subagent conversations.
    public var subagents: [Subagent]
    /// The API calls the session paid for, main conversation and subagents, each once.
    public var apiCalls: [APICall]
    /// The CLI's own total for the session (the last `cost-state` line), when written.
    public var reportedCostUSD: Double?
    /// The CLI's running totals in the session's own file (its `cost-state` lines, each what
    /// the session had cost when an invocation ended), in line order; empty for a session
    /// that continues another (its figures count that session's spending too).
    public var costFigures: [CostFigure] = []
    /// Why the reported figure and the estimate may differ, as far as the transcript shows.
    public var costNotes: [CostNote] = []
    /// When lines were already read from another session (a fork or an old-style resume),
    /// that session's id: those lines were counted there, not here.
    public var continuesSession: String?
    /// For such a session, the phase its copied conversation was in: its first turns belong
    /// to that phase until a prompt starts another.
    public var inheritedPhase: PhaseName?
    /// The first and last timestamps of the lines it owns.
    public var start: String?
    /// The last timestamp.
    public var end: String?
    /// What reading its files amounted to.
    public var reports: [FileReadReport]

    /// The first prompt a person (or runner) sent, as typed (see ``PromptText``).
    public var firstPrompt: String? {
        messages.first(where: { $0.isPrompt && !$0.text.isEmpty }).map { PromptText.plain($0.text) }
    }

    /// Tool calls in the conversation and its subagents.
    public var toolCallCount: Int {
        (messages + subagents.flatMap(\.messages)).reduce(0) { $0 + $1.toolUses.count }
    }

    /// User and assistant messages of the conversation (attachments and notes excluded).
    public var messageCount: Int {
        messages.filter { $0.role != .system && !isAttachment($0) }.count
    }

    /// Tokens over all API calls.
    public var usage: TokenUsage {
        apiCalls.reduce(.zero) { $0 + $1.usage }
    }

    /// The models that served the session, sorted.
    public var models: [String] {
        Array(Set(apiCalls.map(\.model))).sorted()
    }

    private func isAttachment(_ m: Message) -> Bool {
        if case .attachment = m.kind { return true }
        return false
    }
}
