/// Splits conversations into planning phases at prompts that start with a slash phase name.
public enum PhaseSplitter {
    /// The phases of several sessions, in the sessions' order.
    ///
    /// - Parameter sessions: sessions, oldest first.
    public static func split(_ sessions: [Session]) -> [Phase] {
        sessions.flatMap(split)
    }

    /// The phases of one session, by the rules of ``PhaseOutline``: a turn at each prompt, a
    /// phase at each prompt that starts one, context before the first phase prompt a prelude
    /// phase (name nil) when it holds a prompt or a response.
    ///
    /// - Parameter session: a session.
    public static func split(_ session: Session) -> [Phase] {
        let messages = session.messages
        let outline = PhaseOutline(
            count: messages.count, inherited: session.inheritedPhase, isPrompt: { messages[$0].isPrompt },
            phaseStarted: { PhaseName.startedBy(prompt: messages[$0].text) },
            isContent: { !messages[$0].isMeta && messages[$0].role != .system })
        var phases = outline.phases.map { draft in
            Phase(
                name: draft.name, sessionID: session.id,
                turns: draft.turns.map { turn in
                    Turn(prompt: turn.prompt.map { messages[$0] }, messages: turn.messages.map { messages[$0] })
                })
        }
        assignCalls(session, outline: outline, to: &phases)
        return phases
    }

    /// Gives each API call the turn ``PhaseOutline/place(holding:startedAgent:stamp:starts:first:)`` chooses.
    private static func assignCalls(_ session: Session, outline: PhaseOutline, to phases: inout [Phase]) {
        guard let first = outline.firstPlace else { return }
        let messages = session.messages
        // Places by message uuid (the uuid's position in `uuids`).
        var uuids = HashedKeyList<String>()
        var places: [PhaseOutline.Place] = []
        var placeOfToolUse: [String: PhaseOutline.Place] = [:]
        var starts: [(String, PhaseOutline.Place)] = []
        let wantsToolUses = !session.subagents.isEmpty
        for (place, turn) in outline.places {
            for position in turn.positions {
                // Read in place: a message is not copied whole.
                let uuid = messages[position].uuid
                let (at, added) = uuids.add(uuid, hash: StableHash.of(uuid))
                if added { places.append(place) } else { places[at] = place }
                if wantsToolUses {
                    for b in messages[position].blocks.indices {
                        if case .toolUse(let use) = messages[position].blocks[b] { placeOfToolUse[use.id] = place }
                    }
                }
            }
            if let stamp = turn.first.flatMap({ messages[$0].timestamp }) { starts.append((stamp, place)) }
        }
        var placeOfAgent: [String: PhaseOutline.Place] = [:]
        for sub in session.subagents {
            if let id = sub.toolUseID, let place = placeOfToolUse[id] { placeOfAgent[sub.agentID] = place }
        }
        for call in session.apiCalls {
            let (p, t) = PhaseOutline.place(
                holding: uuids.position(of: call.uuid, hash: StableHash.of(call.uuid)).map { places[$0] },
                startedAgent: call.agentID.flatMap { placeOfAgent[$0] }, stamp: call.timestamp, starts: starts, first: first)
            phases[p].turns[t].apiCalls.append(call)
        }
    }
}
