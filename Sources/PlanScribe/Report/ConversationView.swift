import Foundation

/// Turns a phase's messages into what the templates show: message bubbles for HTML (every
/// piece of transcript text either rendered by cmark-gfm in safe mode or left for template
/// escaping) and a Markdown rendering in which transcript HTML is defanged.
struct ConversationView {
    let session: Session
    let options: ReportOptions
    let ledger: CostLedger
    /// Tool results by the id of the call they answer.
    let results: [String: ToolResult]
    /// Subagents by the id of the call that started them.
    let subagents: [String: Subagent]
    /// Every tool call id in the session, to find results whose call is missing.
    let toolUseIDs: Set<String>
    /// The messages that end a turn (whose final line carries the protocol marker).
    var turnEnds: Set<String> = []
    /// Each turn's prompt (by uuid) and the turn's number, from 1.
    var turnOfPrompt: [String: Int] = [:]
    /// How the run's canned messages read (``ReportPhase/replyLabels``).
    var replyLabels: [String: String] = [:]
    /// Branches by the uuid of the shown message they follow (``placeBranches(of:visible:)``).
    var branchesAfter: [String: [Branch]] = [:]
    /// The day (`YYYY-MM-DD`, UTC) the phase began: a message on another day shows its date.
    var day: String?
    /// The phase's Markdown file, relative to its page, where cut tool output is whole.
    var markdownFile = ""

    init(session: Session, options: ReportOptions, ledger: CostLedger) {
        self.session = session
        self.options = options
        self.ledger = ledger
        var results: [String: ToolResult] = [:]
        var ids = Set<String>()
        for m in session.messages + session.branchMessages + session.subagents.flatMap(\.messages) {
            for r in m.toolResults where results[r.toolUseID] == nil { results[r.toolUseID] = r }
            for u in m.toolUses { ids.insert(u.id) }
        }
        self.toolUseIDs = ids
        self.results = results
        var subagents: [String: Subagent] = [:]
        for s in session.subagents { if let id = s.toolUseID { subagents[id] = s } }
        self.subagents = subagents
    }

    /// Remembers which message ends each turn of a phase, for the marker badges.
    mutating func markTurnEnds(of phase: Phase) {
        day = phase.turns.lazy.compactMap { ($0.prompt ?? $0.messages.first)?.timestamp }.first.map { String($0.prefix(10)) }
        for (t, turn) in phase.turns.enumerated() {
            if let last = turn.messages.last(where: { $0.role == .assistant && !$0.text.isEmpty }) { turnEnds.insert(last.uuid) }
            if let prompt = turn.prompt { turnOfPrompt[prompt.uuid] = t + 1 }
        }
    }

    /// Places the session's branches that left from a message of this phase after the shown
    /// message at or before the one they left from (a branch that meets the conversation
    /// nowhere goes with the session's first message).
    mutating func placeBranches(of phase: Phase, visible: [Message]) {
        guard !session.branches.isEmpty, let firstShown = visible.first else { return }
        let all = phase.turns.flatMap { [$0.prompt].compactMap { $0 } + $0.messages }
        let shown = Set(visible.map(\.uuid))
        var lastShown: [String: String] = [:]  // each message's uuid → the shown one at or before it
        var current = firstShown.uuid
        for m in all {
            if shown.contains(m.uuid) { current = m.uuid }
            lastShown[m.uuid] = current
        }
        let sessionStart = session.messages.first?.uuid
        for branch in session.branches {
            let from = branch.leftAfter ?? sessionStart
            guard let from, let after = lastShown[from] else { continue }
            branchesAfter[after, default: []].append(branch)
        }
    }

    /// "abandoned branch: 12 messages, $0.470000": what a folded branch says.
    func branchLabel(_ branch: Branch) -> String {
        let count = branch.messages.filter { !$0.isMeta && ($0.kind == .prompt || $0.kind == .response) }.count
        let cost = branch.messages.compactMap { ledger.estimate($0) }.reduce(USD.zero, +)
        return "abandoned branch: " + Figures.plural(count, "message") + (cost.picodollars > 0 ? ", " + cost.description : "")
    }

