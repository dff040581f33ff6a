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

/// Splits conversations into planning phases at prompts that start with a slash phase name.
public enum PhaseSplitter {
    /// The phases of several sessions, in the sessions' order.
    ///
    /// - Parameter sessions: sessions, oldest first.
    public static func split(_ sessions: [Session]) -> [Phase] {
        sessions.flatMap(split)
    }

    /// The phases of one session. Context before the first phase prompt becomes a prelude
    /// phase (name nil) when it holds a prompt or a response.
    ///
    /// - Parameter session: a session.
    public static func split(_ session: Session) -> [Phase] {
        var phases: [Phase] = []
        var current = Phase(name: session.inheritedPhase, sessionID: session.id, turns: [])
        var turn = Turn(prompt: nil, messages: [])
        func closeTurn() {
            if turn.prompt != nil || !turn.messages.isEmpty { current.turns.append(turn) }
            turn = Turn(prompt: nil, messages: [])
        }
        for message in session.messages {
            if message.isPrompt {
                closeTurn()
                if let name = PhaseName.startedBy(prompt: message.text) {
                    if keeps(current) { phases.append(current) }
                    current = Phase(name: name, sessionID: session.id, turns: [])
                }
                turn.prompt = message
            } else {
                turn.messages.append(message)
            }
        }
        closeTurn()
        if keeps(current) { phases.append(current) }
        assignCalls(session, to: &phases)
        return phases
    }

    /// A phase is kept when it has turns and a name (a fork's inherited phase has none until
    /// its first turn), or when it holds a prompt or a response.
    private static func keeps(_ phase: Phase) -> Bool {
        (phase.name != nil && !phase.turns.isEmpty) || hasContent(phase)
    }

    private static func hasContent(_ phase: Phase) -> Bool {
        phase.turns.contains { turn in
            turn.prompt != nil || turn.messages.contains { !$0.isMeta && $0.role != .system }
        }
    }

    /// Gives each API call to the turn holding its message; a subagent's calls go to the
    /// turn that started the subagent; anything else to the last turn that began before it.
    private static func assignCalls(_ session: Session, to phases: inout [Phase]) {
        typealias Place = (phase: Int, turn: Int)
        // Places by message uuid (the uuid's position in `uuids`; messages are read in place,
        // not copied).
        var uuids = HashedKeyList<String>()
        var places: [Place] = []
        var placeOfToolUse: [String: Place] = [:]
        var starts: [(String, Place)] = []
        let wantsToolUses = !session.subagents.isEmpty
        for p in phases.indices {
            for t in phases[p].turns.indices {
                func note(_ m: Message) {
                    let (at, added) = uuids.add(m.uuid, hash: StableHash.of(m.uuid))
                    if added { places.append((p, t)) } else { places[at] = (p, t) }
                    if wantsToolUses {
                        for case .toolUse(let use) in m.blocks { placeOfToolUse[use.id] = (p, t) }
                    }
                }
                let turn = phases[p].turns[t]
                if let prompt = turn.prompt { note(prompt) }
                for i in turn.messages.indices { note(turn.messages[i]) }
                if let first = (turn.prompt ?? turn.messages.first)?.timestamp { starts.append((first, (p, t))) }
            }
        }
        guard let firstPlace = phases.indices.first.flatMap({ p in phases[p].turns.indices.first.map { (p, $0) } }) else { return }
        var placeOfAgent: [String: Place] = [:]
        for sub in session.subagents {
            if let id = sub.toolUseID, let place = placeOfToolUse[id] { placeOfAgent[sub.agentID] = place }
        }
        for call in session.apiCalls {
            var place = uuids.position(of: call.uuid, hash: StableHash.of(call.uuid)).map { places[$0] }
            if place == nil, let agent = call.agentID { place = placeOfAgent[agent] }
            if place == nil, let stamp = call.timestamp {
                place = starts.last(where: { $0.0 <= stamp })?.1
            }
            let (p, t) = place ?? firstPlace
            phases[p].turns[t].apiCalls.append(call)
        }
    }
}
