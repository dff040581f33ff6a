import ArgumentParser
import Foundation
import PlanScribe

extension ReportDetail: ExpressibleByArgument {}

/// Options of the commands that write reports.
struct ReportFlags: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("The folder to write the report into. Default: output/<project>.", valueName: "DIR"))
    var output: String?

    @Option(help: ArgumentHelp("How much of each conversation to show: full (everything), conversation (prompts, replies, assistant text, tool names), decisions (each phase's replies and final message).", valueName: "level"))
    var detail: ReportDetail = .full

    @Option(help: ArgumentHelp("A folder of templates that replace the built-in ones by file name (see Templates/README.md).", valueName: "DIR"))
    var templates: String?

    @Option(help: ArgumentHelp("A folder of Markdown artifacts (for example ~/.gstack/projects/<slug>) to show with the phases their names mention.", valueName: "DIR"))
    var artifacts: String?

    @Flag(help: "Print the generation time in the reports (off by default, so that the same input gives identical files).")
    var stamp = false

    @Option(help: ArgumentHelp("How many projects and phase pages to render at once. Default: one per core. The files are the same whatever the number.", valueName: "N"))
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func reportOptions() throws -> ReportOptions {
        var options = ReportOptions()
        options.detail = detail
        options.jobs = jobs
        if stamp {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            options.stamp = formatter.string(from: Date())
        }
        if let artifacts {
            do {
                options.externalArtifacts = try ExternalArtifact.load(folder: artifacts)
            } catch let error as TranscriptError {
                throw InputError(message: "--artifacts: " + error.description)
            }
        }
        return options
    }

    func templateSet() throws -> TemplateSet {
        try TemplateSet.load(overrides: templates)
    }

    /// Renders a run and writes it; returns the path of its index.html.
    func write(_ run: ReportRun, into folder: String, templates: TemplateSet, prices: PriceTable, options: ReportOptions) throws -> String {
        let writer = try ReportWriter.Folder(folder)
        try ReportBuilder(templates: templates, prices: prices, options: options).build(run) { try writer.write($0) }
        writer.removeStalePages()
        return (folder as NSString).appendingPathComponent("index.html")
    }
}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render transcripts into per-phase HTML and Markdown reports with costs.",
        discussion: """
            Writes index.html (phase strip, cost per phase, chart, run facts), \
            phases/NN-<phase>.html and .md (the conversation, artifacts, cost), report.md, \
            summary.json, junit.xml (a test case per phase; a phase that did not reach \
            PHASE_STATUS: ready_to_advance fails) and job-summary.md (under 1 MiB, for \
            $GITHUB_STEP_SUMMARY). Sessions of different projects get one report each, in \
            output/<project>/ (or DIR/<project>/ with --output when there are several). \
            Prints the path of each index.html.

            HTML pages are self-contained (inline CSS, no scripts, no network) and every piece \
            of transcript text is escaped or rendered through cmark-gfm in safe mode. The same \
            input gives byte-identical files unless --stamp is given. A project whose \
            transcripts, templates, prices and options are unchanged since its last render is \
            not rendered again (--no-cache renders anyway). API keys, tokens and passwords \
            become [REDACTED] (--no-redact keeps them).

            Exit codes: 0 rendered (line problems are warnings on stderr), 1 a file could not \
            be read or written, 2 a missing path, a bad flag or a bad template.
            """)

    @OptionGroup var transcripts: TranscriptOptions
    @OptionGroup var report: ReportFlags

    @Option(help: ArgumentHelp("The report's title. Default: the project folder's name.", valueName: "text"))
    var title: String?

    @Flag(help: "Render even when the transcripts, templates and options are unchanged since the last render.")
    var noCache = false

    func run() throws {
        let prices = try transcripts.priceTable()
        let templates = try report.templateSet()
        var reportOptions = try report.reportOptions()
        reportOptions.redactSecrets = !transcripts.noRedact
        let options = reportOptions
        let sources = try transcripts.sources()
        // One report per project folder; projects render in parallel, each reading only its
        // own sessions, so memory holds a few projects at a time.
        var groups: [String: [SessionSource]] = [:]
        var order: [String] = []
        for source in sources {
            let folder = (source.file as NSString).deletingLastPathComponent
            if groups[folder] == nil { order.append(folder) }
            groups[folder, default: []].append(source)
        }
        let outputRoot = report.output ?? "output"
        let cache = ReportCache(folder: outputRoot + "/.planscribe-cache")
        let single = order.count == 1
        let results = IndexedSlots<ProjectRender>(count: order.count)
        let verbose = transcripts.verbose
        let title = self.title
        let report = self.report
        let noCache = self.noCache
        let redact = !transcripts.noRedact
        let maxLineBytes = transcripts.maxLineBytes
        // Output folders, decided before the parallel work: output/<project> (or DIR, or
        // DIR/<project> with several projects), the project named by its working directory.
        var folders: [String] = []
        var used = Set<String>()
        for project in order {
            let cwd = groups[project]?.first.flatMap { TranscriptLocator.firstField("cwd", in: $0.file) }
            let name = title ?? cwd.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "transcripts"
            let slug = ReportSlug.make(name, fallback: "transcripts")
            let base = report.output.map { single ? $0 : ($0 as NSString).appendingPathComponent(slug) } ?? "output/" + slug
            var folder = base
            var n = 2
            while used.contains(folder) {
                folder = base + "-\(n)"
                n += 1
            }
            used.insert(folder)
            folders.append(folder)
        }
        let projects = order
        let groupsByProject = groups
        let outputFolders = folders
        ParallelWork.forEach(projects.count, width: report.jobs) { i in
            let project = projects[i]
            let group = groupsByProject[project] ?? []
            let key = noCache ? nil : ReportCache.key(sources: group, templates: templates, prices: prices, options: options, title: title).map { $0 + (redact ? "" : "-unredacted") }
            if let key, let output = cache.hit(project: project, key: key) {
                results.set(i, .unchanged(output + "/index.html"))
                return
            }
            var loop = SessionLoop(verbose: verbose)
            var sessions: [Session] = []
            loop.quietCollect = true
            loop.redactSecrets = redact
            loop.maxLineBytes = maxLineBytes
            try? loop.run(group, width: 1) { sessions.append($0) }
            let messages = loop.collected
            let run = ReportRun.from(sessions: sessions, title: title)
            let folder = outputFolders[i]
            do {
                let writer = try ReportWriter.Folder(folder)
                let names = GatheredValues<String>()
                try ReportBuilder(templates: templates, prices: prices, options: options).build(run) { file in
                    try writer.write(file)
                    names.append(file.path)
                }
                writer.removeStalePages()
                if let key { cache.store(project: project, key: key, output: folder, files: names.values.sorted()) }
                results.set(i, .rendered(folder + "/index.html", phases: run.phases.count, title: run.title, messages: messages, failed: loop.failedFiles))
            } catch let error as ReportWriteError {
                results.set(i, .failed(error.description, messages: messages))
            } catch {
                results.set(i, .failed(String(describing: error), messages: messages))
            }
        }
        var failed = false
        for result in results.values {
            switch result {
            case .unchanged(let index):
                Console.error("planscribe: \((index as NSString).deletingLastPathComponent) is up to date")
                Console.out(index)
            case .rendered(let index, let phases, let title, let messages, let failedFiles):
                messages.forEach(Console.error)
                Console.error("planscribe: \(Figures.plural(phases, "phase")) of \(title) rendered into \((index as NSString).deletingLastPathComponent)")
                Console.out(index)
                if failedFiles > 0 { failed = true }
            case .failed(let message, let messages):
                messages.forEach(Console.error)
                Console.error("error: \(message)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// What rendering one project gave.
enum ProjectRender {
    case unchanged(String)
    case rendered(String, phases: Int, title: String, messages: [String], failed: Int)
    case failed(String, messages: [String])
}

struct DemoCommand: ParsableCommand {
    @Flag(name: .customLong("no-redact"), help: "Show secrets found in the transcripts as they are.")
    var noRedact = false

    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Render the planning run that ships with planscribe into output/demo/.",
        discussion: """
            The demo is a four-phase planning run (/office-hours, /plan-ceo-review, \
            /plan-eng-review, /plan-design-review) recorded with the real Claude Code CLI and \
            a scripted model: real transcripts, real costs. Prints the path of index.html; open \
            it in a browser.
            """)

    @OptionGroup var report: ReportFlags

    func run() throws {
        guard let folder = DemoRun.projectFolder else {
            throw InputError(message: "the demo run (\(DemoRun.bundleName).resources) is not beside the planscribe executable")
        }
        let templates = try report.templateSet()
        var filter = DuplicateFilter()
        let sessions = try TranscriptLocator.locate([folder]).map { try SessionReader(redactSecrets: !noRedact).read($0, filter: &filter) }
        let run = ReportRun.from(sessions: sessions, title: "todo-app (planscribe demo)")
        let output = report.output ?? "output/demo"
        var options = try report.reportOptions()
        options.redactSecrets = !noRedact
        let index = try report.write(run, into: output, templates: templates, prices: .builtIn, options: options)
        Console.out(index)
    }
}
