import Foundation

/// The Markdown files of a report (each phase's `.md`, `report.md`, the job summary), and the
/// Markdown tables the index's figures share with them.
extension ReportBuilder {
    /// A rendered Markdown template (tidied) cut at its placeholders, with the conversations
    /// in between.
    func spliced(_ rendered: String, _ bodies: [String]) -> [Substring] {
        let pieces = tidy(rendered).utf8Pieces(separatedBy: Self.placeholder)
        var parts: [Substring] = []
        var previousEndsBlank = false
        for (i, piece) in pieces.enumerated() {
            // A conversation ends with a blank line; so may the template: keep one, and end
            // the file with a single newline (as tidy does).
            // Byte by byte: dropLast and hasSuffix on a Substring walk Characters (a whole
            // conversation, when the limit check counts them).
            var piece = piece
            if previousEndsBlank {
                while piece.utf8.first == 0x0A { piece = piece[piece.utf8.index(after: piece.startIndex)...] }
                if piece.isEmpty, var last = parts.popLast() {
                    while Self.endsWithBlankLine(last) { last = last[..<last.utf8.index(before: last.endIndex)] }
                    parts.append(last)
                }
            }
            parts.append(piece)
            if i < pieces.count - 1 {
                let body = Substring(i < bodies.count ? bodies[i] : "")
                parts.append(body)
                previousEndsBlank = Self.endsWithBlankLine(body)
            }
        }
        return parts
    }

    static func endsWithBlankLine(_ text: Substring) -> Bool {
        let bytes = text.utf8
        guard bytes.count >= 2 else { return false }
        return bytes.last == 0x0A && bytes[bytes.index(bytes.endIndex, offsetBy: -2)] == 0x0A
    }

