/// One exchange: a prompt and everything up to the next prompt.
public struct Turn: Sendable {
    /// The prompt (a phase command or a reply); nil for context before the first prompt.
    public var prompt: Message?
    /// The messages after the prompt: responses, tool results, notes, in order.
    public var messages: [Message]
    /// The API calls made during the turn, its subagents' included.
    public var apiCalls: [APICall] = []

    /// The last assistant text of the turn: what the protocol marker is read from.
    public var finalText: String? {
        messages.last(where: { $0.role == .assistant && !$0.text.isEmpty })?.text
    }

    /// The marker on the final line of the turn, if any.
    public var status: PhaseStatus? {
        finalText.flatMap(PhaseMarker.status(of:))
    }
}

/// A planning phase found in a transcript: the turns from a `/phase` prompt up to the next.
public struct Phase: Sendable {
    /// The phase; nil for a prelude (text before the first phase prompt, or a session
    /// without phase prompts).
    public var name: PhaseName?
    /// The session it was read from.
    public var sessionID: String
    /// The turns, in order.
    public var turns: [Turn]

    /// The API calls made during the phase, subagents included.
    public var apiCalls: [APICall] {
        turns.flatMap(\.apiCalls)
    }

    /// The marker of the phase's last turn that has one; nil when no turn ended with a marker.
    public var status: PhaseStatus? {
        turns.last(where: { $0.finalText != nil })?.status
    }

    /// Tokens over the phase's API calls.
    public var usage: TokenUsage {
        apiCalls.reduce(.zero) { $0 + $1.usage }
    }
}
