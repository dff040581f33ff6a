import Foundation

/// How much of each message a reader keeps.
public enum ReadDetail: Sendable {
    /// Everything, for reports.
    case full
    /// What session lists need: prompts, assistant text, tool names and ids, usage; the
    /// bodies of thinking, tool inputs, tool results and images are not decoded.
    case summary
    /// What costs need: as ``summary``, and assistant text is not decoded either (prompts
    /// still are: they name the phases). Phase outcomes, read from the assistant's last
    /// text, are unknown at this detail.
    case usage
}

/// Reads sessions: a transcript and its subagents become one ``Session``.
public struct SessionReader: Sendable {
    /// How much of each message to keep.
    public var detail: ReadDetail
    /// Replace API keys, tokens and passwords in every text with `[REDACTED]` (on by default).
    public var redactSecrets: Bool
    /// Lines longer than this are skipped with a diagnostic instead of loaded.
    public var maxLineBytes = LineScanner.defaultMaxLineBytes

    /// Creates a reader.
    public init(detail: ReadDetail = .full, redactSecrets: Bool = true) {
        self.detail = detail
        self.redactSecrets = redactSecrets
    }

    /// Reads one session.
    ///
    /// - Parameters:
    ///   - source: the session's files.
    ///   - filter: what earlier sessions of this run counted; updated with this session.
    /// - Returns: the session. Line problems are in its ``Session/reports``.
    /// - Throws: ``TranscriptError/unreadable(path:reason:)`` when the main file cannot be read.
    public func read(_ source: SessionSource, filter: inout DuplicateFilter) throws -> Session {
        assemble(try parse(source), filter: &filter)
    }

    /// The files of a session, read and decoded but not yet de-duplicated against other
    /// sessions: the part of reading that can run in parallel.
    public struct ParsedSession: @unchecked Sendable {
        let source: SessionSource
        let main: TranscriptFile
        let subagents: [(path: String, file: TranscriptFile?, meta: SubagentMeta?, error: String?, metaError: Bool)]
        var preassembled: (Session, DuplicateFilter)?
    }

    /// Reads and decodes a session's files (no shared state: safe to call in parallel).
    ///
    /// - Throws: ``TranscriptError/unreadable(path:reason:)`` when the main file cannot be read.
    public func parse(_ source: SessionSource) throws -> ParsedSession {
        let main = try TranscriptFile.read(path: source.file, detail: detail, redact: redactSecrets, maxLineBytes: maxLineBytes)
        var subagents: [(path: String, file: TranscriptFile?, meta: SubagentMeta?, error: String?, metaError: Bool)] = []
        for path in source.subagentFiles {
            do {
                let file = try TranscriptFile.read(path: path, detail: detail, redact: redactSecrets, maxLineBytes: maxLineBytes)
                var meta: SubagentMeta?
                var metaError = false
                do { meta = try SubagentMeta.read(beside: path) } catch { metaError = true }
                subagents.append((path, file, meta, nil, metaError))
            } catch let error as TranscriptError {
                subagents.append((path, nil, nil, error.description, false))
            }
        }
        var parsed = ParsedSession(source: source, main: main, subagents: subagents)
        // Assemble now, as if no earlier session shared anything; the ordered step keeps
        // this result unless it finds an overlap (a fork), which is rare.
        var own = DuplicateFilter()
        let session = assemble(parsed, filter: &own)
        parsed.preassembled = (session, own)
        return parsed
    }

    /// A fork's own reported cost: its cost-state total less what its parent had spent at the
    /// fork, to the picodollar (never below zero).
    private static func ownCost(total: Double, inherited: Double?) -> Double {
        guard let inherited else { return total }
        return Double(max(0, USD(total).picodollars - USD(inherited).picodollars)) / 1e12
    }

