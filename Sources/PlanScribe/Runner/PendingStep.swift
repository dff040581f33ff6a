import Foundation

/// What the runner does next in a phase; persisted before it starts, so that a run resumed
/// after a crash repeats only the invocation that was interrupted.
public struct PendingStep: Codable, Sendable, Equatable {
    /// Why this invocation is made.
    public enum Kind: String, Codable, Sendable {
        /// The phase's first turn.
        case start
        /// A canned reply (or the default reply).
        case reply
        /// A request for the missing PHASE_STATUS marker.
        case nudge
        /// The one retry after `error_max_turns`, with the larger turn budget.
        case retry
    }

    /// Why.
    public var kind: Kind

    /// Creates a step.
    public init(kind: Kind, message: String? = nil, replyIndex: Int? = nil, question: String? = nil) {
        self.kind = kind
        self.message = message
        self.replyIndex = replyIndex
        self.question = question
    }
    /// The message sent (nil for `start`, whose prompt comes from the plan).
    public var message: String?
    /// Which canned reply (index into the phase's replies), nil for the default reply.
    public var replyIndex: Int?
    /// The question it answers (the agent's last text, shortened).
    public var question: String?

    enum CodingKeys: String, CodingKey {
        case kind, message, question
        case replyIndex = "reply_index"
    }
}
