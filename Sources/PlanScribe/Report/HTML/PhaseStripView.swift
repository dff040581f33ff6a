/// The strip of a run's phases at the top of every page. Written by ``write(_:)``, or by a
/// user's `phase-strip` template from ``context`` (under `strip`).
struct PhaseStripView: HTMLComponent {
    static let templateName = "phase-strip"
    /// One phase in it.
    struct Item {
        var number: Int
        var name: String
        /// Its outcome's CSS class and label.
        var outcome: String
        var outcomeLabel: String
        var reason: String
        var href: String
        var markdownHref: String
        /// The page being shown is this phase's.
        var current: Bool

        /// The item as the templates see it.
        var context: [String: Any] {
            [
                "number": number, "name": name, "outcome": outcome, "outcome_label": outcomeLabel, "reason": reason, "href": href,
                "md_href": markdownHref, "current": current,
            ]
        }
    }

    var items: [Item]

    /// The strip as a template reads it.
    var context: [[String: Any]] { items.map(\.context) }

    func templateContext(_ templates: TemplateSet) -> [String: Any] { ["strip": context] }

    func write(_ html: inout HTMLWriter) {
        html.markup("<ol class=\"strip\">\n")
        for phase in items {
            html.markup("<li class=\"", text: phase.outcome, phase.current ? " current\"><a href=\"" : "\"><a href=\"")
            html.text(phase.href)
            html.markup("\"><span class=\"num\">\(phase.number)</span> ")
            html.text(phase.name)
            html.markup(" <span class=\"badge ")
            html.text(phase.outcome)
            html.markup("\">")
            html.text(phase.outcomeLabel)
            html.markup("</span></a></li>\n")
        }
        html.markup("</ol>\n")
    }
}
