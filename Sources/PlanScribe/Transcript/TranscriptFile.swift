/// One transcript file read into conversation nodes, before ordering.
///
/// A node is a line of the `parentUuid` chain: a message, or a link (progress, attachment)
/// that other lines point through.
struct TranscriptFile {
    struct Node {
        let uuid: String
        /// ``StableHash`` of `uuid`, computed once.
        let uuidHash: UInt64
        var parent: String?
        var logicalParent: String?
        var line: Int
        var isSidechain: Bool
        var agentID: String?
        /// Set only in this file, before the node is added: the flags below are read from it then.
        fileprivate(set) var message: Message?
        var usageKey: UsageKey?
        var usage: TokenUsage?
        var terms = CallTerms.standard
        /// A user or assistant message, or a compaction boundary: what a conversation chain
        /// may end at. Set, with ``isBashInput``, when the node is added to its file (stored:
        /// read through `message` on every ChainOrder pass, it cost 1.5 % of `cost`).
        private(set) var isConversation = false
        /// A bash-mode prompt (`! command`, see ``PromptText/isBashInput(_:)``).
        private(set) var isBashInput = false

        /// Sets the flags read from the message.
        fileprivate mutating func noteMessage() {
            guard let message else { return }
            switch (message.role, message.kind) {
            case (.system, .compactBoundary): isConversation = true
            case (.system, _): isConversation = false
            default: isConversation = true
            }
            isBashInput = message.role == .user && PromptText.isBashInput(message.text)
        }

        init(
            uuid: String, parent: String?, logicalParent: String?, line: Int, isSidechain: Bool,
            agentID: String? = nil, message: Message? = nil, usageKey: UsageKey? = nil, usage: TokenUsage? = nil
        ) {
            self.uuid = uuid
            self.uuidHash = StableHash.of(uuid)
            self.parent = parent
            self.logicalParent = logicalParent
            self.line = line
            self.isSidechain = isSidechain
            self.agentID = agentID
            self.message = message
            self.usageKey = usageKey
            self.usage = usage
        }
    }

    var path: String
    /// Replace secrets in every text with `[REDACTED]` (see ``Redactor``).
    var redact = true
    var nodes: [Node] = []
    var report: FileReadReport
    var cwd: String?
    var versions: [String] = []
    var reportedCostUSD: Double?
    var coverage = CostStateCoverage()
    var title: Title = Title()
    /// Tool-use ids by the agent id their result named (old subagent layout).
    var agentToolUse: [String: String] = [:]

    struct Title {
        var custom: String?
        var generated: String?
        var summary: String?
        var best: String? { custom ?? generated ?? summary }
    }

    init(path: String) {
        self.path = path
        self.report = FileReadReport(file: path)
    }

    /// Reads and decodes every line of `path`. Pure: files can be read in parallel; lines
    /// that repeat an earlier session are dropped later, when sessions are assembled in order.
    ///
    /// `afterLine` is called after each line is taken: tests use it to change the file
    /// while it is being read.
    static func read(path: String, detail: ReadDetail = .full, redact: Bool = true, maxLineBytes: Int = LineScanner.defaultMaxLineBytes, afterLine: ((Int) -> Void)? = nil) throws -> TranscriptFile {
        var file = TranscriptFile(path: path)
        file.redact = redact
        var decoder = LineDecoder(detail: detail)
        var nodeOfUUID = HashedStringIndex()
        let change = try LineScanner.scanFile(atPath: path, maxLineBytes: maxLineBytes) { scanned in
            file.take(scanned, decoder: &decoder, maxLineBytes: maxLineBytes, nodeOfUUID: &nodeOfUUID)
            afterLine?(scanned.number)
        }
        if let change { file.report.warn(line: nil, change.message) }
        return file
    }

