import Foundation

/// A session read for its costs only: each API call once, with its model, day, tokens and
/// phase, and what the session owns for de-duplication against later sessions.
///
/// It is what ``SessionReader`` and ``PhaseSplitter`` give `cost` at ``ReadDetail/usage``,
/// made from compact ``UsageFile``s without building messages. ``read(_:redactSecrets:maxLineBytes:)``
/// returns nil for any session it does not read exactly the same way (a line problem, a
/// fork within the session, a sidechain in the main file, a `parentUuid` cycle, a hash
/// shared by two different ids), and such a session is read the full way instead.
/// `UsageSessionTests` and the transcript fuzzer compare the two.
public struct UsageSession: Sendable {
    /// One API call.
    struct Call: Sendable {
        var model: String
        /// The UTC day (`YYYY-MM-DD`), or "unknown".
        var day: String
        var usage: TokenUsage
        var terms: CallTerms
        /// Index in `phaseKeys`; nil when the session has no phase to hold it.
        var phase: Int?
    }

    /// The session id.
    public let id: String
    /// The CLI's own total (the last `cost-state` line).
    public let reportedCostUSD: Double?
    /// Why the reported figure and the estimate may differ (``Session/costNotes``).
    public let costNotes: [CostNote]
    /// What reading its files amounted to (all clean).
    public let reports: [FileReadReport]
    /// The calls, in the order ``Session/apiCalls`` lists them.
    let calls: [Call]
    /// Each phase's row key, in phase order.
    let phaseKeys: [String]
    /// What the session owns (its lines, call keys, main-thread message ids), and its
    /// subagents' message ids.
    let claims: DuplicateFilter.Claims

    /// Reads a session for costs; nil when it must be read the full way.
    static func read(_ source: SessionSource, redactSecrets: Bool, maxLineBytes: Int) -> UsageSession? {
        // A session with copies elsewhere is read the full way, which says so.
        guard source.copies.isEmpty else { return nil }
        var arena = UsageArena()
        guard let main = UsageFile.read(path: source.file, arena: &arena, redact: redactSecrets, maxLineBytes: maxLineBytes) else { return nil }
        var subagents: [(file: UsageFile, meta: SubagentMeta?)] = []
        for path in source.subagentFiles {
            guard let file = UsageFile.read(path: path, arena: &arena, redact: redactSecrets, maxLineBytes: maxLineBytes) else { return nil }
            let meta: SubagentMeta?
            do { meta = try SubagentMeta.read(beside: path) } catch { return nil }
            subagents.append((file, meta))
        }
        return UsageSessionBuilder(source: source, main: main, subagents: subagents, arena: arena).build()
    }

    /// Reads a session of one file held in memory (for fuzzing and tests).
    static func read(bytes: UnsafeRawBufferPointer, path: String, redactSecrets: Bool = true) -> UsageSession? {
        var arena = UsageArena()
        guard let main = UsageFile.read(bytes: bytes, path: path, arena: &arena, redact: redactSecrets) else { return nil }
        return UsageSessionBuilder(source: SessionSource(file: path), main: main, subagents: [], arena: arena).build()
    }

    fileprivate init(
        id: String, reportedCostUSD: Double?, costNotes: [CostNote], reports: [FileReadReport], calls: [Call], phaseKeys: [String],
        claims: DuplicateFilter.Claims
    ) {
        self.id = id
        self.reportedCostUSD = reportedCostUSD
        self.costNotes = costNotes
        self.reports = reports
        self.calls = calls
        self.phaseKeys = phaseKeys
        self.claims = claims
    }
}

/// Builds a ``UsageSession`` as ``SessionReader/assemble(_:filter:)`` and
/// ``PhaseSplitter/split(_:)`` would for a session read with a fresh filter.
private struct UsageSessionBuilder {
    typealias Place = (phase: Int, turn: Int)

    let source: SessionSource
    let main: UsageFile
    let subagents: [(file: UsageFile, meta: SubagentMeta?)]
    let arena: UsageArena

