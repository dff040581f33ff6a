import Foundation

/// One transcript file read for costs: its chain nodes and what each message says about
/// API calls and phases, with ids kept as bytes in the session's ``UsageArena``.
///
/// It mirrors ``TranscriptFile`` at ``ReadDetail/usage`` for files that read clean. Anything
/// that would give a diagnostic (a line problem, a duplicate uuid, a bad timestamp, a
/// negative token count, the file changing while read) or that it does not keep exactly (a
/// string outside printable ASCII where the value is used) makes ``read(path:arena:redact:maxLineBytes:)``
/// return nil, and the session is read the full way.
struct UsageFile {
    struct Node {
        var uuid: ByteSpan
        var uuidHash: UInt64
        /// `parentUuid`, else `logicalParentUuid`.
        var link: ByteSpan?
        var line: Int
        var isSidechain: Bool
        /// Index in `messages`, -1 for a link without one.
        var message: Int32
    }

    struct MessageInfo {
        var role: Message.Role
        /// Whether the message may end a conversation chain (user, assistant, compaction).
        var isConversation: Bool
        var isPrompt: Bool
        var isMeta: Bool
        /// A bash-mode line (``PromptText/isBashInput(_:)``).
        var isBashInput = false
        /// The phase a prompt starts.
        var phase: PhaseName?
        var timestamp: ByteSpan?
        var messageID: ByteSpan?
        var requestID: ByteSpan?
        var model: ByteSpan?
        /// The usage of a billed line (an assistant line with usage that is not an API error).
        var usage: TokenUsage?
        /// What else sets the price of a billed line.
        var terms = CallTerms.standard
        /// Its tool calls' ids, in `toolUseIDs`.
        var toolUses: Range<Int>
    }

    let path: String
    var nodes: [Node] = []
    var messages: [MessageInfo] = []
    var toolUseIDs: [ByteSpan] = []
    var report: FileReadReport
    /// The agent id of the first line that names one.
    var agentID: String?
    /// Tool-use ids by the agent id their result names (older subagent layout).
    var agentToolUse: [String: String] = [:]
    var reportedCostUSD: Double?
    var coverage = CostStateCoverage()
    /// Node positions by uuid hash.
    private(set) var nodeOfUUID = HashedKeyTable()

    private init(path: String) {
        self.path = path
        report = FileReadReport(file: path)
    }

    private struct Unusual: Error {}

    /// Reads the file; nil when it must be read the full way (see the type's description),
    /// or cannot be read (the full reader reports why).
    static func read(path: String, arena: inout UsageArena, redact: Bool, maxLineBytes: Int) -> UsageFile? {
        var reader = LineTaker(file: UsageFile(path: path), redact: redact)
        do {
            let change = try LineScanner.scanFile(atPath: path, maxLineBytes: maxLineBytes) { scanned in
                guard reader.take(scanned, arena: &arena) else { throw Unusual() }
            }
            if change != nil { return nil }
        } catch {
            return nil
        }
        return reader.file
    }

    /// Reads transcript lines from memory (for fuzzing and tests), as ``read(path:arena:redact:maxLineBytes:)`` does from a file.
    static func read(bytes: UnsafeRawBufferPointer, path: String, arena: inout UsageArena, redact: Bool) -> UsageFile? {
        var reader = LineTaker(file: UsageFile(path: path), redact: redact)
        var clean = true
        LineScanner.scan(bytes) { scanned in
            if clean { clean = reader.take(scanned, arena: &arena) }
        }
        return clean ? reader.file : nil
    }

    /// Takes lines into a file: walked when the walk can, else decoded the full way.
    private struct LineTaker {
        var file: UsageFile
        let redact: Bool
        let decoder = LineDecoder(detail: .usage)
        var toolUseIDs: [ByteSpan] = []

        init(file: UsageFile, redact: Bool) {
            self.file = file
            self.redact = redact
        }

        /// False when the file must be read the full way.
        mutating func take(_ scanned: ScannedLine, arena: inout UsageArena) -> Bool {
            file.report.lines += 1
            guard scanned.oversizedLength == nil else { return false }
            toolUseIDs.removeAll(keepingCapacity: true)
            if let line = UsageLine.walk(scanned.bytes, toolUseIDs: &toolUseIDs) {
                return file.take(line, bytes: scanned.bytes, toolUseIDs: toolUseIDs, number: scanned.number, arena: &arena)
            }
            return file.take(decoder.decode(scanned.bytes), number: scanned.number, redact: redact, arena: &arena)
        }
    }

    // MARK: Walked lines