    /// Reads transcript lines from memory (for fuzzing and tests), as ``read(path:detail:redact:maxLineBytes:)`` does from a file.
    static func read(bytes: UnsafeRawBufferPointer, path: String, detail: ReadDetail = .full, redact: Bool = true) -> TranscriptFile {
        var file = TranscriptFile(path: path)
        file.redact = redact
        var decoder = LineDecoder(detail: detail)
        var nodeOfUUID = HashedStringIndex()
        LineScanner.scan(bytes) { scanned in
            file.take(scanned, decoder: &decoder, maxLineBytes: .max, nodeOfUUID: &nodeOfUUID)
        }
        return file
    }

    private mutating func take(_ scanned: ScannedLine, decoder: inout LineDecoder, maxLineBytes: Int, nodeOfUUID: inout HashedStringIndex) {
        report.lines += 1
        if let length = scanned.oversizedLength {
            report.malformed += 1
            report.warn(line: scanned.number, "line of \(Figures.count(length)) bytes is over the limit of \(Figures.count(maxLineBytes)) (--max-line-bytes); skipped unread")
            return
        }
        accept(decoder.decode(scanned.bytes), line: scanned.number, terminated: scanned.isTerminated, nodeOfUUID: &nodeOfUUID)
    }

    private mutating func accept(
        _ outcome: consuming LineDecoder.Outcome, line: Int, terminated: Bool,
        nodeOfUUID: inout HashedStringIndex
    ) {
        switch consume outcome {
        case .blank:
            return
        case .skipped:
            report.skipped += 1
        case .malformed(let reason):
            if !terminated {
                report.truncatedLastLine = true
                report.warn(line: line, "last line is incomplete (\(reason)); the file may still be being written")
            } else {
                report.malformed += 1
                report.warn(line: line, reason)
            }
        case .unknown(let type, let sniff):
            report.unknownTypes[type, default: 0] += 1
            report.warn(line: line, "unknown line type \"\(type)\" skipped")
            if let uuid = sniff.uuid {
                addNode(Node(uuid: uuid, parent: sniff.parentUUID, logicalParent: sniff.logicalParentUUID, line: line, isSidechain: sniff.isSidechain), nodeOfUUID: &nodeOfUUID)
            }
        case .link(let sniff):
            guard let uuid = sniff.uuid else {
                report.skipped += 1
                return
            }
            var node = Node(uuid: uuid, parent: sniff.parentUUID, logicalParent: sniff.logicalParentUUID, line: line, isSidechain: sniff.isSidechain)
            if let kind = sniff.attachmentType {
                if LineDecoder.opaqueAttachments.contains(kind) {
                    report.skipped += 1
                } else {
                    report.decoded += 1
                    node.message = Message(
                        uuid: uuid, parentUUID: sniff.parentUUID, role: .system, kind: .attachment(kind),
                        timestamp: sniff.timestamp, blocks: [], isMeta: true, isSidechain: sniff.isSidechain,
                        isAPIError: false, line: line)
                }
            } else {
                report.skipped += 1  // progress
            }
            addNode(node, nodeOfUUID: &nodeOfUUID)
        case .decoded(let raw):
            report.decoded += 1
            decoded(raw, line: line, nodeOfUUID: &nodeOfUUID)
        }
    }

    private mutating func addNode(_ node: consuming Node, nodeOfUUID: inout HashedStringIndex) {
        if let first = nodeOfUUID.position(of: node.uuid, hash: node.uuidHash, keyAt: { nodes[$0].uuid }) {
            report.warn(line: node.line, "duplicate uuid \(node.uuid) (first on line \(nodes[first].line)); this copy is ignored")
            return
        }
        nodeOfUUID.insert(node.uuid, hash: node.uuidHash, position: nodes.count)
        node.noteMessage()
        nodes.append(node)
    }

