/// Orders conversation nodes by their `parentUuid` links.
///
/// The conversation is the chain that ends at the last leaf in file order, a leaf being a
/// user or assistant line that no other such line descends from. Walking back, a line without a parent continues through its `logicalParentUuid`
/// (compaction). When the chain's root is not the file's first line, earlier chains that do
/// not meet it (a conversation restarted without links) are put in front. A bash-mode line
/// (`! command`, recorded as `<bash-input>`) abandons nothing: the CLI may link it to an early
/// line, and it continues the conversation after the line written before it. Lines on no
/// chain are branches (an edited and re-sent prompt, `/rewind`), kept apart with the line they
/// left the conversation at. A cycle stops the walk with a diagnostic.
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
            isBashInput[i] = nodes[i].message?.role == .user && PromptText.isBashInput(nodes[i].message?.text ?? "")
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
        return walk(parentOf: parentOf, isLeafCandidate: isLeafCandidate, line: { nodes[$0].line })
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
