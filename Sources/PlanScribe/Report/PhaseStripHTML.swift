/// Writes the phase strip the way the built-in `phase-strip.mustache` partial renders its
/// ``PhaseStripView/context``, byte for byte: every phase page lists every phase, so a run of
/// n phases looks up n² strip entries through Mustache. `MessageHTMLTests` compares every page
/// of every fixture with the template's.
enum PhaseStripHTML {
    static func render(_ strip: PhaseStripView) -> String {
        var out = "<ol class=\"strip\">\n"
        for phase in strip.items {
            let outcome = HTMLText.escape(phase.outcome)
            out += "<li class=\"" + outcome + (phase.current ? " current" : "") + "\"><a href=\""
            out += HTMLText.escape(phase.href) + "\"><span class=\"num\">" + String(phase.number) + "</span> "
            out += HTMLText.escape(phase.name) + " <span class=\"badge " + outcome + "\">" + HTMLText.escape(phase.outcomeLabel)
            out += "</span></a></li>\n"
        }
        out += "</ol>\n"
        return out
    }
}
