/// What was decided in a run, phase by phase: each reply the agent got (canned, default, a
/// nudge) with the question it answered (the last words of the turn before it, or the
/// headings of the decision briefs there), and each question the CLI refused to put
/// (`AskUserQuestion` in `-p` mode), each linked to its turn. Shown on the index, in
/// report.md and in the job summary.
struct DecisionList {
    /// One question and its reply.
    struct Item {
        var question: String
        /// How the reply came: `canned reply`, `default reply`, `nudge: …`; `not asked` for a
        /// question the CLI refused.
        var label: String
        var answer: String
        /// The turn it belongs to (from 1), which the index links to.
        var turn: Int = 1
        /// The decision brief the question is, when it is one (the first, when there are several).
        var brief: DecisionBrief?
    }

    /// A phase's decisions.
    struct Phase {
        var number: Int
        var name: String
        /// Its page.
        var href: String
        var items: [Item]
    }

    var phases: [Phase]

    /// No decisions.
    init() { phases = [] }

    /// The id of a turn's prompt on its phase page.
    static func anchor(turn number: Int) -> String { "turn-\(number)" }

    /// The decisions of a run's planning phases (conversation outside any phase asks for
    /// none; phases without any are left out).
    init(_ run: ReportRun) {
        phases = run.phases.compactMap { p in
            guard let phase = p.phase, p.outcome != .conversation else { return nil }
            let page = "phases/\(p.fileStem).html"
            var items: [Item] = []
            for (t, turn) in phase.turns.enumerated() {
                // Questions the agent tried to ask with the tool, refused by the CLI.
                for question in Self.refusedQuestions(in: turn) {
                    items.append(
                        Item(
                            question: Figures.oneLine(question.header.map { "\($0): " + question.question } ?? question.question, limit: 240),
                            label: "not asked", answer: "the CLI refused AskUserQuestion", turn: t + 1))
                }
                guard t + 1 < phase.turns.count, let prompt = phase.turns[t + 1].prompt else { continue }
                let (label, text) = ConversationView.promptLabel(prompt, first: false, replies: p.replyLabels)
                let asked = turn.finalText ?? ""
                let briefs = DecisionBrief.all(in: asked)
                let question = briefs.isEmpty ? Self.head(asked) : briefs.map(\.heading).joined(separator: "; ")
                items.append(
                    Item(
                        question: Figures.oneLine(question.isEmpty ? "(no question)" : question, limit: 240), label: label,
                        answer: Figures.oneLine(Self.head(text), limit: 240), turn: t + 2, brief: briefs.first))
            }
            return items.isEmpty ? nil : Phase(number: p.number, name: p.name, href: page, items: items)
        }
    }

    /// The questions of the turn's `AskUserQuestion` calls that the CLI refused.
    private static func refusedQuestions(in turn: Turn) -> [AskedQuestion] {
        var refused = Set<String>()
        for m in turn.messages {
            for result in m.toolResults where result.isError { refused.insert(result.toolUseID) }
        }
        guard !refused.isEmpty else { return [] }
        return turn.messages.flatMap { m in
            m.toolUses.filter { refused.contains($0.id) }.flatMap { AskedQuestion.questions(in: $0) ?? [] }
        }
    }

    /// The start of a long text (all a line of 240 characters can show), the marker line of
    /// a short one stripped.
    static func head(_ text: String) -> String {
        guard text.utf8.count > 4_000 else { return PhaseMarker.strip(text) }
        return String(text.prefix(1_000))
    }

    /// The first ``pageLimit`` decisions as the index shows them.
    ///
    /// - Parameter href: the link to a turn, by phase number and turn number.
    func indexed(href: (Int, Int) -> String) -> [IndexPage.DecisionPhase] {
        var budget = Self.pageLimit
        return phases.compactMap { p -> IndexPage.DecisionPhase? in
            guard budget > 0 else { return nil }
            let items = Array(p.items.prefix(budget))
            budget -= items.count
            return IndexPage.DecisionPhase(
                number: p.number, name: p.name, href: p.href,
                items: items.map { item in
                    IndexPage.Decision(
                        question: item.question, label: item.label, answer: item.answer, href: href(p.number, item.turn),
                        brief: item.brief.map { ($0.recommendation, $0.options.isEmpty ? nil : $0.options.joined(separator: " · ")) })
                })
        }
    }

    /// A Markdown table of every decision, the transcript's words literal
    /// (``MarkdownTable/literal(_:)``); empty without decisions.
    var markdown: String {
        guard !phases.isEmpty else { return "" }
        var rows = ["| phase | asked | reply |", "|---|---|---|"]
        let count = phases.reduce(0) { $0 + $1.items.count }
        for p in phases {
            for item in p.items {
                guard rows.count - 2 < Self.markdownLimit else { break }
                rows.append(
                    "| " + MarkdownTable.escape("\(p.number). \(p.name)") + " | " + MarkdownTable.literal(item.question)
                        + (item.brief?.recommendation.map { " (recommended: " + MarkdownTable.literal(Figures.oneLine($0, limit: 160)) + ")" } ?? "") + " | *"
                        + MarkdownTable.literal(item.label) + "*: " + MarkdownTable.literal(item.answer) + " |")
            }
        }
        var text = rows.joined(separator: "\n")
        if count > Self.markdownLimit {
            text += "\n\n… and \(Figures.plural(count - Self.markdownLimit, "more decision")): every one is on index.html and in summary.json."
        }
        return text
    }

    /// How many decisions report.md and the job summary list.
    static let markdownLimit = 100
    /// How many the index lists.
    static let pageLimit = 500
}
