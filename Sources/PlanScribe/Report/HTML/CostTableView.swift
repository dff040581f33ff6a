/// A cost table as a page shows it: its cells as text. Written by ``write(_:)``, or by a
/// user's `cost-table` template from ``context`` (under `cost`).
struct CostTableView: HTMLComponent {
    static let templateName = "cost-table"
    /// One row: a phase or a turn, or the total.
    struct Row {
        var name: String
        /// The page the row links to.
        var href: String?
        var calls: String
        var input: String
        var output: String
        var cacheWrite: String
        var cacheRead: String
        var estimated: String
        var reported: String
        /// Estimated and reported differ by more than 1 %.
        var differs: Bool
        /// Why they may differ, when they do.
        var why: [String]
        /// How far the reported figure covers the sessions, when not all of them.
        var coverage: String?

        /// The row as the templates see it.
        var context: [String: Any] {
            [
                "name": name, "href": href ?? false, "calls": calls, "input": input, "output": output, "cache_write": cacheWrite,
                "cache_read": cacheRead, "estimated": estimated, "reported": reported, "differs": differs, "why": why,
                "coverage": coverage ?? false,
            ]
        }
    }

    /// The first column's header: `phase` or `turn`.
    var firstHeader: String
    var rows: [Row]
    var total: Row
    /// Models without a price, listed.
    var unpriced: String?

    /// Some row differs.
    var anyDiffers: Bool { (rows + [total]).contains(where: \.differs) }

    /// The reasons rows differ, each once, in order.
    var differsWhy: String? {
        var why: [String] = []
        for reason in (rows + [total]).flatMap(\.why) where !why.contains(reason) { why.append(reason) }
        return why.isEmpty ? nil : why.joined(separator: "; ")
    }

    func templateContext(_ templates: TemplateSet) -> [String: Any] { ["cost": context] }

    func write(_ html: inout HTMLWriter) {
        html.markup("<div class=\"table-wrap\">\n<table class=\"cost\">\n<thead><tr><th>", text: firstHeader, "</th>")
        html.markup("<th>calls</th><th>input</th><th>output</th><th>cache write</th><th>cache read</th><th>estimated</th><th>reported</th></tr></thead>\n<tbody>\n")
        for row in rows {
            html.markup("<tr><td>")
            if let href = row.href {
                html.markup("<a href=\"", text: href, "\">")
                html.text(row.name)
                html.markup("</a>")
            } else {
                html.text(row.name)
            }
            html.markup("</td>")
            write(row, differsTitle: " title=\"differs from the estimate by more than 1 %\"", &html)
        }
        html.markup("<tr class=\"total\"><td>", text: total.name, "</td>")
        write(total, differsTitle: "", &html)
        html.markup(
            "</tbody>\n</table>\n</div>\n<p class=\"note\">Tokens: input, output, cache write, cache read. <b>Estimated</b>: usage × price table. <b>Reported</b>: the Claude Code CLI's own figure."
        )
        if anyDiffers {
            html.markup(" <span class=\"warn\">* estimated and reported differ by more than 1 %")
            if let why = differsWhy { html.markup(": ", text: why, "") }
            html.markup(".</span>")
        }
        if let coverage = total.coverage { html.markup(" <span class=\"warn\">", text: coverage, "</span>") }
        if let unpriced { html.markup(" <span class=\"warn\">No price for ", text: unpriced, ": those tokens are counted, their cost is not.</span>") }
        html.markup("</p>\n")
    }

    /// A row's figures and its reported cell (marked when it differs), to the end of the row.
    private func write(_ row: Row, differsTitle: String, _ html: inout HTMLWriter) {
        for cell in [row.calls, row.input, row.output, row.cacheWrite, row.cacheRead, row.estimated] {
            html.markup("<td>", text: cell, "</td>")
        }
        html.markup(row.differs ? "<td class=\"differs\"" + differsTitle + ">" : "<td>", text: row.reported, (row.differs ? " *" : "") + "</td></tr>\n")
    }

    /// The table as a template reads it.
    var context: [String: Any] {
        [
            "first_header": firstHeader, "rows": rows.map(\.context), "total": total.context, "any_differs": anyDiffers,
            "differs_why": differsWhy ?? false, "coverage": total.coverage ?? false, "unpriced": unpriced ?? false,
        ]
    }
}