    /// A call while calls are collected.
    struct Draft {
        var keyHash: UInt64
        /// The message id and request id, nil for a call keyed by its file and line.
        var messageID: ByteSpan?
        var requestID: ByteSpan?
        var model: ByteSpan?
        var timestamp: ByteSpan?
        var usage: TokenUsage
        var terms: CallTerms
        /// Where its first line is: the file (0 main, then subagents) and node.
        var file: Int
        var node: Int
        /// The subagent (index in `subagents`) that made it; nil for the main conversation.
        var agent: Int?
        var sidechainOnly: Bool
    }

    init(source: SessionSource, main: UsageFile, subagents: [(file: UsageFile, meta: SubagentMeta?)], arena: UsageArena) {
        self.source = source
        self.main = main
        self.subagents = subagents
        self.arena = arena
    }

    func file(_ index: Int) -> UsageFile { index == 0 ? main : subagents[index - 1].file }

    /// The hash of a call key: the message id and request id joined by U+001F (``CallKey``).
    func callHash(_ id: ByteSpan, _ request: ByteSpan?) -> UInt64 {
        var hash = arena.hash(id)
        withUnsafeBytes(of: UInt8(0x1F)) { hash = StableHash.continued(hash, $0) }
        if let request { arena.withBytes(request) { hash = StableHash.continued(hash, $0) } }
        return hash
    }

