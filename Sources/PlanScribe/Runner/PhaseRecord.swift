import Foundation

/// One phase's progress in a run.
public struct PhaseRecord: Codable, Sendable, Equatable {
    /// Where the phase stands.
    public enum Status: String, Codable, Sendable {
        /// Not started.
        case pending
        /// Started, not finished (or interrupted).
        case running
        /// Reached `ready_to_advance`.
        case done
        /// Waiting for input with no reply left, or out of its reply budget.
        case stalled
        /// An API error, a timeout, a crash of the CLI, or out of turns after the retry.
        case failed
    }

    /// The phase command.
    public var name: String
    /// Where it stands.
    public var status: Status = .pending
    /// The session it runs in.
    public var sessionID: String?
    /// The step to take next (while running).
    public var next: PendingStep?
    /// Canned replies used, by index.
    public var usedReplies: [Int] = []
    /// Replies of any kind sent (canned, default, nudges): the budget `max_replies` bounds.
    public var repliesSent = 0
    /// Whether the `error_max_turns` retry was used.
    public var retried = false
    /// Invocations made.
    public var invocations = 0
    /// The CLI's cost of the phase's invocations, summed.
    public var costUSD: Double = 0
    /// The session's cumulative cost after the last invocation (to take differences).
    public var sessionTotalUSD: Double?
    /// Why it ended the way it did.
    public var reason: String?
    /// When it started and finished (ISO 8601).
    public var startedAt: String?
    /// When it finished.
    public var finishedAt: String?
    /// Nudges sent since the agent last ended a turn with a marker (absent: none).
    public var nudgesInARow: Int?
    /// The estimated cost of invocations the CLI gave no figure for (ended before their
    /// result, without a `cost-state` line), from their streams; absent when none.
    public var unreportedUSD: Double?
    /// The wall time of its invocations, summed (what a phase's `time_limit_s` bounds).
    public var seconds: Double?
    /// The budget that stopped it, when one did.
    public var overBudget: String?
    /// The canned replies the phase started with (``Plan/PhasePlan/replyRecord``): a phase
    /// under way goes on only with the same ones.
    public var replies: [String]?

    /// What the phase has cost: the CLI's figures and the estimates where it gave none.
    public var spentUSD: Double { costUSD + (unreportedUSD ?? 0) }

    enum CodingKeys: String, CodingKey {
        case name, status, next, retried, invocations, reason, seconds
        case replies
        case unreportedUSD = "unreported_usd"
        case overBudget = "over_budget"
        case nudgesInARow = "nudges_in_a_row"
        case sessionID = "session_id"
        case usedReplies = "used_replies"
        case repliesSent = "replies_sent"
        case costUSD = "cost_usd"
        case sessionTotalUSD = "session_total_usd"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    /// Creates a pending record.
    public init(name: String) {
        self.name = name
    }
}