    /// The messages of a phase that the detail level keeps, in order.
    func visibleMessages(_ phase: Phase) -> [Message] {
        let all = phase.turns.flatMap { [$0.prompt].compactMap { $0 } + $0.messages }
        switch options.detail {
        case .full:
            return all
        case .conversation:
            return all.filter { !$0.isMeta && $0.kind != .toolResults }
        case .decisions:
            // Each prompt and reply, and each turn's last words: the question the next reply
            // answers, and at the end the phase's outcome.
            let ends = Set(phase.turns.compactMap { turn in turn.messages.last { $0.role == .assistant && !$0.text.isEmpty }?.uuid })
            return all.filter { $0.isPrompt || ends.contains($0.uuid) }
        }
    }

    // MARK: HTML

    /// Message bubbles for the phase page.
    func htmlMessages(_ messages: [Message], depth: Int = 0) -> [MessageBubble] {
        var out: [MessageBubble] = []
        var firstPrompt = depth == 0
        for m in messages {
            switch m.kind {
            case .toolResults:
                // Shown with their calls; a result whose call is not in the transcript is kept.
                let orphans = m.toolResults.filter { !toolUseIDs.contains($0.toolUseID) }
                if !orphans.isEmpty, options.detail == .full {
                    out.append(bubble(role: "meta", label: "tool result without its call", time: m.timestamp, blocks: orphans.map { preBlock(cut($0.text)) }))
                }
            case .compactBoundary:
                out.append(.divider("— conversation compacted —"))
            case .compactSummary:
                out.append(bubble(role: "user", label: "compaction summary", time: m.timestamp, blocks: [.text(html: Markdown.html(m.text))]))
            case .attachment(let type):
                out.append(bubble(role: "meta", label: "context added by the CLI: \(type)", time: m.timestamp, blocks: []))
            case .note(let subtype):
                out.append(bubble(role: "meta", label: "CLI note: \(subtype)", time: m.timestamp, blocks: m.text.isEmpty ? [] : [preBlock(cut(m.text))]))
            case .prompt:
                if m.isMeta {
                    out.append(bubble(role: "meta", label: "context added by the CLI", time: m.timestamp, blocks: [preBlock(cut(m.text))]))
                } else {
                    let (label, text) = Self.promptLabel(m, first: firstPrompt, replies: replyLabels)
                    firstPrompt = false
                    var blocks: [MessageBubble.Block] = [.text(html: Markdown.html(text))]
                    for case .image(let info) in m.blocks { blocks.append(Self.imageBlock(info)) }
                    var prompt = bubble(role: "user", label: label, time: m.timestamp, blocks: blocks)
                    if depth == 0 { prompt.anchor = turnOfPrompt[m.uuid].map(DecisionList.anchor) }
                    out.append(prompt)
                }
            case .response:
                out.append(response(m, depth: depth))
            }
            if depth == 0, let branches = branchesAfter[m.uuid] {
                for branch in branches { out.append(.branch(branchLabel(branch), htmlMessages(branch.messages, depth: 1))) }
            }
        }
        return out
    }

