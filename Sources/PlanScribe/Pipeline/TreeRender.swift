import Foundation

/// Renders the reports of many sessions: one report per project folder, each in its own
/// output folder, projects in parallel (each reading only its own sessions, so memory holds a
/// few projects at a time), a project whose inputs are unchanged since its last render left
/// as it is.
public struct TreeRender: Sendable {
    /// What rendering one project gave.
    public enum Outcome: Sendable, Equatable {
        /// Unchanged since its last render: its index.html, and the gates that failed then
        /// (read back from its summary.json).
        case unchanged(index: String, failedGates: [Gate.Result])
        /// Rendered: its index.html, its phases, its title, what its reading said, how
        /// many of its files could not be read, and the gates that failed.
        case rendered(index: String, phases: Int, title: String, diagnostics: [String], failedFiles: Int, failedGates: [Gate.Result])
        /// Its report could not be written.
        case failed(reason: String, diagnostics: [String])
    }

    /// The templates.
    public var templates: TemplateSet
    /// The prices.
    public var prices: PriceTable
    /// How pages are written (detail, redaction, jobs…).
    public var options: ReportOptions
    /// The report's title; nil names each report after its project.
    public var title: String?
    /// The folder given for the output: the report itself with one project, the parent of
    /// one folder per project with several; nil for `output/<project>`.
    public var output: String?
    /// Where unchanged inputs are remembered (``ReportCache/userCache(environment:)``); nil
    /// renders every time.
    public var cache: ReportCache?
    /// Every line problem in the diagnostics, not just each file's summary.
    public var verbose = false
    /// Lines longer than this are skipped.
    public var maxLineBytes = LineScanner.defaultMaxLineBytes
    /// An earlier report to compare each project with (`--baseline`): with one project, that
    /// report (its folder or its summary.json); with several, a folder that holds one report
    /// per project, named as this render names their output folders.
    public var baseline: String?

    /// Creates a renderer.
    public init(templates: TemplateSet, prices: PriceTable, options: ReportOptions) {
        self.templates = templates
        self.prices = prices
        self.options = options
    }

    /// The sessions grouped by project folder, in the order of their first session.
    public static func projects(_ sources: [SessionSource]) -> [(folder: String, sources: [SessionSource])] {
        var groups: [String: [SessionSource]] = [:]
        var order: [String] = []
        for source in sources {
            let folder = (source.file as NSString).deletingLastPathComponent
            if groups[folder] == nil { order.append(folder) }
            groups[folder, default: []].append(source)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }

    /// Each project's output folder: `output/<project>` (or the folder given, or
    /// `<given>/<project>` with several projects), a project named by its working directory
    /// (read from its first session), `-2`, `-3`… when two would share one.
    public func outputFolders(for projects: [(folder: String, sources: [SessionSource])]) -> [String] {
        var folders: [String] = []
        var used = Set<String>()
        for project in projects {
            let cwd = project.sources.first.flatMap { TranscriptLocator.firstField("cwd", in: $0.file) }
            let name = title ?? cwd.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "transcripts"
            let slug = ReportSlug.make(name, fallback: "transcripts")
            let base = output.map { projects.count == 1 ? $0 : ($0 as NSString).appendingPathComponent(slug) } ?? "output/" + slug
            var folder = base
            var n = 2
            while used.contains(folder) {
                folder = base + "-\(n)"
                n += 1
            }
            used.insert(folder)
            folders.append(folder)
        }
        return folders
    }

    /// With more than one project: the folder that holds them, whose `index.html` lists them
    /// (``HistoryIndex``); nil for a single project, whose report is the output.
    public func historyRoot(projectCount: Int) -> String? {
        projectCount > 1 ? output ?? "output" : nil
    }

    /// Renders every project of the sessions; the outcomes are in the projects' order,
    /// whatever the number of jobs.
    public func render(_ sources: [SessionSource]) -> [Outcome] {
        let projects = Self.projects(sources)
        let folders = outputFolders(for: projects)
        let results = IndexedSlots<Outcome>(count: projects.count)
        ParallelWork.forEach(projects.count, width: options.jobs) { i in
            results.set(i, renderProject(projects[i].folder, projects[i].sources, into: folders[i], projectCount: projects.count))
        }
        return results.values
    }

    /// The baseline of a project's report: ``baseline`` itself with one project, its folder
    /// of the project's name with several; nil without one.
    public func baselinePath(forOutputFolder folder: String, projectCount: Int) -> String? {
        guard let baseline else { return nil }
        return projectCount == 1 ? baseline : (baseline as NSString).appendingPathComponent((folder as NSString).lastPathComponent)
    }

    /// The gates that failed when a report was last rendered, from its summary.json (a
    /// report left unchanged by the cache is still held to its gates).
    static func failedGates(inReport folder: String, gates: [Gate]) -> [Gate.Result] {
        guard !gates.isEmpty, let entries = (try? RunSnapshot.read(folder))?.gates else { return [] }
        return gates.compactMap { gate in
            entries.first { $0.gate == gate.description && $0.failed }.map { Gate.Result(gate: gate, failed: true, message: $0.message) }
        }
    }

    private func renderProject(_ project: String, _ sources: [SessionSource], into folder: String, projectCount: Int) -> Outcome {
        var options = options
        var notes: [String] = []
        if let path = baselinePath(forOutputFolder: folder, projectCount: projectCount) {
            do {
                options.baseline = try RunSnapshot.read(path)
            } catch {
                // One project without a baseline of its own does not stop the others.
                notes.append("warning: no baseline for \(folder): " + ((error as? PlanScribeError)?.description ?? String(describing: error)))
            }
        }
        let key =
            cache == nil
            ? nil
            : ReportCache.key(sources: sources, templates: templates, prices: prices, options: options, title: title).map {
                $0 + (options.redactSecrets ? "" : "-unredacted")
            }
        if let key, cache?.hit(project: project, output: folder, key: key) == true {
            return .unchanged(index: folder + "/index.html", failedGates: Self.failedGates(inReport: folder, gates: options.gates))
        }
        var loop = SessionLoop(verbose: verbose)
        loop.collected = notes
        loop.redactSecrets = options.redactSecrets
        loop.maxLineBytes = maxLineBytes
        var sessions: [Session] = []
        try? loop.run(sources, width: 1) { sessions.append($0) }
        let run = ReportRun.from(sessions: sessions, title: title)
        do {
            let writer = try ReportWriter.Folder(folder)
            let names = GatheredValues<String>()
            let gates = try ReportBuilder(templates: templates, prices: prices, options: options).build(run) { file in
                try writer.write(file)
                names.append(file.path)
            }
            writer.removeStalePages()
            if let key { cache?.store(project: project, key: key, output: folder, files: names.values.sorted()) }
            return .rendered(
                index: folder + "/index.html", phases: run.phases.count, title: run.title, diagnostics: loop.collected,
                failedFiles: loop.failedFiles, failedGates: gates.filter(\.failed))
        } catch {
            return .failed(reason: (error as? PlanScribeError)?.description ?? String(describing: error), diagnostics: loop.collected)
        }
    }
}
