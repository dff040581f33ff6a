import Foundation

/// The comparison as people read it: one table (a heading row per phase, then a row per
/// figure: before, after, delta, %) and the decisions that changed. The text table of
/// `planscribe diff`, its Markdown and its HTML page are all made from these rows.
extension RunDiff {
    /// One row of the table: what it shows and its four figures.
    public struct Row: Sendable, Equatable {
        /// A phase's heading (its outcomes in the before and after columns) or a figure.
        public var isHeading: Bool
        /// The phase, or what the figure measures.
        public var label: String
        /// The earlier run's figure, written out (`–` when it has none).
        public var before: String
        /// The later run's figure.
        public var after: String
        /// The change with its sign (a heading: `same`, `changed`, `added` or `removed`).
        public var delta: String
        /// The change as a percentage of the earlier figure.
        public var percent: String
    }

    /// The table: the whole run first (every figure), then each phase (the figures that
    /// changed; ``json`` has them all).
    public var rows: [Row] {
        let (a, b) = totals
        var rows = [
            Row(isHeading: true, label: "whole run", before: "\(a.done) of \(a.planning) done", after: "\(b.done) of \(b.planning) done", delta: "", percent: "")
        ]
        rows += FigureChange.of(totals: totals).map(Self.row)
        for p in phases {
            var label = "\(p.after?.number ?? p.before?.number ?? 0). \(p.name)"
            if p.timesBefore > 1 || p.timesAfter > 1 { label += " (run \(p.occurrence)" + Self.repeats(p) + ")" }
            rows.append(Row(isHeading: true, label: label, before: p.before?.outcome ?? "–", after: p.after?.outcome ?? "–", delta: p.status, percent: ""))
            // A phase shows the figures that changed (all of them when one run lacks it).
            rows += FigureChange.of(before: p.before, after: p.after).filter { $0.delta != 0 }.map(Self.row)
        }
        return rows
    }

    /// "; twice before, once after": how often each run has the phase, when either has it
    /// more than once.
    private static func repeats(_ p: PhaseChange) -> String {
        func times(_ n: Int) -> String { n == 0 ? "not" : n == 1 ? "once" : n == 2 ? "twice" : "\(n) times" }
        return "; \(times(p.timesBefore)) before, \(times(p.timesAfter)) after"
    }

    private static func row(_ f: FigureChange) -> Row {
        Row(isHeading: false, label: f.label, before: f.text(f.before), after: f.text(f.after), delta: f.deltaText, percent: f.percentText)
    }

    /// The phases whose decisions changed, with the changes.
    public var decisionChanges: [(phase: String, changes: [DecisionChange])] {
        phases.filter { !$0.decisions.isEmpty }.map { ("\($0.after?.number ?? $0.before?.number ?? 0). \($0.name)", $0.decisions) }
    }

    /// Phases only one run has, and names run more than once, in words.
    public var notes: [String] {
        var notes: [String] = []
        let added = phases.filter { $0.before == nil }.map(\.name)
        let removed = phases.filter { $0.after == nil }.map(\.name)
        if !added.isEmpty { notes.append("Only in the later run: " + added.joined(separator: ", ") + ".") }
        if !removed.isEmpty { notes.append("Only in the earlier run: " + removed.joined(separator: ", ") + ".") }
        var repeated: [String] = []
        for p in phases where (p.timesBefore > 1 || p.timesAfter > 1) && !repeated.contains(p.name) {
            repeated.append(p.name)
            notes.append("\(p.name) ran \(p.timesBefore) time\(p.timesBefore == 1 ? "" : "s") in the earlier run and \(p.timesAfter) in the later; runs are matched in order.")
        }
        return notes
    }

    /// The two runs, as the heading names them.
    public var sides: (before: String, after: String) {
        (Self.name(before), Self.name(after))
    }

    private static func name(_ run: RunSnapshot) -> String {
        run.source.isEmpty || run.source == run.title ? run.title : "\(run.title) (\(run.source))"
    }