    private mutating func take(_ line: UsageLine, bytes: UnsafeRawBufferPointer, toolUseIDs ids: [ByteSpan], number: Int, arena: inout UsageArena) -> Bool {
        func kept(_ span: ByteSpan?) -> ByteSpan? {
            span.map { arena.keep(UnsafeRawBufferPointer(rebasing: bytes[Int($0.start)..<Int($0.start + $0.count)])) }
        }
        func text(_ span: ByteSpan) -> SpanText {
            SpanText(bytes: UnsafeRawBufferPointer(rebasing: bytes[Int(span.start)..<Int(span.start + span.count)]))
        }
        switch line.kind {
        case .skipped:
            report.skipped += 1
            return true
        case .link:
            guard let uuid = line.uuid else {
                report.skipped += 1
                return true
            }
            let shown = line.attachmentType.map { !LineDecoder.opaqueAttachments.contains(text($0).string) }
            let message = linkMessage(shownAttachment: shown, timestamp: shown == true ? kept(line.timestamp) : nil)
            return addNode(uuid: kept(uuid)!, link: kept(line.parent ?? line.logicalParent), line: number, isSidechain: line.isSidechain ?? false, message: message, arena: arena)
        case .costState:
            report.decoded += 1
            if let cost = line.totalCost {
                reportedCostUSD = cost
                coverage.figure(cost, at: number)
            }
            return true
        case .user, .assistant:
            report.decoded += 1
            if let agent = line.resultAgentID, line.hasToolResult, let id = line.firstToolResultID {
                agentToolUse[text(agent).string] = text(id).string
            }
            guard let uuid = line.uuid else { return false }
            if let time = line.timestamp, !Timestamp.looksLikeISO8601(utf8: text(time).bytes) { return false }
            let isAssistant = line.kind == .assistant
            let isMeta = line.isMeta ?? false
            // A user line read here has no text: a prompt only when it holds no tool result.
            let isPrompt = !isAssistant && line.isCompactSummary != true && !line.hasToolResult && !isMeta
            let isAPIError = line.isAPIError == true || line.model.map { "<synthetic>" ~= text($0) } == true
            var usage: TokenUsage?
            var terms = CallTerms.standard
            if isAssistant, let raw = line.usage, !isAPIError {
                let tokens = TokenUsage(raw)
                guard tokens.clampedToZero == tokens else { return false }
                usage = tokens
                terms = CallTerms(raw)
                coverage.billed(at: number)
            }
            if line.isInterrupted { coverage.interrupted = true }
            let first = toolUseIDs.count
            for id in ids { toolUseIDs.append(kept(id)!) }
            let message = MessageInfo(
                role: isAssistant ? .assistant : .user, isConversation: true, isPrompt: isPrompt, isMeta: isMeta,
                timestamp: kept(line.timestamp), messageID: kept(line.messageID), requestID: kept(line.requestID),
                model: kept(line.model), usage: usage, terms: terms, toolUses: first..<toolUseIDs.count)
            if agentID == nil, let agent = line.agentID { agentID = text(agent).string }
            return addNode(uuid: kept(uuid)!, link: kept(line.parent ?? line.logicalParent), line: number, isSidechain: line.isSidechain ?? false, message: message, arena: arena)
        }
    }

    /// The message of a chain link, counted as ``TranscriptFile`` counts it: an attachment
    /// that is shown (`shownAttachment` true) is a system message; an opaque one (false) or
    /// progress (nil) is a link only.
    private mutating func linkMessage(shownAttachment: Bool?, timestamp: ByteSpan?) -> MessageInfo? {
        guard shownAttachment == true else {
            report.skipped += 1
            return nil
        }
        report.decoded += 1
        return MessageInfo(
            role: .system, isConversation: false, isPrompt: false, isMeta: true, timestamp: timestamp,
            toolUses: toolUseIDs.count..<toolUseIDs.count)
    }

    // MARK: Lines decoded the full way

    private mutating func take(_ outcome: LineDecoder.Outcome, number: Int, redact: Bool, arena: inout UsageArena) -> Bool {
        switch outcome {
        case .blank:
            return true
        case .skipped:
            report.skipped += 1
            return true
        case .malformed, .unknown:
            return false
        case .link(let sniff):
            guard let uuid = sniff.uuid else {
                report.skipped += 1
                return true
            }
            let shown = sniff.attachmentType.map { !LineDecoder.opaqueAttachments.contains($0) }
            var time: ByteSpan?
            if shown == true {
                guard let kept = keep(sniff.timestamp, &arena) else { return false }
                time = kept
            }
            let message = linkMessage(shownAttachment: shown, timestamp: time)
            return addNode(uuid: uuid, link: sniff.parentUUID ?? sniff.logicalParentUUID, line: number, isSidechain: sniff.isSidechain, message: message, arena: &arena)
        case .decoded(let raw, _):
            report.decoded += 1
            return decoded(raw, number: number, redact: redact, arena: &arena)
        }
    }

