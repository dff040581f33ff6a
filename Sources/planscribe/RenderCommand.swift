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

    func reportOptions() throws -> ReportOptions {
        var options = ReportOptions()
        options.detail = detail
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
        do {
            return try TemplateSet.load(overrides: templates)
        } catch let error as TemplateError {
            throw InputError(message: error.description)
        }
    }

    /// Renders a run and writes it; returns the path of its index.html.
    func write(_ run: ReportRun, into folder: String, templates: TemplateSet, prices: PriceTable, options: ReportOptions) throws -> String {
        let files = ReportBuilder(templates: templates, prices: prices, options: options).files(for: run)
        do {
            try ReportWriter.write(files, to: folder)
        } catch let error as ReportWriteError {
            Console.error("error: \(error.description)")
            throw ExitCode(1)
        }
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
            input gives byte-identical files unless --stamp is given.

            Exit codes: 0 rendered (line problems are warnings on stderr), 1 a file could not \
            be read or written, 2 a missing path, a bad flag or a bad template.
            """)

    @OptionGroup var transcripts: TranscriptOptions
    @OptionGroup var report: ReportFlags

    @Option(help: ArgumentHelp("The report's title. Default: the project folder's name.", valueName: "text"))
    var title: String?

    func run() throws {
        let prices = try transcripts.priceTable()
        let templates = try report.templateSet()
        let options = try report.reportOptions()
        let sources = try transcripts.sources()
        var loop = SessionLoop(verbose: transcripts.verbose)
        var byProject: [String: [Session]] = [:]
        var order: [String] = []
        try loop.run(sources) { session in
            let key = session.projectPath ?? ""
            if byProject[key] == nil { order.append(key) }
            byProject[key, default: []].append(session)
        }
        var usedFolders = Set<String>()
        for key in order {
            let run = ReportRun.from(sessions: byProject[key] ?? [], title: title)
            var folder: String
            if let output = report.output {
                folder = order.count == 1 ? output : (output as NSString).appendingPathComponent(run.slug)
            } else {
                folder = "output/" + run.slug
            }
            // Two projects whose names give the same slug get separate folders.
            var n = 2
            let base = folder
            while usedFolders.contains(folder) {
                folder = base + "-\(n)"
                n += 1
            }
            usedFolders.insert(folder)
            let index = try report.write(run, into: folder, templates: templates, prices: prices, options: options)
            Console.error("planscribe: \(Figures.plural(run.phases.count, "phase")) of \(run.title) rendered into \(folder)")
            Console.out(index)
        }
        try loop.finish()
    }
}

struct DemoCommand: ParsableCommand {
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
        let sessions = try TranscriptLocator.locate([folder]).map { try SessionReader().read($0, filter: &filter) }
        let run = ReportRun.from(sessions: sessions, title: "todo-app (planscribe demo)")
        let output = report.output ?? "output/demo"
        let index = try report.write(run, into: output, templates: templates, prices: .builtIn, options: try report.reportOptions())
        Console.out(index)
    }
}