    private mutating func decoded(_ raw: consuming RawLine, line: Int, nodeOfUUID: inout HashedStringIndex) {
        if let cwd = raw.cwd, self.cwd == nil { self.cwd = cwd }
        if let v = raw.version, !versions.contains(v) { versions.append(v) }
        if let (agent, id) = raw.namedSubagent { agentToolUse[agent] = id }
        switch raw.type {
        case "cost-state":
            if let cost = raw.totalCostUSD {
                reportedCostUSD = cost
                coverage.figure(cost, at: line)
            }
            return
        case "summary":
            if title.summary == nil { title.summary = raw.summary.map { redact ? Redactor.redact($0) : $0 } }
            return
        case "custom-title":
            title.custom = raw.customTitle.map { redact ? Redactor.redact($0) : $0 } ?? title.custom
            return
        case "ai-title":
            title.generated = raw.aiTitle.map { redact ? Redactor.redact($0) : $0 } ?? title.generated
            return
        default:
            break
        }
        guard let uuid = raw.uuid else {
            report.warn(line: line, "\(raw.type ?? "line") without a uuid skipped")
            return
        }
        var node = Node(
            uuid: uuid, parent: raw.parentUuid, logicalParent: raw.logicalParentUuid, line: line,
            isSidechain: raw.isSidechain ?? false, agentID: raw.agentId)
        var message = Self.message(from: raw, uuid: uuid, line: line)
        if case .compactBoundary = message.kind { coverage.compacted = true }
        if message.role == .assistant, message.blocks.contains(where: { if case .toolUse(let use) = $0 { use.name == "WebSearch" } else { false } }) {
            coverage.searchedWeb = true
        }
        if raw.toolDenialKind?.value == "interrupted" { coverage.interrupted = true }
        if let time = message.timestamp, !Timestamp.looksLikeISO8601(time) {
            report.warn(line: line, "field timestamp: not an ISO 8601 time (\(time.prefix(40))); the message is kept without one")
            message.timestamp = nil
        }
        if redact {
            // Only a block that may hold a secret is written again.
            for i in message.blocks.indices {
                if let block = Self.redacted(message.blocks[i]) { message.blocks[i] = block }
            }
        }
        if raw.type == "assistant", let usage = raw.message?.usage, !message.isAPIError, !message.isSynthetic {
            let tokens = TokenUsage(usage)
            let clamped = tokens.clampedToZero
            if clamped != tokens {
                report.warn(line: line, "negative token count in message.usage, counted as 0")
            }
            node.usage = clamped
            node.terms = CallTerms(usage)
            coverage.billed(at: line)
            if let id = raw.message?.id {
                node.usageKey = .call(CallKey(messageID: id, requestID: raw.requestId))
            } else {
                node.usageKey = .line(path: path, line: line)
            }
        }
        if case .toolResults = message.kind {
            for case .toolResult(let result) in message.blocks {
                if let agent = Self.agentID(inResultText: result.text), agentToolUse[agent] == nil {
                    agentToolUse[agent] = result.toolUseID
                }
            }
        }
        // Last: the message is not read after it is the node's.
        node.message = message
        addNode(node, nodeOfUUID: &nodeOfUUID)
    }

    /// The block with its secrets replaced, or nil when its text may hold none (see
    /// ``Redactor/redacted(_:)``).
    static func redacted(_ block: ContentBlock) -> ContentBlock? {
        switch block {
        case .text(let t): return Redactor.redacted(t).map(ContentBlock.text)
        case .thinking(let t): return Redactor.redacted(t).map(ContentBlock.thinking)
        case .toolUse(var use):
            guard let input = Redactor.redacted(use.input) else { return nil }
            use.input = input
            return .toolUse(use)
        case .toolResult(var result):
            guard let text = Redactor.redacted(result.text) else { return nil }
            result.text = text
            return .toolResult(result)
        default: return nil
        }
    }

    /// Finds `agentId: <hex>` in a Task result's text (the older way of naming the subagent).
    static func agentID(inResultText text: String) -> String? {
        guard let offset = text.utf8Offset(after: "agentId: ") else { return nil }
        let tail = text.utf8.dropFirst(offset).prefix { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }
        return tail.isEmpty ? nil : String(decoding: tail, as: UTF8.self)
    }