    private func response(_ m: Message, depth: Int) -> MessageBubble {
        var blocks: [MessageBubble.Block] = []
        for block in m.blocks {
            switch block {
            case .text(let text):
                let shown = PhaseMarker.strip(text)
                if !shown.isEmpty { blocks.append(.text(html: Markdown.html(shown))) }
            case .thinking(let text):
                if options.detail == .full, !text.isEmpty { blocks.append(.thinking(html: Markdown.html(text))) }
            case .redactedThinking:
                if options.detail == .full { blocks.append(preBlock(("[thinking redacted by the API]", nil))) }
            case .toolUse(let use):
                blocks.append(toolBlock(use, depth: depth))
            case .toolResult(let r):
                blocks.append(preBlock(cut(r.text)))
            case .image(let info):
                blocks.append(Self.imageBlock(info))
            case .unsupported(let type):
                if options.detail == .full { blocks.append(preBlock(("[\(type) block not shown]", nil))) }
            }
        }
        let label = m.isAPIError ? "API error" : (m.isSynthetic ? "the CLI, in the model's place" : (m.isSidechain ? "subagent" : "assistant"))
        var bubble = bubble(role: "assistant", label: label, time: m.timestamp, blocks: blocks)
        if !m.isAPIError, !m.isSynthetic, let model = m.model { bubble.model = model }
        if let cost = ledger.estimate(m) { bubble.cost = cost.description }
        if depth == 0, turnEnds.contains(m.uuid) {
            switch PhaseMarker.status(of: m.text) {
            case .readyToAdvance?: bubble.marker = ("ready to advance", "ready")
            case .needsInput?: bubble.marker = ("needs input", "needs")
            case nil: bubble.marker = ("no PHASE_STATUS marker", "none")
            }
        }
        return bubble
    }

    private func toolBlock(_ use: ToolUse, depth: Int) -> MessageBubble.Block {
        if let questions = AskedQuestion.questions(in: use) {
            return .text(html: AskedQuestion.html(questions, outcome: AskedQuestion.outcome(of: results[use.id])))
        }
        let summary = Self.summary(of: use)
        guard options.detail == .full else { return .toolName(name: use.name, summary: summary) }
        let input = cut(ToolInputView.text(use) ?? Self.pretty(use.input))
        // A long input is cut as a long result is, with a link to the Markdown that has it whole.
        let inputMore = input.1.map { "\n<a class=\"more\" href=\"" + HTMLText.escape(markdownFile) + "\">… " + HTMLText.escape($0) + "</a>: the whole input is in the phase&#39;s Markdown" }
        var call = MessageBubble.ToolCall(name: use.name, summary: summary, inputHTML: HTMLText.escape(input.0) + (inputMore ?? ""))
        call.moreHref = markdownFile
        if let result = results[use.id] {
            let shown = result.images.filter { $0.dataURL != nil }
            let described = result.images.filter { $0.dataURL == nil }.map(Self.describe)
            let (text, more) = cut(result.text.isEmpty ? described.joined(separator: "\n") : ([result.text] + described).joined(separator: "\n"))
            call.result = (HTMLText.escape(text) + shown.map { "\n" + Self.imageHTML($0) }.joined(), more, result.isError)
            if result.isError, let code = Self.exitCode(of: use, result: result) { call.errorLabel = "exit \(code)" }
        }
        if let sub = subagents[use.id], depth < 4 {
            let title = [sub.agentType, sub.description].compactMap { $0 }.joined(separator: ": ")
            call.subagent = (title.isEmpty ? sub.agentID : title, htmlMessages(sub.messages, depth: depth + 1))
        }
        return .tool(call)
    }

    private func bubble(role: String, label: String, time: String?, blocks: [MessageBubble.Block]) -> MessageBubble {
        let clock = Figures.clock(time, onDay: day)
        return MessageBubble(isMeta: role == "meta", role: role, label: label, time: clock.isEmpty ? nil : clock, blocks: blocks)
    }

    private func preBlock(_ cutText: (String, String?)) -> MessageBubble.Block {
        .pre(html: HTMLText.escape(cutText.0 + (cutText.1.map { "\n… " + $0 } ?? "")))
    }