    /// The comparison in Markdown: the table and the decisions that changed, every text from
    /// a transcript shown literally.
    ///
    /// - Parameter heading: the Markdown heading level of its sections (`##` for a page of its own).
    public func markdown(heading: String = "##") -> String {
        var out = "| | before | after | change | % |\n|---|---:|---:|---:|---:|\n"
        for row in rows {
            if row.isHeading {
                out += "| **" + MarkdownTable.escape(row.label) + "** | " + MarkdownTable.escape(row.before) + " | " + MarkdownTable.escape(row.after) + " | " + row.delta + " | |\n"
            } else {
                out += "| " + row.label + " | " + row.before + " | " + row.after + " | " + row.delta + " | " + row.percent + " |\n"
            }
        }
        for note in notes { out += "\n" + MarkdownTable.escape(note) + "\n" }
        let decisions = decisionChanges
        out += "\n\(heading) Decisions that changed\n\n"
        if decisions.isEmpty {
            out += "None: every question got the same reply.\n"
        }
        for (phase, changes) in decisions {
            out += "**" + MarkdownTable.escape(phase) + "**\n\n"
            for change in changes {
                let question = change.after?.question ?? change.before?.question ?? ""
                out += "- asked: " + MarkdownTable.literal(question) + "\n"
                if let b = change.before, let a = change.after, b.question != a.question {
                    out += "  - asked before: " + MarkdownTable.literal(b.question) + "\n"
                }
                out += "  - before: " + (change.before.map { "*" + MarkdownTable.literal($0.label) + "*: " + MarkdownTable.literal($0.reply) } ?? "not asked") + "\n"
                out += "  - after: " + (change.after.map { "*" + MarkdownTable.literal($0.label) + "*: " + MarkdownTable.literal($0.reply) } ?? "not asked") + "\n"
            }
            out += "\n"
        }
        return out
    }

    /// A Markdown page of its own: a title naming both runs, then ``markdown(heading:)``.
    public var markdownPage: String {
        let (a, b) = sides
        return "# planscribe diff\n\n" + MarkdownTable.escape("before: \(a)") + "  \n" + MarkdownTable.escape("after: \(b)") + "\n\n" + markdown()
    }

    /// An HTML page of its own: ``markdownPage`` through cmark-gfm in safe mode, with the
    /// reports' style sheet (template `diff.html`).
    public func htmlPage(templates: TemplateSet, options: ReportOptions = ReportOptions()) -> String {
        let (a, b) = sides
        let frame = PageFrame(
            head: PageHead(pageTitle: "planscribe diff — \(after.title)", css: templates.css), title: "What changed", subtitle: "before: \(a) · after: \(b)",
            footer: ReportBuilder.footer(options))
        let page = DiffPage(frame: frame, diffHTML: Markdown.html(markdown()))
        return String(decoding: RenderedFile(path: "diff.html", parts: templates.page(page)).showingBidiControls().contents, as: UTF8.self)
    }
}

extension RunDiff: Encodable {
    private struct Side: Encodable {
        var title: String
        var source: String
        var cost_usd: USD?
        var cost_source: String

