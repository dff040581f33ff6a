import Foundation

/// The page that lists every project of a rendered tree, newest first, each with its
/// sessions, phases, cost and last activity and a link to its report: made from the projects'
/// own `summary.json` files, so that projects left unchanged are listed as they are.
public struct HistoryIndex: Sendable {
    /// One project's line.
    struct Row {
        var name: String
        var href: String
        var last: String
        var lastStamp: String
        var sessions: Int
        var phases: Int
        var done: Int
        var estimated: Double?
        var reported: Double?

        var context: [String: Any] {
            [
                "name": name, "href": href, "last": last, "sessions": Figures.count(sessions), "phases": Figures.count(phases),
                "done": Figures.count(done), "estimated": estimated.map { USD($0).description } ?? "–",
                "reported": reported.map { USD($0).description } ?? "–",
            ]
        }
    }

    /// The folder the project folders are in; the page is its `index.html`.
    public var root: String
    /// The projects' report folders (each holding `summary.json`).
    public var projects: [String]

    /// Creates the index of some report folders under `root`.
    public init(root: String, projects: [String]) {
        self.root = root
        self.projects = projects
    }

    /// The rows, newest first (then by name); folders without a readable `summary.json` are
    /// left out.
    func rows() -> [Row] {
        var rows: [Row] = []
        for folder in projects {
            guard let data = FileManager.default.contents(atPath: folder + "/summary.json"),
                let summary = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { continue }
            let name = (folder as NSString).lastPathComponent
            let end = summary["end"] as? String
            rows.append(Row(
                name: summary["title"] as? String ?? name, href: name + "/index.html", last: Figures.second(end), lastStamp: end ?? "",
                sessions: (summary["sessions"] as? [Any])?.count ?? 0, phases: (summary["phases"] as? [Any])?.count ?? 0,
                done: summary["phases_done"] as? Int ?? 0, estimated: summary["estimated_cost_usd"] as? Double,
                reported: summary["reported_cost_usd"] as? Double))
        }
        return rows.sorted { ($0.lastStamp, $1.name) > ($1.lastStamp, $0.name) }
    }

    /// Writes `<root>/index.html` with the templates' `projects.html`; returns its path.
    ///
    /// - Throws: ``ReportWriteError``.
    public func write(templates: TemplateSet, options: ReportOptions) throws -> String {
        let rows = rows()
        // The estimate is a total only when every project has one; the CLI's figures add up
        // over the projects that carry one.
        let estimated = rows.map(\.estimated)
        let reported = rows.compactMap(\.reported)
        let total = Row(
            name: "total", href: "", last: rows.first?.last ?? "", lastStamp: "", sessions: rows.reduce(0) { $0 + $1.sessions },
            phases: rows.reduce(0) { $0 + $1.phases }, done: rows.reduce(0) { $0 + $1.done },
            estimated: !estimated.isEmpty && !estimated.contains(nil) ? estimated.compactMap { $0 }.reduce(0, +) : nil,
            reported: reported.isEmpty ? nil : reported.reduce(0, +))
        let context: [String: Any] = [
            "page_title": "Planning history — planscribe", "css": templates.css, "title": "Planning history",
            "subtitle": Figures.plural(rows.count, "project") + " · " + Figures.plural(total.sessions, "session") + " · " + Figures.plural(total.phases, "phase"),
            "projects": rows.map(\.context), "total": total.context, "footer": ReportBuilder.footer(options),
        ]
        let file = RenderedFile(path: "index.html", text: templates.renderHTML("projects.html", context)).showingBidiControls()
        try ReportWriter.Folder(root).write(file)
        return (root as NSString).appendingPathComponent("index.html")
    }
}