    /// As ``TranscriptFile``'s `decoded`: the message is made the same way, then kept compact.
    private mutating func decoded(_ raw: RawLine, number: Int, redact: Bool, arena: inout UsageArena) -> Bool {
        if let (agent, id) = raw.namedSubagent { agentToolUse[agent] = id }
        switch raw.type {
        case "cost-state":
            if let cost = raw.totalCostUSD {
                reportedCostUSD = cost
                coverage.figure(cost, at: number)
            }
            return true
        case "summary", "custom-title", "ai-title":
            return true
        default:
            break
        }
        guard let uuid = raw.uuid else { return false }
        var message = TranscriptFile.message(from: raw, uuid: uuid, line: number)
        if let time = message.timestamp, !Timestamp.looksLikeISO8601(time) { return false }
        if redact { message.blocks = message.blocks.map(TranscriptFile.redacted) }
        var usage: TokenUsage?
        var terms = CallTerms.standard
        if raw.type == "assistant", let rawUsage = raw.message?.usage, !message.isAPIError, !message.isSynthetic {
            let tokens = TokenUsage(rawUsage)
            guard tokens.clampedToZero == tokens else { return false }
            usage = tokens
            terms = CallTerms(rawUsage)
            coverage.billed(at: number)
        }
        if case .compactBoundary = message.kind { coverage.compacted = true }
        if raw.toolDenialKind?.value == "interrupted" { coverage.interrupted = true }
        for result in message.toolResults {
            if let agent = TranscriptFile.agentID(inResultText: result.text), agentToolUse[agent] == nil {
                agentToolUse[agent] = result.toolUseID
            }
        }
        let first = toolUseIDs.count
        for use in message.toolUses {
            guard let id = arena.keep(use.id) else { return false }
            toolUseIDs.append(id)
        }
        guard let time = keep(message.timestamp, &arena), let messageID = keep(message.messageID, &arena),
            let requestID = keep(message.requestID, &arena), let model = keep(message.model, &arena)
        else { return false }
        let conversation = message.role != .system || message.kind == .compactBoundary
        let info = MessageInfo(
            role: message.role, isConversation: conversation, isPrompt: message.isPrompt, isMeta: message.isMeta,
            isBashInput: message.role == .user && PromptText.isBashInput(message.text),
            phase: message.isPrompt ? PhaseName.startedBy(prompt: message.text) : nil,
            timestamp: time, messageID: messageID, requestID: requestID, model: model, usage: usage, terms: terms,
            toolUses: first..<toolUseIDs.count)
        if agentID == nil, let agent = raw.agentId { agentID = agent }
        return addNode(uuid: uuid, link: raw.parentUuid ?? raw.logicalParentUuid, line: number, isSidechain: raw.isSidechain ?? false, message: info, arena: &arena)
    }

    /// An optional string kept in the arena: `.some(nil)` for nil, nil when it cannot be kept.
    private func keep(_ text: String?, _ arena: inout UsageArena) -> ByteSpan?? {
        guard let text else { return .some(nil) }
        return arena.keep(text).map { .some($0) }
    }

    private mutating func addNode(uuid: String, link: String?, line: Int, isSidechain: Bool, message: MessageInfo?, arena: inout UsageArena) -> Bool {
        guard let uuidSpan = arena.keep(uuid), let linkSpan = keep(link, &arena) else { return false }
        return addNode(uuid: uuidSpan, link: linkSpan, line: line, isSidechain: isSidechain, message: message, arena: arena)
    }

    /// Adds a node; false for a uuid already seen (a diagnostic) or one whose hash another
    /// uuid has (read the full way, which tells them apart).
    private mutating func addNode(uuid: ByteSpan, link: ByteSpan?, line: Int, isSidechain: Bool, message: MessageInfo?, arena: UsageArena) -> Bool {
        let hash = arena.hash(uuid)
        guard !nodeOfUUID.contains(hash) else { return false }
        nodeOfUUID.set(hash, UInt32(truncatingIfNeeded: nodes.count))
        var index: Int32 = -1
        if let message {
            index = Int32(messages.count)
            messages.append(message)
        }
        nodes.append(Node(uuid: uuid, uuidHash: hash, link: link, line: line, isSidechain: isSidechain, message: index))
        return true
    }
}