    func sameRequest(_ a: ByteSpan?, _ b: ByteSpan?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let a?, nil): return a.count == 0
        case (nil, let b?): return b.count == 0
        case (let a?, let b?): return arena.equal(a, b)
        }
    }

    func build() -> UsageSession? {
        let nodes = main.nodes
        if nodes.contains(where: \.isSidechain) { return nil }
        guard let conversation = conversationOrder() else { return nil }

        // Split assistant lines merged: entries are the messages the conversation lists.
        var entries: [Int] = []
        var entryOfMessage = [Int](repeating: -1, count: main.messages.count)
        var merged: [(entry: Int, message: Int)] = []
        var entryOfKey = HashedKeyTable()
        for m in conversation {
            let info = main.messages[m]
            if info.role == .assistant, let id = info.messageID {
                let hash = callHash(id, info.requestID)
                if let at = entryOfKey[hash] {
                    let other = main.messages[entries[Int(at)]]
                    guard arena.equal(other.messageID!, id), sameRequest(other.requestID, info.requestID) else { return nil }
                    merged.append((Int(at), m))
                    continue
                }
                entryOfKey.set(hash, UInt32(entries.count))
            }
            entryOfMessage[m] = entries.count
            entries.append(m)
        }

        let phases = splitPhases(entries)
        guard var calls = collectCalls() else { return nil }

        // Sidechain copies of a main-thread message are not calls of their own.
        var mainIDs = HashedKeyTable()
        for call in calls where call.agent == nil {
            guard let id = call.messageID else { continue }
            mainIDs.set(arena.hash(id), 0)
        }
        var keptCalls: [Draft] = []
        keptCalls.reserveCapacity(calls.count)
        for call in calls {
            if call.agent != nil, let id = call.messageID, mainIDs.contains(arena.hash(id)) {
                guard isMainMessageID(id, in: calls) else { return nil }
                continue
            }
            keptCalls.append(call)
        }
        let allKeys = calls.map(\.keyHash)
        calls = keptCalls

        // What the session owns.
        var claims = DuplicateFilter.Claims()
        claims.uuids = main.nodes.map(\.uuidHash)
        claims.figuresAfter = main.coverage.figuresAfter(main.nodes.lazy.map(\.line))
        for sub in subagents { claims.uuids += sub.file.nodes.lazy.map(\.uuidHash) }
        claims.apiKeys = allKeys
        for call in calls {
            guard let id = call.messageID else { continue }
            if call.agent == nil { claims.mainMessageIDs.append(arena.hash(id)) } else { claims.sidechainMessageIDs.append(arena.hash(id)) }
        }

        let placed = place(calls, phases: phases, entries: entries, entryOfMessage: entryOfMessage, merged: merged)
        var models = TextCache()
        var days = TextCache()
        var out: [UsageSession.Call] = []
        out.reserveCapacity(calls.count)
        for (i, call) in calls.enumerated() {
            let model = call.model.map { models.string($0, arena) } ?? "unknown"
            let day = call.timestamp.map { span in days.string(ByteSpan(start: Int(span.start), count: Int(min(span.count, 10))), arena) } ?? "unknown"
            out.append(UsageSession.Call(model: model, day: day, usage: call.usage, terms: call.terms, phase: placed[i]))
        }
        return UsageSession(
            id: source.sessionID, reportedCostUSD: main.reportedCostUSD, costNotes: main.coverage.notes,
            reports: [main.report] + subagents.map(\.file.report), calls: out,
            phaseKeys: phases.phases.map { $0.name?.command ?? "(no phase)" }, claims: claims)
    }

    /// True when a main-thread call has message id `id` (its hash matched one).
    private func isMainMessageID(_ id: ByteSpan, in calls: [Draft]) -> Bool {
        calls.contains { $0.agent == nil && $0.messageID.map { arena.equal($0, id) } == true }
    }

    /// The main file's conversation as message indices, in chain order (as ``ChainOrder``);
    /// nil at a cycle.
    private func conversationOrder() -> [Int]? {
        let nodes = main.nodes
        var parentOf = [Int?](repeating: nil, count: nodes.count)
        for i in nodes.indices {
            guard let link = nodes[i].link, let at = main.nodeOfUUID[arena.hash(link)] else { continue }
            if arena.equal(nodes[Int(at)].uuid, link) { parentOf[i] = Int(at) }
        }
        let order = ChainOrder.order(
            parentOf: parentOf,
            isLeafCandidate: { i in nodes[i].message >= 0 && main.messages[Int(nodes[i].message)].isConversation },
            continuesAtPrevious: { i in nodes[i].message >= 0 && main.messages[Int(nodes[i].message)].isBashInput },
            line: { nodes[$0].line })
        guard order.cycles.isEmpty else { return nil }
        return order.conversation.compactMap { nodes[$0].message >= 0 ? Int(nodes[$0].message) : nil }
    }

    // MARK: Phases

    /// The phases over conversation entries, by the rules ``PhaseSplitter`` applies.
    private func splitPhases(_ entries: [Int]) -> PhaseOutline {
        PhaseOutline(
            count: entries.count, inherited: nil, isPrompt: { main.messages[entries[$0]].isPrompt },
            phaseStarted: { main.messages[entries[$0]].phase },
            isContent: { e in
                let info = main.messages[entries[e]]
                return !info.isMeta && info.role != .system
            })
    }

    // MARK: Calls

    /// The calls, once each, as `SessionReader.assemble` collects them: main file first, then
    /// each subagent; the largest output count wins and a main-thread copy beats a sidechain
    /// one. Nil when two different keys share a hash.
    private func collectCalls() -> [Draft]? {
        var calls: [Draft] = []
        var callOfKey = HashedKeyTable()
        for f in 0...subagents.count {
            let file = file(f)
            let sidechain = f > 0
            for (n, node) in file.nodes.enumerated() where node.message >= 0 {
                let info = file.messages[Int(node.message)]
                guard let usage = info.usage else { continue }
                let hash = info.messageID.map { callHash($0, info.requestID) } ?? StableHash.of("\(file.path)#\(node.line)")
                let call = Draft(
                    keyHash: hash, messageID: info.messageID, requestID: info.requestID, model: info.model,
                    timestamp: info.timestamp, usage: usage, terms: info.terms, file: f, node: n, agent: sidechain ? f - 1 : nil,
                    sidechainOnly: sidechain)
                guard let found = callOfKey[hash] else {
                    callOfKey.set(hash, UInt32(calls.count))
                    calls.append(call)
                    continue
                }
                let at = Int(found)
                let existing = calls[at]
                guard let id = info.messageID, let other = existing.messageID, arena.equal(id, other),
                    sameRequest(info.requestID, existing.requestID)
                else { return nil }
                if (existing.sidechainOnly && !sidechain) || usage.output > existing.usage.output {
                    var kept = call
                    kept.file = existing.file
                    kept.node = existing.node
                    kept.timestamp = existing.timestamp
                    kept.sidechainOnly = existing.sidechainOnly
                    calls[at] = kept
                }
                if !sidechain { calls[at].sidechainOnly = false }
            }
        }
        return calls
    }

    /// Each call's phase, by ``PhaseOutline/place(holding:startedAgent:stamp:starts:first:notAfter:)``
    /// as `PhaseSplitter` assigns calls to turns (nil when there is no phase).
    private func place(
        _ calls: [Draft], phases outline: PhaseOutline, entries: [Int], entryOfMessage: [Int], merged: [(entry: Int, message: Int)]
    ) -> [Int?] {
        guard let first = outline.firstPlace else { return calls.map { _ in nil } }
        var placeOfEntry = [Place?](repeating: nil, count: entries.count)
        var placeOfToolUse: [String: Place] = [:]
        var starts: [(ByteSpan, Place)] = []
        let wantsToolUses = !subagents.isEmpty
        let mergedInOrder = merged.enumerated().sorted { ($0.element.entry, $0.offset) < ($1.element.entry, $1.offset) }.map(\.element)
        var nextMerged = 0
        func noteToolUses(of message: Int, at place: Place) {
            for i in main.messages[message].toolUses { placeOfToolUse[arena.string(main.toolUseIDs[i])] = place }
        }
        for (place, turn) in outline.places {
            for e in turn.positions {
                placeOfEntry[e] = place
                guard wantsToolUses else { continue }
                noteToolUses(of: entries[e], at: place)
                while nextMerged < mergedInOrder.count && mergedInOrder[nextMerged].entry < e { nextMerged += 1 }
                var k = nextMerged
                while k < mergedInOrder.count && mergedInOrder[k].entry == e {
                    noteToolUses(of: mergedInOrder[k].message, at: place)
                    k += 1
                }
            }
            if let stamp = turn.first.flatMap({ main.messages[entries[$0]].timestamp }) { starts.append((stamp, place)) }
        }
        var placeOfAgent: [String: Place] = [:]
        var agentIDs: [String] = []
        for sub in subagents {
            let agent = sub.file.agentID ?? SessionReader.agentID(fromFile: sub.file.path)
            agentIDs.append(agent)
            if let id = sub.meta?.toolUseId ?? main.agentToolUse[agent], let place = placeOfToolUse[id] {
                placeOfAgent[agent] = place
            }
        }
        var out: [Int?] = []
        out.reserveCapacity(calls.count)
        for call in calls {
            var holding: Place?
            let node = file(call.file).nodes[call.node]
            var mainNode: Int?
            if call.file == 0 {
                mainNode = call.node
            } else if let at = main.nodeOfUUID[node.uuidHash] {
                if arena.equal(main.nodes[Int(at)].uuid, node.uuid) { mainNode = Int(at) }
            }
            if let n = mainNode, main.nodes[n].message >= 0 {
                let entry = entryOfMessage[Int(main.nodes[n].message)]
                if entry >= 0 { holding = placeOfEntry[entry] }
            }
            let place = PhaseOutline.place(
                holding: holding, startedAgent: call.agent.flatMap { placeOfAgent[agentIDs[$0]] }, stamp: call.timestamp, starts: starts,
                first: first, notAfter: arena.lessOrEqual)
            out.append(place.phase)
        }
        return out
    }
}

/// Strings made once for repeated bytes (models, days): consecutive calls mostly share them.
private struct TextCache {
    private var spans: [ByteSpan] = []
    private var strings: [String] = []

    mutating func string(_ span: ByteSpan, _ arena: UsageArena) -> String {
        for i in spans.indices.reversed() where arena.equal(spans[i], span) { return strings[i] }
        let text = arena.string(span)
        spans.append(span)
        strings.append(text)
        return text
    }
}
