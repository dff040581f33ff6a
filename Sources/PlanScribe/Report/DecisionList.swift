/// What was decided in a run, phase by phase: each reply the agent got (canned, default, a
/// nudge) with the question it answered, the last words of the turn before it. Shown on the
/// index, in report.md and in the job summary.
struct DecisionList {
    /// One question and its reply.
    struct Item {
        var question: String
        /// How the reply came: `canned reply`, `default reply`, `nudge: …`.
        var label: String
        var answer: String
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

    /// The decisions of a run's phases (phases without a reply are left out).
    init(_ run: ReportRun) {
        phases = run.phases.compactMap { p in
            guard let phase = p.phase else { return nil }
            var items: [Item] = []
            for (t, turn) in phase.turns.enumerated() where t > 0 {
                guard let prompt = turn.prompt else { continue }
                let (label, text) = ConversationView.promptLabel(prompt, first: false, replies: p.replyLabels)
                let asked = Self.head(phase.turns[t - 1].finalText ?? "")
                items.append(Item(question: Figures.oneLine(asked.isEmpty ? "(no question)" : asked, limit: 240), label: label, answer: Figures.oneLine(Self.head(text), limit: 240)))
            }
            return items.isEmpty ? nil : Phase(number: p.number, name: p.name, href: "phases/\(p.fileStem).html", items: items)
        }
    }

    /// The start of a long text (all a line of 240 characters can show), the marker line of
    /// a short one stripped.
    static func head(_ text: String) -> String {
        guard text.utf8.count > 4_000 else { return PhaseMarker.strip(text) }
        return String(text.prefix(1_000))
    }

    /// The list as the index template reads it.
    var context: [[String: Any]] {
        phases.map { p in
            [
                "number": p.number, "name": p.name, "href": p.href,
                "items": p.items.map { ["question": $0.question, "label": $0.label, "answer": $0.answer] as [String: Any] },
            ]
        }
    }

    /// A Markdown table of every decision, the transcript's words literal
    /// (``MarkdownTable/literal(_:)``); empty without decisions.
    var markdown: String {
        guard !phases.isEmpty else { return "" }
        var rows = ["| phase | asked | reply |", "|---|---|---|"]
        for p in phases {
            for item in p.items {
                rows.append(
                    "| " + MarkdownTable.escape("\(p.number). \(p.name)") + " | " + MarkdownTable.literal(item.question) + " | *" + MarkdownTable.literal(item.label) + "*: "
                        + MarkdownTable.literal(item.answer) + " |")
            }
        }
        return rows.joined(separator: "\n")
    }
}
