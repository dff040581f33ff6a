/// The `index.html` above several projects' reports: every project with its sessions, phases,
/// cost and last activity, newest first, linking to its report.
struct ProjectsPage: HTMLComponent {
    static let templateName = "projects.html"

    /// A project's row, its figures as the table shows them.
    struct Row {
        var name: String
        var href: String
        var last: String
        var sessions: String
        var phases: String
        var done: String
        var estimated: String
        var reported: String

        var context: [String: Any] {
            [
                "name": name, "href": href, "last": last, "sessions": sessions, "phases": phases, "done": done, "estimated": estimated,
                "reported": reported,
            ]
        }

        var cells: [String] { [last, sessions, phases, done, estimated, reported] }
    }

    var frame: PageFrame
    var projects: [Row]
    var total: Row

    func templateContext(_ templates: TemplateSet) -> [String: Any] {
        var context = frame.templateContext(templates)
        context["projects"] = projects.map(\.context)
        context["total"] = total.context
        return context
    }

    func write(_ html: inout HTMLWriter) {
        frame.writeTop(&html)
        html.markup(
            "<section class=\"card\">\n<h2>Projects, newest first</h2>\n<div class=\"table-wrap\">\n<table class=\"cost\">\n"
                + "<thead><tr><th>project</th><th>last activity</th><th>sessions</th><th>phases</th><th>done</th><th>estimated</th><th>reported</th></tr></thead>\n<tbody>\n")
        for row in projects {
            html.markup("<tr><td><a href=\"", text: row.href, "\">")
            html.text(row.name)
            html.markup("</a></td>")
            cells(row, &html)
        }
        html.markup("<tr class=\"total\"><td>", text: total.name, "</td>")
        cells(total, &html)
        html.markup(
            "</tbody>\n</table>\n</div>\n<p class=\"note\">Each project's report has its phases, conversations and costs. <b>Estimated</b>: usage × price table. <b>Reported</b>: the Claude Code CLI's own figure, for the sessions that carry one.</p>\n</section>\n"
        )
        frame.writeBottom(&html)
    }

    private func cells(_ row: Row, _ html: inout HTMLWriter) {
        for cell in row.cells {
            html.markup("<td>", text: cell, "</td>")
        }
        html.markup("</tr>\n")
    }
}
