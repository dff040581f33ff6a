/// Orders conversation nodes by their `parentUuid` links.
///
/// The conversation is the chain that ends at the last leaf in file order, a leaf being a
/// user or assistant line that no other such line descends from. Walking back, a line without a parent continues through its `logicalParentUuid`
/// (compaction). When the chain's root is not the file's first line, earlier chains that do
/// not meet it (a conversation restarted without links) are put in front. A bash-mode line
/// (`! command`, recorded as `<bash-input>`) abandons nothing: the CLI may link it to an early
/// line, and it continues the conversation after the line written before it. Lines on no
/// chain are branches (an edited and re-sent prompt, `/rewind`), kept apart with the line they
/// left the conversation at. A response with parallel tool calls is not a branch: the CLI
/// writes it as one line per call, each result hanging off the line of its call, and the chain
/// goes on from the result written last; the other lines and results of a response on the
/// conversation belong to it, each after the line it hangs off. A cycle stops the walk with a
/// diagnostic.
enum ChainOrder {
    struct Result {
        /// Node indices of the conversation, oldest first.
        var conversation: [Int]
        /// Node indices that are on no conversation chain.
        var branches: [Int]
        /// The branches as the walks found them: each one's nodes, oldest first, and the node
        /// it hangs off (on the conversation or on another branch; nil when it meets neither).
        var branchSegments: [(nodes: [Int], from: Int?)] = []
        /// Lines where a `parentUuid` cycle was cut.
        var cycles: [Int]
    }

    /// - Parameters:
    ///   - nodes: the nodes, in file order.
    ///   - sidechainsEndChains: whether sidechain lines may end a chain (in a subagent's
    ///     file, where every line is one); chains end at user and assistant messages and
    ///     compaction boundaries.
    static func order(_ nodes: [TranscriptFile.Node], sidechainsEndChains: Bool) -> Result {
        // Nodes are read by index, never copied whole (a node holds its message): what the
        // walks need is taken out once, into flat arrays.
        let count = nodes.count
        var index = HashedStringIndex()
        var isLeafCandidate = [Bool](repeating: false, count: count)
        var isBashInput = [Bool](repeating: false, count: count)
        for i in 0..<count {
            if index.position(of: nodes[i].uuid, hash: nodes[i].uuidHash, keyAt: { nodes[$0].uuid }) == nil {
                index.insert(nodes[i].uuid, hash: nodes[i].uuidHash, position: i)
            }
            isLeafCandidate[i] = (sidechainsEndChains || !nodes[i].isSidechain) && nodes[i].isConversation
            isBashInput[i] = nodes[i].isBashInput
        }
        // Each node's parent (or logical parent) as an index, looked up once: the walks
        // below follow integers, not hashed uuids. A bash-mode line hangs off the last node
        // before it that may end a chain, whatever it links to.
        var parentOf = [Int?](repeating: nil, count: count)
        var previous: Int?
        for i in 0..<count {
            if let p = previous, isBashInput[i] {
                parentOf[i] = p
            } else if let parent = nodes[i].parent ?? nodes[i].logicalParent {
                parentOf[i] = index.position(of: parent, hash: StableHash.of(parent), keyAt: { nodes[$0].uuid })
            }
            if isLeafCandidate[i] { previous = i }
        }
        var result = walk(parentOf: parentOf, isLeafCandidate: isLeafCandidate, line: { nodes[$0].line })
        joinParallelCalls(&result, nodes: nodes, parentOf: parentOf, sidechainsEndChains: sidechainsEndChains)
        return result
    }