    /// Builds the session from its parsed files, in run order: lines an earlier session
    /// owns (a fork's replayed history) are dropped, and the filter learns this session's.
    public func assemble(_ parsed: ParsedSession, filter: inout DuplicateFilter) -> Session {
        if let (session, own) = parsed.preassembled {
            let sidechainIDs = session.apiCalls.compactMap { $0.agentID == nil ? nil : $0.messageID.map(StableHash.of) }
            if own.isDisjoint(from: filter, sidechainMessageIDs: sidechainIDs) {
                filter.absorb(own)
                return session
            }
        }
        let source = parsed.source
        var main = parsed.main
        var foreignLines = 0
        var foreignOwner: String?
        // What the session's owner had spent when this one copied its lines (a fork's
        // cost-state goes on from there), and the phase the copied conversation was in.
        var inheritedCost: Double?
        var inheritedPhase: PhaseName?
        // A fresh filter (each session's first assembly) owns nothing: no line to look up.
        if !filter.ownsNoLines {
            main.nodes.removeAll { node in
                guard let owner = filter.owner(ofUUID: node.uuidHash) else { return false }
                foreignLines += 1
                if foreignOwner == nil { foreignOwner = owner }
                if let figure = filter.figure(afterUUID: node.uuidHash) { inheritedCost = max(inheritedCost ?? figure, figure) }
                if let m = node.message, m.isPrompt, !node.isSidechain, let name = PhaseName.startedBy(prompt: m.text) { inheritedPhase = name }
                return true
            }
        }
        var reports = [main.report]
        if !source.copies.isEmpty {
            let others = source.copies.joined(separator: ", ")
            reports[0].warn(line: nil, "session \(source.sessionID) is also in \(others) (a copy); it is counted once, from this file")
        }

        let ordered = ChainOrder.order(main.nodes, sidechainsEndChains: false)
        for line in ordered.cycles {
            reports[0].warn(line: line, "parentUuid cycle: the conversation is cut here")
        }
        let messages = Self.merge(ordered.conversation.compactMap { main.nodes[$0].message })
        let branches = Self.branches(ordered, nodes: main.nodes, messages: messages)

        // Subagents: sidechain lines inside the main file (old layout), then subagent files.
        var subagents: [Subagent] = []
        var agentNodes: [(Subagent, [TranscriptFile.Node])] = []
        let inline = Dictionary(grouping: main.nodes.filter(\.isSidechain)) { $0.agentID ?? "sidechain" }
        for (agent, nodes) in inline.sorted(by: { $0.key < $1.key }) {
            agentNodes.append((Subagent(agentID: agent, file: source.file, messages: []), nodes))
        }
        for sub in parsed.subagents {
            guard var file = sub.file else {
                var report = FileReadReport(file: sub.path)
                report.fail(line: nil, sub.error ?? "cannot read")
                reports.append(report)
                continue
            }
            if !filter.ownsNoLines { file.nodes.removeAll { filter.owner(ofUUID: $0.uuidHash) != nil } }
            reports.append(file.report)
            if sub.metaError {
                reports[reports.count - 1].warn(line: nil, "\(SubagentMeta.path(beside: sub.path)): unreadable agent metadata, ignored")
            }
            let agent = file.nodes.first(where: { $0.agentID != nil })?.agentID ?? Self.agentID(fromFile: sub.path)
            let subagent = Subagent(
                agentID: agent, toolUseID: sub.meta?.toolUseId, description: sub.meta?.description,
                agentType: sub.meta?.agentType, file: sub.path, messages: [])
            agentNodes.append((subagent, file.nodes))
        }
        var agentToolUse = main.agentToolUse
        for (sub, nodes) in agentNodes {
            let order = ChainOrder.order(nodes, sidechainsEndChains: true)
            var filled = sub
            filled.messages = Self.merge((order.conversation + order.branches).compactMap { nodes[$0].message })
            if filled.toolUseID == nil { filled.toolUseID = agentToolUse[filled.agentID] }
            for m in filled.messages {
                for result in m.toolResults {
                    if let a = TranscriptFile.agentID(inResultText: result.text), agentToolUse[a] == nil {
                        agentToolUse[a] = result.toolUseID
                    }
                }
            }
            subagents.append(filled)
        }
        for i in subagents.indices where subagents[i].toolUseID == nil {
            subagents[i].toolUseID = agentToolUse[subagents[i].agentID]
        }

        // API calls, once each: the largest output_tokens of a call's lines wins, a main-thread
        // copy beats a sidechain copy, and calls an earlier session counted are left out.
        // Calls in first-seen order, each at its key's position in `callKeys`.
        var calls: [APICall] = []
        var callKeys = HashedKeyList<UsageKey>()
        var callKeyHashes: [UInt64] = []
        var sidechainOnly: [Bool] = []
        /// `sidechain`: only the nodes on (true) or off (false) a sidechain; nil: all.
        func collect(_ nodes: [TranscriptFile.Node], agent: String?, sidechain only: Bool? = nil) {
            for i in nodes.indices {
                if let only, nodes[i].isSidechain != only { continue }
                guard let key = nodes[i].usageKey, let usage = nodes[i].usage, let message = nodes[i].message else { continue }
                let keyHash = key.hash
                if filter.countsAPIKey(keyHash) { continue }
                let node = (uuid: nodes[i].uuid, isSidechain: nodes[i].isSidechain, agentID: nodes[i].agentID)
                let sidechain = agent != nil || node.isSidechain
                if sidechain, let id = message.messageID, filter.countsMainMessageID(StableHash.of(id)) { continue }
                let call = APICall(
                    messageID: message.messageID, requestID: message.requestID, model: message.model ?? "unknown",
                    timestamp: message.timestamp, usage: usage, terms: nodes[i].terms, uuid: node.uuid, agentID: sidechain ? (agent ?? node.agentID) : nil)
                let (at, added) = callKeys.add(key, hash: keyHash)
                if !added {
                    let existing = calls[at]
                    let replace = (sidechainOnly[at] && !sidechain) || usage.output > existing.usage.output
                    if replace {
                        var kept = call
                        kept.uuid = existing.uuid
                        kept.timestamp = existing.timestamp
                        if !sidechain { kept.agentID = nil }
                        calls[at] = kept
                    }
                    if !sidechain { sidechainOnly[at] = false }
                } else {
                    calls.append(call)
                    callKeyHashes.append(keyHash)
                    sidechainOnly.append(sidechain)
                }
            }
        }
        collect(main.nodes, agent: nil, sidechain: false)
        collect(main.nodes, agent: "sidechain", sidechain: true)
        for (sub, nodes) in agentNodes where sub.file != source.file {
            collect(nodes, agent: sub.agentID)
        }
        // Sidechain copies of a main-thread message (side questions replay the parent's
        // messages with another request id) are not calls of their own.
        let mainIDs = Set(calls.compactMap { $0.agentID == nil ? $0.messageID : nil })
        let apiCalls = calls.filter { call in
            !(call.agentID != nil && call.messageID.map(mainIDs.contains) == true)
        }
        // Each call's usage on its message (the first call of a key wins).
        var usageKeys = HashedKeyList<CallKey>()
        var callUsage: [(TokenUsage, CallTerms)] = []
        for call in apiCalls {
            guard let id = call.messageID else { continue }
            let key = CallKey(messageID: id, requestID: call.requestID)
            if usageKeys.add(key, hash: key.hash).added { callUsage.append((call.usage, call.terms)) }
        }
        func withUsage(_ list: consuming [Message]) -> [Message] {
            for i in list.indices where list[i].role == .assistant && !list[i].isAPIError {
                guard let id = list[i].messageID else { continue }
                let key = CallKey(messageID: id, requestID: list[i].requestID)
                guard let at = usageKeys.position(of: key, hash: key.hash) else {
                    list[i].usage = nil
                    continue
                }
                (list[i].usage, list[i].terms) = callUsage[at]
            }
            return list
        }

        // Register what this session owns.
        let sessionID = source.sessionID
        filter.setOwner(of: main.nodes, to: sessionID)
        // Read field by field: a node is never copied whole (it holds its message).
        var hashes: [UInt64] = []
        var lines: [Int] = []
        hashes.reserveCapacity(main.nodes.count)
        lines.reserveCapacity(main.nodes.count)
        for i in main.nodes.indices {
            hashes.append(main.nodes[i].uuidHash)
            lines.append(main.nodes[i].line)
        }
        filter.setFigures(hashes, main.coverage.figuresAfter(lines))
        for (_, nodes) in agentNodes { filter.setOwner(of: nodes, to: sessionID) }
        for hash in callKeyHashes { filter.addAPIKey(hash) }
        for call in apiCalls where call.agentID == nil { if let id = call.messageID { filter.addMainMessageID(StableHash.of(id)) } }

        let (start, end) = Self.timeSpan(of: main.nodes)
        var session = Session(
            id: sessionID, file: source.file, projectPath: main.cwd, title: main.title.best,
            cliVersions: main.versions, messages: withUsage(messages),
            branches: branches.map { Branch(leftAfter: $0.leftAfter, messages: withUsage($0.messages)) },
            subagents: subagents.map { s in
                var s = s; s.messages = withUsage(s.messages); return s
            },
            apiCalls: apiCalls, reportedCostUSD: main.reportedCostUSD.map { Self.ownCost(total: $0, inherited: inheritedCost) },
            costNotes: main.coverage.notes, continuesSession: foreignOwner, inheritedPhase: inheritedPhase, start: start, end: end, reports: reports)
        if foreignOwner == nil { session.costFigures = main.coverage.figures.map { CostFigure(line: $0.line, usd: $0.usd) } }
        if foreignLines > 0, let owner = foreignOwner {
            let from = inheritedCost.map { "; its reported cost counts from the \(USD($0)) that session had spent" } ?? ""
            session.reports[0].warn(line: nil, "\(foreignLines) lines repeat session \(owner) (a fork or resume) and are counted there\(from)")
        }
        return session
    }

