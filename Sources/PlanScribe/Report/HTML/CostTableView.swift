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
        let table = self
        var out = "<div class=\"table-wrap\">\n<table class=\"cost\">\n<thead><tr><th>" + HTMLText.escape(table.firstHeader)
        out += "</th><th>calls</th><th>input</th><th>output</th><th>cache write</th><th>cache read</th><th>estimated</th><th>reported</th></tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr><td>"
            if let href = row.href {
                out += "<a href=\"" + HTMLText.escape(href) + "\">" + HTMLText.escape(row.name) + "</a>"
            } else {
                out += HTMLText.escape(row.name)
            }
            out += "</td>"
            Self.figures(row, into: &out)
            out += "<td" + (row.differs ? " class=\"differs\" title=\"differs from the estimate by more than 1 %\"" : "") + ">"
            out += HTMLText.escape(row.reported) + (row.differs ? " *" : "") + "</td></tr>\n"
        }
        let total = table.total
        out += "<tr class=\"total\"><td>" + HTMLText.escape(total.name) + "</td>"
        Self.figures(total, into: &out)
        out += "<td" + (total.differs ? " class=\"differs\"" : "") + ">"
        out += HTMLText.escape(total.reported) + (total.differs ? " *" : "") + "</td></tr>\n"
        out += "</tbody>\n</table>\n</div>\n<p class=\"note\">Tokens: input, output, cache write, cache read. <b>Estimated</b>: usage × price table. <b>Reported</b>: the Claude Code CLI's own figure."
        if table.anyDiffers {
            out += " <span class=\"warn\">* estimated and reported differ by more than 1 %"
            if let why = table.differsWhy { out += ": " + HTMLText.escape(why) }
            out += ".</span>"
        }
        if let coverage = total.coverage {
            out += " <span class=\"warn\">" + HTMLText.escape(coverage) + "</span>"
        }
        if let unpriced = table.unpriced {
            out += " <span class=\"warn\">No price for " + HTMLText.escape(unpriced) + ": those tokens are counted, their cost is not.</span>"
        }
        out += "</p>\n"
        html.markup(out)
    }

    private static func figures(_ row: CostTableView.Row, into out: inout String) {
        for cell in [row.calls, row.input, row.output, row.cacheWrite, row.cacheRead, row.estimated] {
            out += "<td>" + HTMLText.escape(cell) + "</td>"
        }
    }

    /// The table as a template reads it.
    var context: [String: Any] {
        [
            "first_header": firstHeader, "rows": rows.map(\.context), "total": total.context, "any_differs": anyDiffers,
            "differs_why": differsWhy ?? false, "coverage": total.coverage ?? false, "unpriced": unpriced ?? false,
        ]
    }
}
