import Foundation

/// Builds every file of a report from a run: HTML pages, Markdown, `summary.json`,
/// `junit.xml` and the job summary. Pure: it reads nothing but the artifacts folder and
/// writes nothing; the same input gives byte-identical files.
public struct ReportBuilder: Sendable {
    let templates: TemplateSet
    let ledger: CostLedger
    let options: ReportOptions

    /// The largest job summary, in bytes (GitHub's limit for `$GITHUB_STEP_SUMMARY` is 1 MiB).
    public static let jobSummaryLimit = 1_000_000

    /// Creates a builder.
    ///
    /// - Parameters:
    ///   - templates: the templates to render with.
    ///   - prices: the price table for estimates.
    ///   - options: detail level, artifacts, stamp.
    public init(templates: TemplateSet, prices: PriceTable = .builtIn, options: ReportOptions = ReportOptions()) {
        self.templates = templates
        self.ledger = CostLedger(prices: prices)
        self.options = options
    }

    /// All the files of the report, in a fixed order.
    public func files(for run: ReportRun) -> [RenderedFile] {
        let collected = GatheredValues<RenderedFile>()
        _ = try? build(run) { collected.append($0) }
        return collected.values.sorted { Self.order($0.path) < Self.order($1.path) }
    }

    /// Builds the report and hands each file to `emit` as soon as it is made, so that a large
    /// run never holds all its files at once. Phase pages are made on every core, so `emit`
    /// is called from several threads (with different files).
    ///
    /// - Throws: what `emit` throws.
    /// - Returns: the gates of ``ReportOptions/gates``, checked (against
    ///   ``ReportOptions/baseline`` when there is one).
    @discardableResult
    public func build(_ run: ReportRun, emit: @Sendable (RenderedFile) throws -> Void) throws -> [Gate.Result] {
        // Every page a reader sees shows the text's bidirectional controls instead of obeying them.
        try buildFiles(run) { try emit($0.showingBidiControls()) }
    }

    /// The run as its `summary.json` gives it, for comparing (``RunDiff``) and gates: its
    /// figures only, no page is made (so no templates are needed).
    ///
    /// - Parameters:
    ///   - prices: the price table for estimates.
    ///   - source: what the snapshot says it was read from.
    public static func snapshot(of run: ReportRun, prices: PriceTable = .builtIn, source: String) throws -> RunSnapshot {
        let ledger = CostLedger(prices: prices)
        return try RunSummary(run: run, figures: RunFigures(run: run, ledger: ledger, decisions: DecisionList(run)), stamp: nil).snapshot(source: source)
    }

