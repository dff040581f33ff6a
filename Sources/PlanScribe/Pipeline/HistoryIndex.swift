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
        var estimated: USD?
        var reported: USD?

        /// The row as the page shows it.
        var shown: ProjectsPage.Row {
            ProjectsPage.Row(
                name: name, href: href, last: last, sessions: Figures.count(sessions), phases: Figures.count(phases), done: Figures.count(done),
                estimated: estimated?.description ?? "–", reported: reported?.description ?? "–")
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
            guard let summary = try? RunSnapshot.read(folder) else { continue }
            let name = (folder as NSString).lastPathComponent
            rows.append(
                Row(
                    name: summary.title, href: name + "/index.html", last: Figures.second(summary.end), lastStamp: summary.end ?? "",
                    sessions: summary.sessions, phases: summary.phases.count, done: summary.phases.filter { $0.outcome == "done" }.count,
                    estimated: summary.estimatedCostUSD, reported: summary.reportedCostUSD))
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
            estimated: !estimated.isEmpty && !estimated.contains(nil) ? estimated.compactMap { $0 }.reduce(USD.zero, +) : nil,
            reported: reported.isEmpty ? nil : reported.reduce(USD.zero, +))
        let frame = PageFrame(
            head: PageHead(pageTitle: "Planning history — planscribe", css: templates.css), title: "Planning history",
            subtitle: Figures.plural(rows.count, "project") + " · " + Figures.plural(total.sessions, "session") + " · " + Figures.plural(total.phases, "phase"),
            footer: ReportBuilder.footer(options))
        let page = ProjectsPage(frame: frame, projects: rows.map(\.shown), total: total.shown)
        let file = RenderedFile(path: "index.html", parts: templates.page(page)).showingBidiControls()
        try ReportWriter.Folder(root).write(file)
        return (root as NSString).appendingPathComponent("index.html")
    }
}