    /// Moves the lines of responses on the conversation that stand beside it into it: another
    /// line of a response (its message id) on the conversation, and a tool result answering a
    /// call of such a line, each after the line it hangs off, in file order.
    private static func joinParallelCalls(_ result: inout Result, nodes: [TranscriptFile.Node], parentOf: [Int?], sidechainsEndChains: Bool) {
        guard result.branches.count > 0 else { return }
        var joined = [Bool](repeating: false, count: nodes.count)
        var messageIDs = Set<String>()
        var callIDs = Set<String>()
        func learn(_ n: Int) {
            guard let message = nodes[n].message, message.role == .assistant else { return }
            if let id = message.messageID { messageIDs.insert(id) }
            for use in message.toolUses { callIDs.insert(use.id) }
        }
        for n in result.conversation {
            joined[n] = true
            learn(n)
        }
        var after: [Int: [Int]] = [:]
        for n in result.branches where sidechainsEndChains || !nodes[n].isSidechain {
            guard let p = parentOf[n], joined[p], let message = nodes[n].message else { continue }
            let isPart: Bool
            if message.role == .assistant, let id = message.messageID {
                isPart = messageIDs.contains(id)
            } else if case .toolResults = message.kind {
                isPart = message.toolResults.contains { callIDs.contains($0.toolUseID) }
            } else {
                isPart = false
            }
            guard isPart else { continue }
            joined[n] = true
            learn(n)
            after[p, default: []].append(n)
        }
        guard !after.isEmpty else { return }
        func place(_ n: Int, into order: inout [Int]) {
            order.append(n)
            for child in after[n] ?? [] { place(child, into: &order) }
        }
        var conversation: [Int] = []
        for n in result.conversation { place(n, into: &conversation) }
        result.conversation = conversation
        result.branches.removeAll { joined[$0] }
        result.branchSegments = result.branchSegments.compactMap { segment in
            let rest = segment.nodes.filter { !joined[$0] }
            return rest.isEmpty ? nil : (rest, segment.from)
        }
    }

    /// The walks over nodes given by their parents' indices.
    private static func walk(parentOf: [Int?], isLeafCandidate: [Bool], line: (Int) -> Int) -> Result {
        let count = parentOf.count
        var state = [Int](repeating: 0, count: count)  // 0 unvisited, 1 conversation, 2 branch
        var walkMark = [Int](repeating: -1, count: count)
        var segments: [[Int]] = []
        var earliestRoot = Int.max
        var branches: [Int] = []
        var branchSegments: [(nodes: [Int], from: Int?)] = []
        var cycles: [Int] = []
        // Mark every ancestor of a candidate: what is left unmarked are the leaves.
        var hasDescendant = [Bool](repeating: false, count: count)
        var candidates: [Int] = []
        for i in 0..<count where isLeafCandidate[i] {
            candidates.append(i)
            var guardSteps = 0
            var current = parentOf[i]
            while let c = current, !hasDescendant[c], guardSteps <= count {
                hasDescendant[c] = true
                guardSteps += 1
                current = parentOf[c]
            }
        }
        let leaves = candidates.filter { !hasDescendant[$0] }
        var walk = 0
        // Leaves first; then lines caught in a parentUuid cycle, which have no leaf.
        for leaf in leaves.reversed() + candidates.reversed() where state[leaf] == 0 {
            walk += 1
            var path: [Int] = []
            var touched = false
            var touchedAt: Int?
            var current: Int? = leaf
            while let c = current {
                if state[c] != 0 {
                    touched = true
                    touchedAt = c
                    break
                }
                if walkMark[c] == walk {
                    cycles.append(line(c))
                    break
                }
                walkMark[c] = walk
                path.append(c)
                current = parentOf[c]
            }
            let root = path.last ?? leaf
            if segments.isEmpty || (!touched && leaf < earliestRoot) {
                for c in path { state[c] = 1 }
                segments.insert(path.reversed(), at: 0)
                earliestRoot = min(earliestRoot, root)
            } else {
                for c in path { state[c] = 2 }
                branches.append(contentsOf: path)
                branchSegments.append((path.reversed(), touchedAt))
            }
        }
        // Lines that hang off the end of the conversation and cannot end a chain themselves
        // (the CLI's attachments after the last message, such as max_turns_reached) belong to
        // it too.
        var conversation = segments.flatMap { $0 }
        if var tail = conversation.last {
            for n in (tail + 1)..<max(count, tail + 1) where state[n] == 0 && parentOf[n] == tail && !isLeafCandidate[n] {
                conversation.append(n)
                state[n] = 1
                tail = n
            }
        }
        return Result(conversation: conversation, branches: branches.sorted(), branchSegments: branchSegments, cycles: cycles)
    }
}