    /// The first lines of a long text, and "N more lines" when it was cut.
    func cut(_ text: String) -> (String, String?) {
        let limit = options.htmlOutputLines
        var copy = text
        // The byte offset of the limit-th line feed, and how many lines follow it.
        let cut: (offset: Int, remaining: Int)? = copy.withUTF8 { bytes in
            guard limit > 0 else { return nil }
            var lines = 0
            var at: Int?
            bytes.forEachOffset(of: 0x0A) { offset in
                lines += 1
                if lines == limit { at = offset }
                return lines < limit
            }
            guard let at else { return nil }
            let rest = UnsafeBufferPointer(rebasing: bytes[(at + 1)...])
            var remaining = rest.isEmpty ? 0 : 1
            rest.forEachOffset(of: 0x0A) { _ in
                remaining += 1; return true
            }
            if rest.last == 0x0A { remaining -= 1 }
            return remaining <= 0 ? nil : (at, remaining)
        }
        guard let cut else { return (text, nil) }
        let end = text.utf8.index(text.utf8.startIndex, offsetBy: cut.offset)
        return (String(text[..<end]), Figures.plural(cut.remaining, "more line"))
    }

    // MARK: Markdown

    /// The conversation as Markdown: transcript Markdown defanged, tool input and output in
    /// fences, nothing cut.
    func markdown(_ messages: [Message], depth: Int = 0) -> String {
        var out = ""
        var firstPrompt = depth == 0
        let quote = String(repeating: "> ", count: depth)
        func add(_ text: String) {
            if depth == 0 {
                // Same as the quoted path with an empty quote: every line, then a newline.
                out += text
                out += "\n"
                return
            }
            for line in text.utf8Lines {
                out += Self.quotedLine(quote, line)
                out += "\n"
            }
        }
        for m in messages {
            defer {
                if depth == 0, let branches = branchesAfter[m.uuid] {
                    for branch in branches {
                        add("*" + branchLabel(branch) + ":*\n")
                        out += markdown(branch.messages, depth: 1)
                        out += "\n"
                    }
                }
            }
            switch m.kind {
            case .toolResults, .attachment, .note:
                continue
            case .compactBoundary:
                add("*— conversation compacted —*\n")
            case .compactSummary:
                add("**Compaction summary**\n\n" + Markdown.defanged(m.text))
            case .prompt:
                if m.isMeta { continue }
                let (label, text) = Self.promptLabel(m, first: firstPrompt, replies: replyLabels)
                firstPrompt = false
                add("**User — \(label)**" + (m.timestamp.map { " · " + Figures.clock($0, onDay: day) } ?? "") + "\n")
                add(Self.quoted(Markdown.defanged(text)) + "\n")
            case .response:
                var head = "**" + (m.isAPIError ? "API error" : (m.isSynthetic ? "The CLI, in the model's place" : (m.isSidechain ? "Subagent" : "Assistant"))) + "**"
                if let t = m.timestamp { head += " · " + Figures.clock(t, onDay: day) }
                if let model = m.model, !m.isAPIError, !m.isSynthetic { head += " · `" + model.filter { $0 != "`" } + "`" }
                if let cost = ledger.estimate(m) { head += " · " + cost.description }
                add(head + "\n")
                for block in m.blocks {
                    switch block {
                    case .text(let text):
                        let shown = PhaseMarker.strip(text)
                        if !shown.isEmpty { add(Markdown.defanged(shown)) }
                    case .thinking(let text):
                        if options.detail == .full, !text.isEmpty {
                            add("*Thinking:*\n\n" + Self.quoted(Markdown.defanged(text)) + "\n")
                        }
                    case .redactedThinking:
                        if options.detail == .full { add("*Thinking redacted by the API.*\n") }
                    case .toolUse(let use) where AskedQuestion.questions(in: use) != nil:
                        add(AskedQuestion.markdown(AskedQuestion.questions(in: use)!, outcome: AskedQuestion.outcome(of: results[use.id])))
                    case .toolUse(let use):
                        add("- Tool `\(use.name.filter { $0 != "`" })` " + Self.inlineCode(Self.summary(of: use)) + "\n")
                        if options.detail == .full {
                            // The same view as the page: what the tool does, else its JSON.
                            if let view = ToolInputView.text(use) {
                                add(Markdown.fenced(view, info: use.name == "Edit" || use.name == "MultiEdit" ? "diff" : ""))
                            } else {
                                add(Markdown.fenced(Self.pretty(use.input), info: "json"))
                            }
                            if let result = results[use.id] {
                                let status = result.isError ? " (" + (Self.exitCode(of: use, result: result).map { "exit \($0)" } ?? "error") + ")" : ""
                                add("Result" + status + ":\n\n" + Markdown.fenced(result.text))
                                for image in result.images { add("*" + Self.markdownDescription(image) + "*\n") }
                            }
                            if let sub = subagents[use.id], depth < 4 {
                                add("Subagent " + Self.inlineCode(sub.description ?? sub.agentID) + ":\n")
                                out += markdown(sub.messages, depth: depth + 1)
                            }
                        }
                    case .toolResult(let r):
                        add(Markdown.fenced(r.text))
                    case .image(let info):
                        add("*" + Self.markdownDescription(info) + "*\n")
                    case .unsupported(let type):
                        if options.detail == .full { add("*[\(type) block not shown]*\n") }
                    }
                }
            }
        }
        return out
    }

    // MARK: Shared helpers

    /// Markdown as a block quote.
    static func quoted(_ markdown: String) -> String {
        var text = Substring(markdown)
        while text.utf8.last == 0x0A { text = text[..<text.utf8.index(before: text.endIndex)] }
        return String(text).utf8Lines.map { quotedLine("> ", $0) }.joined(separator: "\n")
    }

    /// `quote` and the line, without trailing spaces. Built with append(contentsOf:): `+`
    /// with a Substring counts its Characters first.
    static func quotedLine(_ quote: String, _ line: Substring) -> String {
        var out = quote
        out.append(contentsOf: line)
        while out.utf8.last == 0x20 { out.removeLast() }
        return out
    }

    /// A label for a prompt and its text as shown: what the runner sent loses its wrapper and
    /// is named for what it is (a nudge, the retry after the turn limit, a label the run gives
    /// such as "default reply", else a canned reply).
    static func promptLabel(_ m: Message, first: Bool, replies: [String: String] = [:]) -> (String, String) {
        let text = m.text
        if let sent = ClaudeCommand.unwrap(text) {
            if let label = replies[sent] { return (label, sent) }
            if sent == PlanRunner.nudge { return ("nudge: no PHASE_STATUS marker", sent) }
            if sent == PlanRunner.retryMessage { return ("retry after the turn limit", sent) }
            return ("canned reply", sent)
        }
        let plain = PromptText.plain(text)
        if first, PhaseName.startedBy(prompt: text) != nil { return ("phase prompt", plain) }
        return ("prompt", plain)
    }

    /// A short description of a tool call's input: the file, command, pattern or task.
    static func summary(of use: ToolUse) -> String {
        for key in ["file_path", "path", "command", "description", "pattern", "url", "query", "prompt"] {
            if let value = use.input[key]?.stringValue, !value.isEmpty {
                return Figures.oneLine(value, limit: 100)
            }
        }
        return ""
    }

    /// Pretty-printed JSON, members in their order.
    static func pretty(_ value: JSONValue) -> String {
        var out = ""
        PrettyJSON.write(value, into: &out, indent: 0)
        return out
    }

    static func describe(_ info: ImageInfo) -> String {
        let why = info.base64 == nil && (info.byteCount ?? 0) > ImageInfo.embedLimit / 4 * 3 ? " not embedded: over the size limit" : " not embedded"
        return imageLabel(info) + why
    }

    /// The exit code of a Bash call that failed, as the CLI writes it at the start of the
    /// result (`Exit code 3`).
    static func exitCode(of use: ToolUse, result: ToolResult) -> Int? {
        guard use.name == "Bash", result.text.hasPrefix("Exit code ") else { return nil }
        return Int(result.text.dropFirst("Exit code ".count).prefix { $0.isASCII && $0.isNumber })
    }

    /// An image in the Markdown, which embeds none: what it was, and that the page shows it
    /// when it does.
    static func markdownDescription(_ info: ImageInfo) -> String {
        guard info.dataURL != nil else { return describe(info) }
        return imageLabel(info) + ": shown on the HTML page"
    }

    /// `image (image/png, 69 bytes)`: what every description of an image starts with.
    static func imageLabel(_ info: ImageInfo) -> String {
        "image (" + info.mediaType + (info.byteCount.map { ", " + Figures.count($0) + " bytes" } ?? "") + ")"
    }

    /// An image as a `data:` URL (the page's CSP allows `img-src data:` and nothing else).
    static func imageHTML(_ info: ImageInfo) -> String {
        guard let url = info.dataURL else { return HTMLText.escape(describe(info)) }
        let alt = imageLabel(info)
        return "<img class=\"embedded\" alt=\"" + HTMLText.escape(alt) + "\" src=\"" + url + "\">"
    }

    /// An image block of a message: the picture, or what it was when it cannot be shown.
    static func imageBlock(_ info: ImageInfo) -> MessageBubble.Block {
        info.dataURL == nil ? .pre(html: HTMLText.escape(describe(info))) : .text(html: "<p>" + imageHTML(info) + "</p>")
    }

    /// Text as an inline code span that no backtick inside can close.
    static func inlineCode(_ text: String) -> String {
        if text.isEmpty { return "" }
        var longest = 0
        var run = 0
        for ch in text { if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return fence + pad + text + pad + fence
    }
}

/// JSON pretty-printed for reading: two-space indents, `"key" : value`, each object's members
/// in their order (as written in the transcript), strings escaped as JSONEncoder escapes them,
/// numbers as Swift writes them.
enum PrettyJSON {
    static func write(_ value: JSONValue, into out: inout String, indent: Int) {
        var bytes: [UInt8] = []
        write(value, into: &bytes, indent: indent)
        out += String(decoding: bytes, as: UTF8.self)
    }

    static func write(_ value: JSONValue, into out: inout [UInt8], indent: Int) {
        switch value {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .double(let d): out += "\(d)".utf8
        case .string(let s): string(s, into: &out)
        case .array(let items):
            out += "[\n".utf8
            if items.isEmpty { out.append(0x0A) }
            for (i, item) in items.enumerated() {
                pad(indent + 2, &out)
                write(item, into: &out, indent: indent + 2)
                if i < items.count - 1 { out.append(0x2C) }
                out.append(0x0A)
            }
            pad(indent, &out)
            out.append(0x5D)
        case .object(let members):
            out += "{\n".utf8
            if members.isEmpty { out.append(0x0A) }
            for (i, member) in members.enumerated() {
                pad(indent + 2, &out)
                string(member.key, into: &out)
                out += " : ".utf8
                write(member.value, into: &out, indent: indent + 2)
                if i < members.count - 1 { out.append(0x2C) }
                out.append(0x0A)
            }
            pad(indent, &out)
            out.append(0x7D)
        }
    }

    private static func pad(_ n: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(0x20, count: n))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string: quote, backslash and control characters escaped as JSONEncoder does;
    /// everything else (UTF-8 included) copied as it is.
    private static func string(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            var plain = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == 0x22 || b == 0x5C {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain..<i]))
                out.append(0x5C)
                switch b {
                case 0x22, 0x5C: out.append(b)
                case 0x08: out.append(0x62)
                case 0x0C: out.append(0x66)
                case 0x0A: out.append(0x6E)
                case 0x0D: out.append(0x72)
                case 0x09: out.append(0x74)
                default: out += [0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]]
                }
                plain = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain...]))
        }
        out.append(0x22)
    }
}