    /// The earliest and latest message timestamps of the nodes.
    private static func timeSpan(of nodes: [TranscriptFile.Node]) -> (String?, String?) {
        var first: String?
        var last: String?
        for i in nodes.indices {
            guard let stamp = nodes[i].message?.timestamp else { continue }
            if first.map({ stamp < $0 }) ?? true { first = stamp }
            if last.map({ stamp > $0 }) ?? true { last = stamp }
        }
        return (first, last)
    }

    static func agentID(fromFile path: String) -> String {
        var name = Substring(path.split(separator: "/").last ?? "")
        if name.hasSuffix(".jsonl") { name = name.dropLast(6) }
        if name.hasPrefix("agent-") { name = name.dropFirst(6) }
        return String(name)
    }

    /// The branches of a file's chains: segments that hang off one another form one branch,
    /// placed after the main-conversation message they left from (the nearest one at or
    /// before the line they hang off that starts a message of `messages`).
    static func branches(_ ordered: ChainOrder.Result, nodes: [TranscriptFile.Node], messages: [Message]) -> [Branch] {
        guard !ordered.branchSegments.isEmpty else { return [] }
        var positionOnMain: [Int: Int] = [:]
        for (p, n) in ordered.conversation.enumerated() { positionOnMain[n] = p }
        let starts = Set(messages.map(\.uuid))
        func leftAfter(_ node: Int?) -> String? {
            guard let node, var p = positionOnMain[node] else { return nil }
            while p >= 0 {
                let n = ordered.conversation[p]
                if let m = nodes[n].message, starts.contains(m.uuid) { return m.uuid }
                p -= 1
            }
            return nil
        }
        var groupOfNode: [Int: Int] = [:]
        var groups: [(from: Int?, nodes: [Int])] = []
        for segment in ordered.branchSegments {
            let group: Int
            if let from = segment.from, let g = groupOfNode[from] {
                group = g
            } else {
                group = groups.count
                groups.append((segment.from, []))
            }
            groups[group].nodes += segment.nodes
            for n in segment.nodes { groupOfNode[n] = group }
        }
        return groups.map { g in
            Branch(leftAfter: leftAfter(g.from), messages: merge(g.nodes.sorted().compactMap { nodes[$0].message }))
        }
    }

