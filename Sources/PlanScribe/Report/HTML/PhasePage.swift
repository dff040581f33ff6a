/// One page of a phase (`phases/NN-<phase>.html`, then `-2.html`, … for a long one): the
/// conversation, then on the first page the artifacts and the phase's cost.
struct PhasePage: HTMLComponent {
    static let templateName = "phase.html"

    /// A link to the phase before or after.
    struct Link {
        var href: String
        var name: String
    }

    /// Where this page is among the phase's pages, with links to the others.
    struct Pager {
        var page: Int
        var count: Int
        var previous: String?
        var next: String?
        var first: String
    }

    /// An artifact the phase wrote: rendered Markdown, or text.
    struct Artifact {
        var name: String
        var source: String
        /// cmark's safe HTML of a Markdown artifact.
        var html: String?
        var text: String?
    }

    var frame: PageFrame
    var number: Int
    var name: String
    var outcome: String
    var outcomeLabel: String
    var previous: Link?
    var next: Link?
    var strip: PhaseStripView
    var pager: Pager?
    /// How many messages are context the CLI added (hidden behind a toggle).
    var metaCount: Int
    /// This page's messages, and their HTML (written by ``MessageBubble/write(_:)``, or by a
    /// user's `message` template).
    var messages: [MessageBubble]
    var conversationHTML: String
    var unusedNote: String?
    var artifacts: [Artifact]
    var artifactsMore: String?
    var cost: CostTableView

    /// A page after the first, which links to the first for the artifacts and the cost.
    var continued: Bool { (pager?.page ?? 1) > 1 }

    func templateContext(_ templates: TemplateSet) -> [String: Any] {
        var context = frame.templateContext(templates)
        context["phase"] = ["number": number, "name": name, "outcome": outcome, "outcome_label": outcomeLabel, "subtitle": frame.subtitle] as [String: Any]
        context["prev"] = previous.map { ["href": $0.href, "name": $0.name] as [String: Any] } ?? false
        context["next"] = next.map { ["href": $0.href, "name": $0.name] as [String: Any] } ?? false
        context["strip"] = strip.context
        context["strip_html"] = HTMLWriter.html(of: strip, templates)
        context["pager"] =
            pager.map { ["page": $0.page, "count": $0.count, "prev": $0.previous ?? false, "next": $0.next ?? false, "first": $0.first] as [String: Any] } ?? false
        context["continued"] = continued
        context["has_meta"] = metaCount > 0
        context["meta_count"] = metaCount
        context["messages"] = messages.map { m -> [String: Any] in
            var c = m.context
            c["rendered"] = HTMLWriter.html(of: m, templates)
            return c
        }
        context["unused_note"] = unusedNote ?? false
        context["has_artifacts"] = !artifacts.isEmpty
        context["artifacts"] = artifacts.map { ["name": $0.name, "source": $0.source, "html": $0.html ?? false, "text": $0.text ?? false] as [String: Any] }
        context["artifacts_more"] = artifactsMore ?? false
        context["cost"] = cost.context
        context["cost_table_html"] = HTMLWriter.html(of: cost, templates)
        return context
    }

    func write(_ html: inout HTMLWriter) {
        frame.writeTop(&html) { html in
            html.markup("<nav class=\"crumbs\"><a href=\"../index.html\">← ", text: frame.title, "</a>")
            if let previous {
                html.markup("<a href=\"", text: previous.href, "\">‹ ")
                html.text(previous.name)
                html.markup("</a>")
            }
            if let next {
                html.markup("<a href=\"", text: next.href, "\">")
                html.text(next.name)
                html.markup(" ›</a>")
            }
            html.markup("</nav>\n<h1>\(number). ", text: name, " <span class=\"badge ")
            html.text(outcome)
            html.markup("\">", text: outcomeLabel, "</span></h1>\n<p class=\"sub\">")
            html.text(frame.subtitle)
            html.markup("</p>\n")
        }
        html.component(strip)
        html.markup("<section class=\"card\">\n<h2>Conversation")
        if let pager { html.markup(" <span class=\"note\">page \(pager.page) of \(pager.count)</span>") }
        html.markup("</h2>\n")
        writePager(&html)
        if metaCount > 0 {
            html.markup("<input type=\"checkbox\" id=\"show-meta\"><label class=\"toggle\" for=\"show-meta\">Show context the CLI added (\(metaCount))</label>")
        }
        html.markup("\n<div class=\"conversation\">\n")
        html.piece(conversationHTML)
        html.markup("\n</div>\n")
        writePager(&html)
        if let unusedNote {
            html.markup("<p class=\"note\">", text: unusedNote, "</p>")
        }
        html.markup("\n</section>\n")
        if let pager, continued {
            html.markup("<p class=\"note\">The phase's artifacts and cost are on <a href=\"", text: pager.first, "\">its first page</a>.</p>\n")
        } else {
            if !artifacts.isEmpty { writeArtifacts(&html) }
            html.markup("<section class=\"card\">\n<h2>Cost of this phase</h2>\n")
            html.component(cost)
            html.markup("</section>\n")
        }
        frame.writeBottom(&html)
    }

    private func writePager(_ html: inout HTMLWriter) {
        guard let pager else { return }
        html.markup("<nav class=\"pager\">")
        if let previous = pager.previous {
            html.markup("<a href=\"", text: previous, "\">‹ previous page</a>")
        }
        if let next = pager.next {
            html.markup("<a href=\"", text: next, "\">next page ›</a>")
        }
        html.markup("</nav>\n")
    }

    private func writeArtifacts(_ html: inout HTMLWriter) {
        html.markup("<section class=\"card\">\n<h2>Artifacts</h2>\n")
        for artifact in artifacts {
            html.markup("<div class=\"artifact\">\n<h3>", text: artifact.name, " <span class=\"note\">")
            html.text(artifact.source)
            html.markup("</span></h3>\n")
            if let text = artifact.html { html.markup("<div class=\"md\">" + text + "</div>") }
            html.markup("\n")
            if let text = artifact.text {
                html.markup("<pre>", text: text, "</pre>")
            }
            html.markup("\n</div>\n")
        }
        if let more = artifactsMore {
            html.markup("<p class=\"note\">", text: more, "</p>\n")
        }
        html.markup("</section>\n")
    }
}