    func phasesMarkdown(_ run: ReportRun) -> String {
        var lines = ["| # | phase | outcome | why |", "|---|---|---|---|"]
        for p in run.phases {
            lines.append(MarkdownTable.row(["\(p.number)", p.name, p.outcome.label, p.reason]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func costMarkdown(_ run: ReportRun, figures: RunFigures) -> String {
        var lines: [String] = []
        var flagged: [CostRow] = []
        for (p, e) in zip(run.phases, figures.phases) {
            var row = CostRow(key: p.name, estimate: e, reported: p.reported)
            row.notes = p.session?.costNotes ?? []
            if row.differs { flagged.append(row) }
            lines.append(
                MarkdownTable.row([
                    "\(p.number). \(p.name)", Figures.count(e.calls), Figures.count(e.usage.input), Figures.count(e.usage.output), Figures.count(e.usage.cacheWrite), Figures.count(e.usage.cacheRead),
                    e.completeCost?.description ?? "–", Self.reportedCell(row) + (row.differs ? " \\*" : ""),
                ]))
        }
        var totalRow = figures.totalRow
        totalRow.estimate = figures.total
        let total = totalRow.estimate
        if totalRow.differs { flagged.append(totalRow) }
        lines.append(
            MarkdownTable.row([
                "**total**", Figures.count(total.calls), Figures.count(total.usage.input), Figures.count(total.usage.output), Figures.count(total.usage.cacheWrite),
                Figures.count(total.usage.cacheRead), total.completeCost?.description ?? "–", Self.reportedCell(totalRow) + (totalRow.differs ? " \\*" : ""),
            ]))
        var text = MarkdownTable.costHeader("phase") + lines.joined(separator: "\n") + "\n"
        if !total.unpricedModels.isEmpty { text += "\nNo price for " + MarkdownTable.escape(total.unpricedModels.joined(separator: ", ")) + ": those tokens are counted, their cost is not.\n" }
        text += "\nEstimated: usage × price table. Reported: the Claude Code CLI's own figure.\n"
        if !flagged.isEmpty {
            var why: [String] = []
            for note in flagged.flatMap(\.notes) where !why.contains(note.explanation) { why.append(note.explanation) }
            text += "\n\\* Estimated and reported differ by more than 1 %" + (why.isEmpty ? "" : ": " + why.joined(separator: "; ")) + ".\n"
        }
        if let coverage = CostFootnote.coverage(totalRow) { text += "\n" + coverage + "\n" }
        return text
    }

    /// A row's reported figure as a table shows it, with the share of sessions it covers when
    /// that is not all of them.
    static func reportedCell(_ row: CostRow) -> String {
        guard let reported = row.reported else { return "–" }
        return reported.description + (CostFootnote.share(reported: row.sessionsReported, of: row.sessions).map { " (\($0) sessions)" } ?? "")
    }

    func reportContext(_ run: ReportRun, sections: [[String: Any]], figures: RunFigures) -> [String: Any] {
        let (total, reported) = (figures.total, figures.reported)
        let facts = self.facts(run).map { "- **\($0.term)**: " + MarkdownTable.escape($0.value) }.joined(separator: "\n")
        return [
            "title": MarkdownTable.escape(run.title),
            "subtitle": "\(Figures.plural(run.phases.count, "phase")) · estimated \(total.completeCost?.description ?? "unknown")" + (reported.map { " · reported \($0.description)" } ?? ""),
            "phases_md": figures.phasesMarkdown, "cost_md": figures.costMarkdown, "facts_md": facts, "phase_sections": sections,
            "decisions_md": figures.decisionsMarkdown.isEmpty ? false : figures.decisionsMarkdown as Any,
            "gates_md": Self.gatesMarkdown(figures.gates) ?? false, "baseline": Self.baselineMarkdown(figures.comparison, heading: "###") ?? false,
        ]
    }

    /// The gates as a Markdown list; nil without gates.
    static func gatesMarkdown(_ gates: [Gate.Result]) -> String? {
        guard !gates.isEmpty else { return nil }
        return gates.map { "- **" + ($0.failed ? "failed" : "passed") + "** `\($0.gate)`: " + MarkdownTable.literal($0.message) }.joined(separator: "\n")
    }

    /// The comparison with the baseline, as the Markdown templates take it.
    static func baselineMarkdown(_ comparison: RunDiff?, heading: String) -> [String: Any]? {
        comparison.map { ["before": MarkdownTable.escape($0.sides.before), "markdown": $0.markdown(heading: heading)] }
    }

    /// How much of a phase's final message report.md shows, in characters.
    static let reportFinalLimit = 4_000

    /// A phase's final assistant message as Markdown, defanged, cut at `limit` characters
    /// (saying so, and where the whole of it is).
    static func finalMarkdown(_ p: ReportPhase, limit: Int?) -> String {
        let final = p.phase?.turns.last?.messages.last { $0.role == .assistant && !$0.text.isEmpty }
        var text = final.map { PhaseMarker.strip($0.text) } ?? "*No response.*"
        if let limit, text.count > limit { text = String(text.prefix(limit)) + "\n\n*… shortened: the whole of it is in phases/\(p.fileStem).md*" }
        return Markdown.defanged(text)
    }

    func jobSummary(_ run: ReportRun, figures: RunFigures) -> String {
        func render(decisionLimit: Int?, includeDecisions: Bool, note: String?) -> String {
            var decisions: [[String: Any]] = []
            if includeDecisions {
                for p in run.phases {
                    decisions.append(["number": p.number, "name": p.name, "outcome_label": p.outcome.label, "decision_md": Self.finalMarkdown(p, limit: decisionLimit)])
                }
            }
            return tidy(
                templates.renderMarkdown(
                    "job-summary.md",
                    [
                        "title": MarkdownTable.escape(run.title), "phases_md": figures.phasesMarkdown, "cost_md": figures.costMarkdown,
                        "decisions": decisions, "shortened": note ?? false,
                        "asked_md": figures.decisionsMarkdown.isEmpty ? false : figures.decisionsMarkdown as Any,
                        "gates_md": Self.gatesMarkdown(figures.gates) ?? false, "baseline": Self.baselineMarkdown(figures.comparison, heading: "####") ?? false,
                    ]))
        }
        let full = render(decisionLimit: nil, includeDecisions: true, note: nil)
        if full.utf8.count <= Self.jobSummaryLimit { return full }
        let short = render(
            decisionLimit: 2000, includeDecisions: true, note: "This summary was shortened to stay under 1 MiB: each phase's final message is cut at 2,000 characters. The full run is in report.md.")
        if short.utf8.count <= Self.jobSummaryLimit { return short }
        return render(decisionLimit: nil, includeDecisions: false, note: "This summary was shortened to stay under 1 MiB: the phases' final messages are left out. The full run is in report.md.")
    }

    /// Collapses runs of blank lines that empty template sections leave behind (not inside
    /// fenced code). Works on lines as UTF-8 slices.
    func tidy(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var blank = 0
        var inFence = false
        var pending: [Substring] = []
        for line in text.utf8Lines {
            if line.hasPrefix("```") { inFence.toggle() }
            let isBlank = line.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if !inFence && isBlank {
                blank += 1
                if blank > 1 { continue }
            } else {
                blank = 0
            }
            pending.append(line)
        }
        while let last = pending.last, last.isEmpty { pending.removeLast() }
        for line in pending {
            // append(contentsOf:), not +=: the generic += counts a Substring's Characters first.
            out.append(contentsOf: line)
            out += "\n"
        }
        return out
    }
}
