/// Writes a cost table context the way the built-in `cost-table.mustache` partial renders it,
/// byte for byte: a phase of many turns has a row per turn, and Mustache's per-key lookups
/// made those rows a sixth of the page shell's time. `CostTableHTMLTests` and
/// `MessageHTMLTests` compare it with the template.
enum CostTableHTML {
    static func render(_ cost: [String: Any]) -> String {
        var out = "<div class=\"table-wrap\">\n<table class=\"cost\">\n<thead><tr><th>" + escaped(cost["first_header"])
        out += "</th><th>calls</th><th>input</th><th>output</th><th>cache write</th><th>cache read</th><th>estimated</th><th>reported</th></tr></thead>\n<tbody>\n"
        for row in (cost["rows"] as? [[String: Any]]) ?? [] {
            out += "<tr><td>"
            if truthy(row["href"]) {
                out += "<a href=\"" + escaped(row["href"]) + "\">" + escaped(row["name"]) + "</a>"
            } else {
                out += escaped(row["name"])
            }
            out += "</td>"
            figures(row, into: &out)
            out += "<td" + (truthy(row["differs"]) ? " class=\"differs\" title=\"differs from the estimate by more than 1 %\"" : "") + ">"
            out += escaped(row["reported"]) + (truthy(row["differs"]) ? " *" : "") + "</td></tr>\n"
        }
        if let total = cost["total"] as? [String: Any] {
            out += "<tr class=\"total\"><td>" + escaped(total["name"]) + "</td>"
            figures(total, into: &out)
            out += "<td" + (truthy(total["differs"]) ? " class=\"differs\"" : "") + ">"
            out += escaped(total["reported"]) + (truthy(total["differs"]) ? " *" : "") + "</td></tr>\n"
        }
        out += "</tbody>\n</table>\n</div>\n<p class=\"note\">Tokens: input, output, cache write, cache read. <b>Estimated</b>: usage × price table. <b>Reported</b>: the Claude Code CLI's own figure."
        if truthy(cost["any_differs"]) {
            out += " <span class=\"warn\">* estimated and reported differ by more than 1 %"
            if truthy(cost["differs_why"]) { out += ": " + escaped(cost["differs_why"]) }
            out += ".</span>"
        }
        if truthy(cost["coverage"]) {
            out += " <span class=\"warn\">" + escaped(cost["coverage"]) + "</span>"
        }
        if truthy(cost["unpriced"]) {
            out += " <span class=\"warn\">No price for " + escaped(cost["unpriced"]) + ": those tokens are counted, their cost is not.</span>"
        }
        out += "</p>\n"
        return out
    }

    private static func figures(_ row: [String: Any], into out: inout String) {
        for key in ["calls", "input", "output", "cache_write", "cache_read", "estimated"] {
            out += "<td>" + escaped(row[key]) + "</td>"
        }
    }

    private static func truthy(_ value: Any?) -> Bool { TemplateValue.truthy(value) }
    private static func escaped(_ value: Any?) -> String { TemplateValue.escaped(value) }
}
