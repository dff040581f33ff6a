/// Writes the phase strip the way the built-in `phase-strip.mustache` partial renders it,
/// byte for byte: every phase page lists every phase, so a run of n phases looks up n² strip
/// entries through Mustache. `MessageHTMLTests` and `PhaseStripHTMLTests` compare it with the
/// template.
enum PhaseStripHTML {
    static func render(_ strip: [[String: Any]]) -> String {
        var out = "<ol class=\"strip\">\n"
        for phase in strip {
            let outcome = TemplateValue.escaped(phase["outcome"])
            out += "<li class=\"" + outcome + (TemplateValue.truthy(phase["current"]) ? " current" : "") + "\"><a href=\""
            out += TemplateValue.escaped(phase["href"]) + "\"><span class=\"num\">" + TemplateValue.escaped(phase["number"]) + "</span> "
            out += TemplateValue.escaped(phase["name"]) + " <span class=\"badge " + outcome + "\">" + TemplateValue.escaped(phase["outcome_label"])
            out += "</span></a></li>\n"
        }
        out += "</ol>\n"
        return out
    }
}