        enum CodingKeys: String, CodingKey { case title, source, cost_usd, cost_source }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(title, forKey: .title)
            try c.encode(source, forKey: .source)
            try c.encode(cost_usd, forKey: .cost_usd)
            try c.encode(cost_source, forKey: .cost_source)
        }
    }

    private struct Figure: Encodable {
        var before: Int64?
        var after: Int64?
        var delta: Int64?
        var percent: Double?
        var kind: FigureChange.Kind

        init(_ f: FigureChange) {
            (before, after, delta, percent, kind) = (f.before, f.after, f.delta, f.percent, f.kind)
        }

        enum CodingKeys: String, CodingKey { case before, after, delta, percent }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            func put(_ value: Int64?, _ key: CodingKeys) throws {
                guard let value else { return try c.encodeNil(forKey: key) }
                switch kind {
                case .count: try c.encode(value, forKey: key)
                case .money: try c.encode(USD(picodollars: value), forKey: key)
                case .seconds: try c.encode(Double(value) / 1000, forKey: key)
                }
            }
            try put(before, .before)
            try put(after, .after)
            try put(delta, .delta)
            try c.encode(percent, forKey: .percent)
        }
    }

    private struct Decision: Encodable {
        var question: String
        var before_question: String?
        var before: String?
        var before_label: String?
        var after: String?
        var after_label: String?

        enum CodingKeys: String, CodingKey { case question, before_question, before, before_label, after, after_label }

        /// Every key, `null` where a side has none.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(question, forKey: .question)
            try c.encode(before_question, forKey: .before_question)
            try c.encode(before, forKey: .before)
            try c.encode(before_label, forKey: .before_label)
            try c.encode(after, forKey: .after)
            try c.encode(after_label, forKey: .after_label)
        }
    }

    private static let keys: [String: String] = [
        "turns": "turns", "API calls": "api_calls", "tokens in": "input_tokens", "tokens out": "output_tokens",
        "cache write": "cache_write_tokens", "cache read": "cache_read_tokens", "estimated": "estimated_cost_usd",
        "reported": "reported_cost_usd", "duration": "duration_s",
    ]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct FigureSet: Encodable {
        var list: [FigureChange]
        var extra: [String: String?] = [:]
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            for f in list { try c.encode(Figure(f), forKey: Key(RunDiff.keys[f.label] ?? f.label)) }
            for (k, v) in extra { try c.encode(v, forKey: Key(k)) }
        }
    }

    private struct PhaseJSON: Encodable {
        enum CodingKeys: String, CodingKey {
            case name, occurrence, status, times_before, times_after, outcome_before, outcome_after, figures, decisions
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(occurrence, forKey: .occurrence)
            try c.encode(status, forKey: .status)
            try c.encode(times_before, forKey: .times_before)
            try c.encode(times_after, forKey: .times_after)
            try c.encode(outcome_before, forKey: .outcome_before)
            try c.encode(outcome_after, forKey: .outcome_after)
            try c.encode(figures, forKey: .figures)
            try c.encode(decisions, forKey: .decisions)
        }

        var name: String
        var occurrence: Int
        var status: String
        var times_before: Int
        var times_after: Int
        var outcome_before: String?
        var outcome_after: String?
        var figures: FigureSet
        var decisions: [Decision]
    }

    enum CodingKeys: String, CodingKey { case schema_version, before, after, total, phases, notes }

    /// `planscribe diff --json`: both runs, the totals' and each phase's figures (before, after,
    /// delta, percent; money in dollars, durations in seconds), and the changed decisions.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(1, forKey: .schema_version)
        try c.encode(Side(title: before.title, source: before.source, cost_usd: before.cost, cost_source: before.costSource), forKey: .before)
        try c.encode(Side(title: after.title, source: after.source, cost_usd: after.cost, cost_source: after.costSource), forKey: .after)
        let (a, b) = totals
        try c.encode(FigureSet(list: FigureChange.of(totals: totals), extra: ["done_before": "\(a.done)/\(a.planning)", "done_after": "\(b.done)/\(b.planning)"]), forKey: .total)
        try c.encode(
            phases.map { p in
                PhaseJSON(
                    name: p.name, occurrence: p.occurrence, status: p.status, times_before: p.timesBefore, times_after: p.timesAfter,
                    outcome_before: p.before?.outcome, outcome_after: p.after?.outcome,
                    figures: FigureSet(list: FigureChange.of(before: p.before, after: p.after)),
                    decisions: p.decisions.map { d in
                        Decision(
                            question: d.after?.question ?? d.before?.question ?? "",
                            before_question: d.before.flatMap { b in b.question == d.after?.question ? nil : b.question },
                            before: d.before?.reply, before_label: d.before?.label, after: d.after?.reply, after_label: d.after?.label)
                    })
            }, forKey: .phases)
        try c.encode(notes, forKey: .notes)
    }

    /// The JSON of ``encode(to:)``, keys sorted, ending in a line break.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
    }
}