    private func buildFiles(_ run: ReportRun, emit: @Sendable (RenderedFile) throws -> Void) throws -> [Gate.Result] {
        let artifacts = ArtifactCollector(run: run, options: options)
        let pageFigures = try figures(for: run)
        let failure = LockedValue<(any Error)?>(nil)  // the first error thrown on any thread
        let turnPages = IndexedSlots<[Int: Int]>(count: run.phases.count)
        ParallelWork.forEach(run.phases.count, width: options.jobs) { i in
            let phase = run.phases[i]
            var files = phaseFiles(run, index: i, artifacts: artifacts, figures: pageFigures)
            turnPages.set(i, files.pagination.pageOfTurn)
            do {
                let count = files.pagination.html.count
                for k in 0..<count {
                    var page = files.page
                    page.pager = Self.pager(stem: phase.fileStem, page: k + 1, of: count)
                    page.messages = files.pagination.bubbles[k]
                    page.conversationHTML = files.pagination.html[k]
                    try emit(RenderedFile(path: "phases/" + Self.pageFile(stem: phase.fileStem, page: k + 1), parts: templates.page(page)))
                }
                // A long conversation is never held as HTML and as Markdown at once.
                files.pagination = PhasePagination(bubbles: [], html: [], pageOfTurn: [:])
                let conversation = files.conversationMarkdown()
                try emit(RenderedFile(path: "phases/\(phase.fileStem).md", parts: spliced(templates.renderMarkdown("phase.md", files.markdown), [conversation])))
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = failure.value { throw error }
        // The index links each decision to its turn, on the page the turn is on.
        var figures = pageFigures
        for i in run.phases.indices { figures.pageOfTurn[run.phases[i].number] = turnPages.take(i) ?? [:] }
        try emit(RenderedFile(path: "index.html", parts: templates.page(indexPage(run, figures: figures))))
        // report.md is the run in summary: each phase's outcome and final message, linking to
        // its page and its Markdown, which hold the conversation (a long run's would be tens
        // of megabytes here).
        let sections: [[String: Any]] = run.phases.map { phase in
            [
                "number": phase.number, "name": phase.name, "outcome_label": phase.outcome.label, "reason": MarkdownTable.escape(phase.reason),
                "final_md": Self.finalMarkdown(phase, limit: Self.reportFinalLimit), "md_href": "phases/\(phase.fileStem).md", "html_href": "phases/\(phase.fileStem).html",
            ]
        }
        try emit(RenderedFile(path: "report.md", text: tidy(templates.renderMarkdown("report.md", reportContext(run, sections: sections, figures: figures)))))
        try emit(RenderedFile(path: "summary.json", contents: RunSummary(run: run, figures: figures, stamp: options.stamp).json()))
        try emit(RenderedFile(path: "junit.xml", text: JUnitReport.xml(run: run, figures: figures)))
        try emit(RenderedFile(path: "job-summary.md", text: jobSummary(run, figures: figures)))
        return figures.gates
    }

    /// Stands in for a conversation in a template, so the template's output stays small; the
    /// conversations are written in its place. Made anew by each process, so that no
    /// transcript text can hold it.
    static let placeholder = "\u{1}planscribe-conversation-" + UUID().uuidString + "\u{1}"

    /// index.html, then each phase's .html and .md, then the run files.
    private static func order(_ path: String) -> (Int, String) {
        if path == "index.html" { return (0, path) }
        if path.hasPrefix("phases/") { return (1, path) }
        return (2, ["report.md", "summary.json", "junit.xml", "job-summary.md"].firstIndex(of: path).map { String($0) } ?? path)
    }

    // MARK: Contexts

    /// The strip of the run's phases, with the page's own phase marked.
    private func strip(_ run: ReportRun, currentPhase: Int?, prefix: String) -> PhaseStripView {
        PhaseStripView(
            items: run.phases.enumerated().map { i, p in
                PhaseStripView.Item(
                    number: p.number, name: p.name, outcome: p.outcome.rawValue, outcomeLabel: p.outcome.label, reason: p.reason,
                    href: prefix + "phases/\(p.fileStem).html", markdownHref: prefix + "phases/\(p.fileStem).md", current: i == currentPhase)
            })
    }

    /// What every page of the report has around its content.
    private func frame(_ run: ReportRun, pageTitle: String, subtitle: String, scriptHash: String? = nil) -> PageFrame {
        PageFrame(head: PageHead(pageTitle: pageTitle, css: templates.css, scriptHash: scriptHash), title: run.title, subtitle: subtitle, footer: Self.footer(options))
    }

    /// Every page's footer: planscribe's version, and the generation time when stamped.
    static func footer(_ options: ReportOptions) -> String {
        "planscribe \(PlanScribeVersion.current)" + (options.stamp.map { " · generated \($0)" } ?? "")
    }

    private func estimate(_ calls: [APICall]) -> CostEstimate { ledger.estimate(calls) }

    private func costRow(name: String, href: String?, estimate e: CostEstimate, reported: USD?, notes: [CostNote] = []) -> CostTableView.Row {
        var row = CostRow(key: name, estimate: e, reported: reported)
        row.notes = notes
        return costRow(name: name, href: href, row)
    }

    private func costRow(name: String, href: String?, _ row: CostRow) -> CostTableView.Row {
        let e = row.estimate
        return CostTableView.Row(
            name: name, href: href, calls: Figures.count(e.calls), input: Figures.count(e.usage.input), output: Figures.count(e.usage.output),
            cacheWrite: Figures.count(e.usage.cacheWrite), cacheRead: Figures.count(e.usage.cacheRead),
            estimated: e.completeCost?.description ?? (e.calls == 0 ? "–" : "≥ " + e.estimated.description), reported: Self.reportedCell(row),
            differs: row.differs, why: row.differs ? row.notes.map(\.explanation) : [], coverage: CostFootnote.coverage(row))
    }

    /// The run's estimates, made once for every file that shows them.
    struct RunFigures {
        /// The whole run.
        var total: CostEstimate
        /// The whole run as a row of sessions: what the CLI reported for those that carry a
        /// figure, how many do, and what their transcripts say about the difference.
        var totalRow: CostRow
        /// What the CLI reported for the whole run (or the sessions that carry a figure).
        var reported: USD? { totalRow.reported }
        /// Each phase's, in the run's order.
        var phases: [CostEstimate]
        /// Markdown tables of the phases and of their cost (report.md and the job summary).
        var phasesMarkdown = ""
        var costMarkdown = ""
        /// The questions asked and the replies given, phase by phase, and their Markdown table.
        var decisions = DecisionList()
        var decisionsMarkdown = ""
        /// Each session's per-turn reported costs (``TurnCosts``), by session id.
        var turnCosts: [String: [String: USD]] = [:]

        /// The run compared with the baseline, when there is one.
        var comparison: RunDiff?
        /// Each phase's pages: the page (from 1) of each turn, by phase number and turn number.
        var pageOfTurn: [Int: [Int: Int]] = [:]
        /// The gates, checked.
        var gates: [Gate.Result] = []

        init(run: ReportRun, ledger: CostLedger, decisions: DecisionList) {
            total = ledger.estimate(run.sessions.flatMap(\.apiCalls))
            totalRow = ledger.total(of: run.sessions)
            phases = run.phases.map { ledger.estimate($0.phase?.apiCalls ?? []) }
            self.decisions = decisions
        }
    }

    /// The run's figures, with its Markdown tables, its comparison with the baseline and its
    /// gates.
    private func figures(for run: ReportRun) throws -> RunFigures {
        var figures = RunFigures(run: run, ledger: ledger, decisions: DecisionList(run))
        figures.phasesMarkdown = phasesMarkdown(run)
        figures.costMarkdown = costMarkdown(run, figures: figures)
        figures.decisionsMarkdown = figures.decisions.markdown
        if options.baseline != nil || !options.gates.isEmpty {
            let snapshot = try RunSummary(run: run, figures: figures, stamp: nil).snapshot(source: "")
            figures.comparison = options.baseline.map { RunDiff(before: $0, after: snapshot) }
            figures.gates = Gate.check(options.gates, run: snapshot, baseline: options.baseline)
        }
        for session in run.sessions where figures.turnCosts[session.id] == nil { figures.turnCosts[session.id] = TurnCosts.reported(in: session) }
        return figures
    }

    private func indexPage(_ run: ReportRun, figures: RunFigures) -> IndexPage {
        let (total, reported) = (figures.total, figures.reported)
        var rows: [CostTableView.Row] = []
        for (p, e) in zip(run.phases, figures.phases) {
            rows.append(costRow(name: "\(p.number). \(p.name)", href: "phases/\(p.fileStem).html", estimate: e, reported: p.reported, notes: p.session?.costNotes ?? []))
        }
        var runRow = figures.totalRow
        runRow.estimate = total
        let totalRow = costRow(name: "total", href: nil, runRow)
        let decisions = figures.decisions.indexed { phase, turn in
            let stem = run.phases.first { $0.number == phase }?.fileStem ?? ""
            return "phases/" + Self.pageFile(stem: stem, page: figures.pageOfTurn[phase]?[turn] ?? 1) + "#" + DecisionList.anchor(turn: turn)
        }
        let decisionCount = figures.decisions.phases.reduce(0) { $0 + $1.items.count }
        // The search's text is gathered only for a page that has the script to read it.
        let searchIndex = templates.searchScript.isEmpty ? nil : SearchIndex(run, pageOfTurn: figures.pageOfTurn)
        let search = searchIndex.flatMap { $0.entries.isEmpty ? nil : IndexPage.Search(dataHTML: $0.html, script: templates.searchScript, note: $0.note) }
        let done = run.phases.filter { $0.outcome == .done }.count
        let subtitle =
            "\(Figures.plural(run.phases.count, "phase")), \(done) done · estimated \(total.completeCost?.description ?? "unknown")" + (reported.map { " · reported \($0.description)" } ?? "")
        return IndexPage(
            frame: frame(run, pageTitle: run.title + " — planscribe", subtitle: subtitle, scriptHash: search.map { _ in SHA256.cspSource(of: templates.searchScript) }),
            gates: figures.gates, strip: strip(run, currentPhase: nil, prefix: ""), search: search, decisions: decisions,
            decisionsMore: decisionCount > DecisionList.pageLimit
                ? "… and \(Figures.plural(decisionCount - DecisionList.pageLimit, "more decision")), on the phases' pages and in summary.json." : nil,
            baseline: figures.comparison.map { ($0.sides.before, Markdown.html($0.markdown(heading: "###"))) },
            cost: CostTableView(firstHeader: "phase", rows: rows, total: totalRow, unpriced: Self.unpriced(total)), chart: chart(run, costs: figures.phases),
            facts: facts(run))
    }

    /// The models a table's estimate has no price for, listed.
    private static func unpriced(_ estimate: CostEstimate) -> String? {
        estimate.unpricedModels.isEmpty ? nil : estimate.unpricedModels.joined(separator: ", ")
    }

    func facts(_ run: ReportRun) -> [(term: String, value: String)] {
        var facts: [(term: String, value: String)] = []
        func add(_ term: String, _ value: String) { if !value.isEmpty { facts.append((term, value)) } }
        add("Project", Array(Set(run.sessions.compactMap(\.projectPath))).sorted().joined(separator: ", "))
        add("Claude Code", Array(Set(run.sessions.flatMap(\.cliVersions))).sorted().joined(separator: ", "))
        add("Models", Array(Set(run.sessions.flatMap(\.models))).sorted().joined(separator: ", "))
        add("First activity", Figures.second(run.sessions.compactMap(\.start).min()))
        add("Last activity", Figures.second(run.sessions.compactMap(\.end).max()))
        add("Sessions", run.sessions.map(\.id).joined(separator: ", "))
        add("Detail", options.detail.rawValue)
        if let stamp = options.stamp { add("Generated", stamp) }
        return facts
    }

    /// The bar chart of estimated cost per phase, with each phase's token mix.
    private func chart(_ run: ReportRun, costs: [CostEstimate]) -> IndexPage.Chart? {
        guard costs.contains(where: { $0.estimated.picodollars > 0 }) else { return nil }
        let maxCost = costs.map(\.estimated.picodollars).max() ?? 1
        let labelWidth = 190.0
        let barSpace = 470.0
        let rowHeight = 40.0
        var bars: [IndexPage.Bar] = []
        for (i, (phase, cost)) in zip(run.phases, costs).enumerated() {
            let top = Double(i) * rowHeight + 4
            let width = maxCost > 0 ? max(1, barSpace * Double(cost.estimated.picodollars) / Double(maxCost)) : 0
            let u = cost.usage
            let total = Double(max(1, u.total))
            var x = labelWidth
            var mix: [IndexPage.Bar.Mix] = []
            for (cls, name, n) in [("mix-in", "input", u.input), ("mix-out", "output", u.output), ("mix-cw", "cache write", u.cacheWrite), ("mix-cr", "cache read", u.cacheRead)] where n > 0 {
                let w = barSpace * Double(n) / total
                mix.append(IndexPage.Bar.Mix(cssClass: cls, x: fmt(x), y: fmt(top + 20), width: fmt(w), title: "\(name): \(Figures.count(n)) tokens"))
                x += w
            }
            bars.append(
                IndexPage.Bar(
                    name: Figures.oneLine("\(phase.number). \(phase.name)", limit: 26), labelY: fmt(top + 13), x: fmt(labelWidth), barY: fmt(top + 2),
                    barWidth: fmt(width), valueX: fmt(labelWidth + width + 6), valueY: fmt(top + 13),
                    cost: cost.completeCost?.description ?? "≥ " + cost.estimated.description, mix: mix))
        }
        return IndexPage.Chart(width: "760", height: fmt(Double(run.phases.count) * rowHeight + 4), bars: bars)
    }

    private func fmt(_ v: Double) -> String {
        Figures.fixed(v, places: 1)
    }

    /// A phase's files: the model its pages share, its conversation cut into pages, and its
    /// Markdown.
    struct PhaseFiles {
        var page: PhasePage
        var pagination: PhasePagination
        var markdown: [String: Any]
        /// Made after the HTML pages are written, so that a long conversation is never held
        /// as HTML and as Markdown at once.
        var conversationMarkdown: () -> String
    }

    private func phaseFiles(_ run: ReportRun, index: Int, artifacts: ArtifactCollector, figures: RunFigures) -> PhaseFiles {
        let p = run.phases[index]
        var subtitle = p.reason
        if let note = p.permissionNote, !p.reason.contains("for want of permission") { subtitle += " · " + note }
        if let phase = p.phase {
            let first = phase.turns.first.flatMap { ($0.prompt ?? $0.messages.first)?.timestamp }
            let last = phase.turns.last.flatMap { ($0.messages.last ?? $0.prompt)?.timestamp }
            subtitle += " · " + Figures.plural(phase.turns.count, "turn")
            if let first { subtitle += " · " + Figures.second(first) }
            if let last, last != first { subtitle += " – " + Figures.clock(last, onDay: first.map { String($0.prefix(10)) }) }
        }
        var phaseInfo: [String: Any] = ["number": p.number, "name": p.name, "outcome": p.outcome.rawValue, "outcome_label": p.outcome.label, "subtitle": subtitle]

        var conversationMarkdown: () -> String = { "*This phase did not run.*\n" }
        var pagination = PhasePagination(bubbles: [[]], html: [""], pageOfTurn: [:])
        var metaCount = 0
        var rows: [CostTableView.Row] = []
        var turnCosts: [USD] = []
        var markdownRows: [String] = []
        if let phase = p.phase, let session = p.session {
            var view = ConversationView(session: session, options: options, ledger: ledger)
            view.markTurnEnds(of: phase)
            view.replyLabels = p.replyLabels
            view.markdownFile = p.fileStem + ".md"
            let visible = view.visibleMessages(phase)
            if options.detail == .full { view.placeBranches(of: phase, visible: visible) }
            let (messages, loop) = RepeatedCalls.collapsed(view.htmlMessages(visible))
            if let loop, loop.count >= RepeatedCalls.loopLength {
                subtitle += " · the agent looped: the same \(loop.tool) call \(loop.count) times in a row"
                phaseInfo["subtitle"] = subtitle
            }
            metaCount = messages.filter(\.isMeta).count
            // A long conversation is cut into pages at message boundaries.
            pagination = PhasePagination.pages(messages, limit: options.pageBytes, templates: templates)
            // Only a user's phase page reads the messages themselves; planscribe's writes
            // their HTML, so the bubbles (a second copy of the text) are let go.
            if !templates.isOverridden(PhasePage.templateName) { pagination.bubbles = pagination.bubbles.map { _ in [] } }
            let finalView = view
            conversationMarkdown = { finalView.markdown(visible) }
            let reportedTurns = figures.turnCosts[session.id] ?? [:]  // made for every session of the run
            for (t, turn) in phase.turns.enumerated() {
                let label =
                    turn.prompt.map { ConversationView.promptLabel($0, first: t == 0, replies: p.replyLabels) }.map { "\(t + 1). \($0.0): " + Figures.oneLine($0.1, limit: 48) }
                    ?? "\(t + 1). (context)"
                let e = estimate(turn.apiCalls)
                let reported = ((turn.prompt ?? turn.messages.first)?.uuid).flatMap { reportedTurns[$0] }
                rows.append(costRow(name: label, href: nil, estimate: e, reported: reported))
                turnCosts.append(e.estimated)
                markdownRows.append(
                    MarkdownTable.row([
                        label, Figures.count(e.calls), Figures.count(e.usage.input), Figures.count(e.usage.output), Figures.count(e.usage.cacheWrite), Figures.count(e.usage.cacheRead),
                        e.completeCost?.description ?? "–", reported?.description ?? "–",
                    ]))
            }
        }
        let unusedNote = p.unusedReplies.isEmpty ? nil : "Canned replies not used: " + p.unusedReplies.map { "“" + Figures.oneLine($0, limit: 120) + "”" }.joined(separator: ", ")
        let e = figures.phases[index]
        let totalRow = costRow(name: "phase total", href: nil, estimate: e, reported: p.reported, notes: p.session?.costNotes ?? [])
        // A phase of many turns shows its dearest on the page; its Markdown has every one.
        if rows.count > Self.pageTurnRows {
            let kept = Set(turnCosts.indices.sorted { (turnCosts[$0], $1) > (turnCosts[$1], $0) }.prefix(Self.pageTurnRows))
            let more = rows.count - kept.count
            rows = rows.indices.filter(kept.contains).map { rows[$0] }
            rows.append(
                CostTableView.Row(
                    name: "… \(Figures.plural(more, "cheaper turn")) (the \(Self.pageTurnRows) dearest are listed; every turn is in \(p.fileStem).md)", href: nil, calls: "",
                    input: "", output: "", cacheWrite: "", cacheRead: "", estimated: "", reported: "", differs: false, why: []))
        }
        let cost = CostTableView(firstHeader: "turn", rows: rows, total: totalRow, unpriced: Self.unpriced(e))
        markdownRows.append(
            MarkdownTable.row([
                "**phase total**", Figures.count(e.calls), Figures.count(e.usage.input), Figures.count(e.usage.output), Figures.count(e.usage.cacheWrite), Figures.count(e.usage.cacheRead),
                e.completeCost?.description ?? "–", p.reported?.description ?? "–",
            ]))

        let items = artifacts.items(for: p)
        // The page shows artifacts up to a quarter of a page's worth; the phase's Markdown
        // has them all.
        let budget = options.pageBytes / 4
        var used = 0
        var shown: [PhasePage.Artifact] = []
        var left: [String] = []
        for item in items {
            let size = item.markdown?.utf8.count ?? item.text?.utf8.count ?? 0
            guard used + size <= budget || shown.isEmpty else {
                left.append(item.name)
                continue
            }
            used += size
            let cutNote = size > budget ? "… cut at \(Figures.count(budget)) bytes: the whole file is in \(p.fileStem).md" : nil
            let markdown = item.markdown.map { Self.head($0, bytes: budget) }
            let text = item.text.map { Self.head($0, bytes: budget) }
            shown.append(
                PhasePage.Artifact(
                    name: item.name, source: item.source + (cutNote.map { " · " + $0 } ?? ""), html: markdown.map(Markdown.html),
                    text: markdown == nil && !(text ?? "").isEmpty ? text : nil))
        }
        let artifactsMore =
            left.isEmpty ? nil : "… and \(Figures.plural(left.count, "more file")), whole in \(p.fileStem).md: " + left.prefix(20).joined(separator: ", ") + (left.count > 20 ? ", …" : "")
        let artifactsMarkdown = items.map { item in
            "### " + MarkdownTable.escape(item.name) + "\n\n*" + item.source + "*\n\n" + (item.markdown.map(Markdown.defanged) ?? Markdown.fenced(item.text ?? ""))
        }.joined(separator: "\n")
        let markdown: [String: Any] = [
            "phase": phaseInfo, "conversation_md": Self.placeholder,
            "artifacts_md": artifactsMarkdown.isEmpty ? false : artifactsMarkdown as Any,
            "cost_md": MarkdownTable.costHeader("turn") + markdownRows.joined(separator: "\n") + "\n",
        ]
        let previous = index > 0 ? PhasePage.Link(href: "\(run.phases[index - 1].fileStem).html", name: run.phases[index - 1].name) : nil
        let next = index + 1 < run.phases.count ? PhasePage.Link(href: "\(run.phases[index + 1].fileStem).html", name: run.phases[index + 1].name) : nil
        let page = PhasePage(
            frame: frame(run, pageTitle: "\(p.number). \(p.name) — \(run.title)", subtitle: subtitle), number: p.number, name: p.name,
            outcome: p.outcome.rawValue, outcomeLabel: p.outcome.label, previous: previous, next: next, strip: strip(run, currentPhase: index, prefix: "../"),
            pager: nil, metaCount: metaCount, messages: [], conversationHTML: "", unusedNote: unusedNote, artifacts: shown, artifactsMore: artifactsMore, cost: cost)
        return PhaseFiles(page: page, pagination: pagination, markdown: markdown, conversationMarkdown: conversationMarkdown)
    }

    /// The start of a text, at most `bytes` long, cut after a line where there is one.
    static func head(_ text: String, bytes: Int) -> String {
        let u = text.utf8
        guard u.count > bytes else { return text }
        var end = u.index(u.startIndex, offsetBy: bytes)
        while end > u.startIndex, u[u.index(before: end)] != 0x0A { end = u.index(before: end) }
        return end == u.startIndex ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(bytes / 4))) : String(text[..<end])
    }

    /// How many turns a phase page's cost table lists (the dearest, in their order).
    static let pageTurnRows = 100

    /// A phase page's file: `01-office-hours.html`, then `01-office-hours-2.html`…
    static func pageFile(stem: String, page: Int) -> String {
        page == 1 ? stem + ".html" : stem + "-\(page).html"
    }

    /// The pager of a phase with several pages; nil for one page.
    static func pager(stem: String, page: Int, of count: Int) -> PhasePage.Pager? {
        guard count > 1 else { return nil }
        return PhasePage.Pager(
            page: page, count: count, previous: page > 1 ? pageFile(stem: stem, page: page - 1) : nil, next: page < count ? pageFile(stem: stem, page: page + 1) : nil,
            first: pageFile(stem: stem, page: 1))
    }
}