    /// Merges the lines of one API response (same message id and request id) into one
    /// message with all its blocks, in order.
    static func merge(_ messages: consuming [Message]) -> [Message] {
        var keys = HashedKeyList<CallKey>()
        var positions: [Int] = []  // by key
        var merged: [Bool] = []
        for i in messages.indices {
            guard messages[i].role == .assistant, let id = messages[i].messageID else { continue }
            let key = CallKey(messageID: id, requestID: messages[i].requestID)
            let (k, added) = keys.add(key, hash: key.hash)
            if added {
                positions.append(i)
                continue
            }
            let blocks = messages[i].blocks
            messages[positions[k]].blocks.append(contentsOf: blocks)
            if merged.isEmpty { merged = [Bool](repeating: false, count: messages.count) }
            merged[i] = true
        }
        guard !merged.isEmpty else { return messages }
        var i = 0
        messages.removeAll { _ in
            defer { i += 1 }
            return merged[i]
        }
        return messages
    }
}

/// The sidecar `agent-<id>.meta.json` of a subagent transcript.
struct SubagentMeta: Decodable {
    var toolUseId: String?
    var description: String?
    var agentType: String?

    static func path(beside transcript: String) -> String {
        (transcript.hasSuffix(".jsonl") ? String(transcript.dropLast(6)) : transcript) + ".meta.json"
    }

    /// The metadata beside a subagent transcript; nil when there is none.
    /// - Throws: when the file exists but is not the expected JSON.
    static func read(beside transcript: String) throws -> SubagentMeta? {
        guard let data = FileManager.default.contents(atPath: path(beside: transcript)) else { return nil }
        return try JSONDecoder().decode(SubagentMeta.self, from: data)
    }
}