    static func message(from raw: RawLine, uuid: String, line: Int) -> Message {
        let role: Message.Role
        var kind: Message.Kind
        var blocks: [ContentBlock] = []
        var isMeta = raw.isMeta ?? false
        switch raw.type {
        case "assistant":
            role = .assistant
            kind = .response
        case "system":
            role = .system
            if raw.subtype == "compact_boundary" {
                kind = .compactBoundary
            } else {
                kind = .note(raw.subtype ?? raw.message?.role ?? "info")
                isMeta = true
            }
            if let text = raw.content?.value, !text.isEmpty { blocks.append(.text(text)) }
        default:
            role = .user
            kind = raw.isCompactSummary == true ? .compactSummary : .prompt
        }
        switch raw.message?.content {
        case .text(let text)?:
            blocks.append(.text(text))
        case .blocks(let rawBlocks)?:
            for block in rawBlocks { blocks.append(contentBlock(block)) }
        case nil:
            break
        }
        if role == .user && kind == .prompt {
            if blocks.contains(where: { if case .toolResult = $0 { return true } else { return false } }) {
                kind = .toolResults
            } else if !isMeta, Self.isInjected(blocks) {
                isMeta = true
            }
        }
        let model = raw.message?.model
        return Message(
            uuid: uuid, parentUUID: raw.parentUuid, role: role, kind: kind, timestamp: raw.timestamp,
            blocks: blocks, model: model, messageID: raw.message?.id, requestID: raw.requestId,
            usage: nil, isMeta: isMeta, isSidechain: raw.isSidechain ?? false,
            isAPIError: raw.isApiErrorMessage == true || (model == "<synthetic>" && raw.isApiErrorMessage != false), line: line)
    }

    /// User text the CLI injected rather than a person typing it.
    private static func isInjected(_ blocks: [ContentBlock]) -> Bool {
        guard case .text(let text)? = blocks.first else { return false }
        let prefixes = ["<system-reminder>", "<local-command-caveat>", "<local-command-stdout>", "<local-command-stderr>", "<task-notification>", "<bash-stdout>", "<bash-stderr>", "Caveat: "]
        return prefixes.contains { text.hasPrefix($0) }
    }

    static func contentBlock(_ block: RawBlock) -> ContentBlock {
        switch block.type {
        case "text":
            return .text(block.text ?? "")
        case "thinking":
            return .thinking(block.thinking ?? "")
        case "redacted_thinking":
            return .redactedThinking
        case "tool_use", "server_tool_use":
            return .toolUse(ToolUse(id: block.id ?? "", name: block.name ?? "?", input: block.input ?? .object([])))
        case "tool_result":
            var texts: [String] = []
            var images: [ImageInfo] = []
            switch block.content {
            case .text(let t)?: texts.append(t)
            case .blocks(let parts)?:
                for part in parts {
                    if part.type == "tool_reference" {
                        // What ToolSearch loaded: a tool, by name.
                        texts.append(part.tool_name ?? "[tool_reference]")
                        continue
                    }
                    switch contentBlock(part) {
                    case .text(let t): texts.append(t)
                    case .image(let info): images.append(info)
                    case .unsupported(let type): texts.append("[\(type)]")
                    default: break
                    }
                }
            case nil: break
            }
            return .toolResult(ToolResult(toolUseID: block.tool_use_id ?? "", text: texts.joined(separator: "\n"), isError: block.is_error ?? false, images: images))
        case "image":
            let size = (block.source?.dataLength ?? block.source?.data?.utf8.count).map { $0 / 4 * 3 }
            let data = block.source?.data.flatMap { $0.utf8.count <= ImageInfo.embedLimit ? $0 : nil }
            return .image(ImageInfo(mediaType: block.source?.media_type ?? "image", byteCount: size, base64: data))
        default:
            return .unsupported(type: block.type ?? "unknown")
        }
    }
}

extension RawLine {
    /// The subagent a Task result names in `toolUseResult.agentId` (the older layout), with
    /// the id of the tool call it answers (the line's first `tool_result`).
    var namedSubagent: (agentID: String, toolUseID: String)? {
        guard let agent = toolUseResult?.agentId, case .blocks(let blocks)? = message?.content,
            let id = blocks.first(where: { $0.type == "tool_result" })?.tool_use_id
        else { return nil }
        return (agent, id)
    }
}
