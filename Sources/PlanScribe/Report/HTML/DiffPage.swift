/// The page of `planscribe diff --html`: the comparison of two runs.
struct DiffPage: HTMLComponent {
    static let templateName = "diff.html"

    var frame: PageFrame
    /// The comparison, Markdown rendered by cmark-gfm in safe mode.
    var diffHTML: String

    func templateContext(_ templates: TemplateSet) -> [String: Any] {
        var context = frame.templateContext(templates)
        context["diff_html"] = diffHTML
        return context
    }

    func write(_ html: inout HTMLWriter) {
        frame.writeTop(&html)
        html.markup("<section class=\"card diff\">\n<div class=\"table-wrap\">\n")
        html.markup(diffHTML)
        html.markup("\n</div>\n</section>\n")
        frame.writeBottom(&html)
    }
}
