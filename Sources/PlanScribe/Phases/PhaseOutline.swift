/// The phase rules, once, over positions in a conversation: where turns and phases begin,
/// which phases are kept, and which turn an API call belongs to. ``PhaseSplitter`` applies
/// them to a ``Session``'s messages.
struct PhaseOutline: Sendable, Equatable {
    /// A turn: the position of its prompt (nil for context before the first prompt) and of
    /// the messages after it.
    struct Turn: Sendable, Equatable {
        var prompt: Int?
        var messages: [Int] = []

        /// Its first position: the prompt, else its first message.
        var first: Int? { prompt ?? messages.first }
        /// Every position, prompt first.
        var positions: [Int] { (prompt.map { [$0] } ?? []) + messages }
    }

    /// A phase: its name (nil for a prelude) and its turns.
    struct Phase: Sendable, Equatable {
        var name: PhaseName?
        var turns: [Turn] = []
    }

    /// The phases, in order.
    var phases: [Phase]

    /// A turn's place: the phase's index and the turn's within it.
    typealias Place = (phase: Int, turn: Int)

    /// Splits `count` positions into turns at each prompt and into phases at each prompt that
    /// starts one. Context before the first phase prompt is a prelude phase (its name
    /// `inherited`, a fork's phase), kept when it has a name and turns, or holds a prompt or
    /// a message that is neither the CLI's context nor a system note.
    ///
    /// - Parameters:
    ///   - count: how many positions.
    ///   - inherited: the name the conversation starts in.
    ///   - isPrompt: whether the position is a prompt.
    ///   - phaseStarted: the phase a prompt starts, if any.
    ///   - isContent: whether a non-prompt position is a response or a tool result (not
    ///     meta, not a system note).
    init(count: Int, inherited: PhaseName?, isPrompt: (Int) -> Bool, phaseStarted: (Int) -> PhaseName?, isContent: (Int) -> Bool) {
        var phases: [Phase] = []
        var current = Phase(name: inherited)
        var turn = Turn()
        func closeTurn() {
            if turn.prompt != nil || !turn.messages.isEmpty { current.turns.append(turn) }
            turn = Turn()
        }
        func keeps(_ phase: Phase) -> Bool {
            (phase.name != nil && !phase.turns.isEmpty) || phase.turns.contains { $0.prompt != nil || $0.messages.contains(where: isContent) }
        }
        for position in 0..<count {
            guard isPrompt(position) else {
                turn.messages.append(position)
                continue
            }
            closeTurn()
            if let name = phaseStarted(position) {
                if keeps(current) { phases.append(current) }
                current = Phase(name: name)
            }
            turn.prompt = position
        }
        closeTurn()
        if keeps(current) { phases.append(current) }
        self.phases = phases
    }

    /// The first turn's place, nil when there is no turn.
    var firstPlace: Place? {
        phases.indices.first { !phases[$0].turns.isEmpty }.map { ($0, 0) }
    }

    /// Every turn's place, in order, with the turn.
    var places: [(place: Place, turn: Turn)] {
        phases.indices.flatMap { p in phases[p].turns.indices.map { t in ((p, t), phases[p].turns[t]) } }
    }

    /// Where an API call belongs: the turn holding its message, else the turn that started
    /// the subagent that made it, else the last turn begun at or before its time, else the
    /// first turn.
    ///
    /// - Parameters:
    ///   - holding: the turn holding the call's message, if found.
    ///   - startedAgent: the turn whose Agent call started the call's subagent, if any.
    ///   - stamp: the call's time (ISO 8601, which orders as text), if known.
    ///   - starts: each turn's first time, in order.
    ///   - first: the first turn.
    static func place(holding: Place?, startedAgent: Place?, stamp: String?, starts: [(String, Place)], first: Place) -> Place {
        if let holding { return holding }
        if let startedAgent { return startedAgent }
        if let stamp, let begun = starts.last(where: { $0.0 <= stamp }) { return begun.1 }
        return first
    }
}
