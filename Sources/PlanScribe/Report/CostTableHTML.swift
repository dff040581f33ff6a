/// Writes a cost table the way the built-in `cost-table.mustache` partial renders its
/// ``CostTableView/context``, byte for byte: a phase of many turns has a row per turn, and
/// Mustache's per-key lookups made those rows a sixth of the page shell's time.
/// `MessageHTMLTests` compares every page of every fixture with the template's.
enum CostTableHTML {
    static func render(_ table: CostTableView) -> String {
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
            figures(row, into: &out)
            out += "<td" + (row.differs ? " class=\"differs\" title=\"differs from the estimate by more than 1 %\"" : "") + ">"
            out += HTMLText.escape(row.reported) + (row.differs ? " *" : "") + "</td></tr>\n"
        }
        let total = table.total
        out += "<tr class=\"total\"><td>" + HTMLText.escape(total.name) + "</td>"
        figures(total, into: &out)
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
        return out
    }

    private static func figures(_ row: CostTableView.Row, into out: inout String) {
        for cell in [row.calls, row.input, row.output, row.cacheWrite, row.cacheRead, row.estimated] {
            out += "<td>" + HTMLText.escape(cell) + "</td>"
        }
    }
}
