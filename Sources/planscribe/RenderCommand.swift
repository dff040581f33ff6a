import ArgumentParser
import Foundation
import PlanScribe

extension ReportDetail: ExpressibleByArgument {}

/// Options of the commands that write reports.
struct ReportFlags: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("The folder to write the report into. Default: output/<project>.", valueName: "DIR"))
    var output: String?

    @Option(
        help: ArgumentHelp(
            "How much of each conversation to show: full (everything), conversation (prompts, replies, assistant text, tool names), decisions (each phase's replies with the questions they answer, and its final message).",
            valueName: "level"))
    var detail: ReportDetail = .full

    @Option(
        help: ArgumentHelp(
            "A folder of Mustache templates, each replacing by its file name a page (index.html, phase.html, …), a piece of one (message, cost-table, phase-strip, head), "
                + "a Markdown file, the style sheet or the search script (see Templates/README.md).", valueName: "DIR"))
    var templates: String?

    @Option(help: ArgumentHelp("A folder of Markdown artifacts (for example ~/.gstack/projects/<slug>) to show with the phases their names mention.", valueName: "DIR"))
    var artifacts: String?

    @Flag(help: "Print the generation time in the reports (off by default, so that the same input gives identical files).")
    var stamp = false

    @Option(help: ArgumentHelp("How many projects and phase pages to render at once. Default: one per core. The files are the same whatever the number.", valueName: "N"))
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        help: ArgumentHelp(
            "An earlier report (its folder or its summary.json) to compare with: the index, report.md, the job summary and summary.json show what changed. With several projects, a folder holding one report per project, named as the output folders are.",
            valueName: "DIR"))
    var baseline: String?

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp(
            "A condition that fails the job with exit code 5 and a failed junit test case (repeatable): cost>USD (the CLI's figure when every session has one, else the estimate), growth>PERCENT% (cost against --baseline), not-done (a planning phase did not reach ready_to_advance), denied (the CLI refused a tool call).",
            valueName: "condition"))
    var failOn: [String] = []

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
        options.gates = try failOn.map(Gate.init(parsing:))
        return options
    }

    /// The baseline of a single report (`run`, `demo`): read at once, so that a bad path is
    /// an input error before any work.
    func baselineSnapshot() throws -> RunSnapshot? {
        try baseline.map { path in
            do { return try RunSnapshot.read(path) } catch let error as CompareError { throw InputError(message: "--baseline " + error.description) }
        }
    }

    /// Says which gates failed, on stderr.
    static func report(failedGates: [Gate.Result], of folder: String) {
        for gate in failedGates { Console.error("planscribe: gate \(gate.gate) failed for \(folder): \(gate.message)") }
    }

    func templateSet() throws -> TemplateSet {
        try TemplateSet.load(overrides: templates)
    }

    /// Renders a run and writes it; returns the path of its index.html and the gates that failed.
    func write(_ run: ReportRun, into folder: String, templates: TemplateSet, prices: PriceTable, options: ReportOptions) throws -> (index: String, failedGates: [Gate.Result]) {
        let writer = try ReportWriter.Folder(folder)
        let gates = try ReportBuilder(templates: templates, prices: prices, options: options).build(run) { try writer.write($0) }
        writer.removeStalePages()
        return ((folder as NSString).appendingPathComponent("index.html"), gates.filter(\.failed))
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
            output/<project>/ (or DIR/<project>/ with --output when there are several), and \
            output/index.html (or DIR/index.html) lists them, newest first. \
            Prints the path of each index.html.

            HTML pages are self-contained (inline CSS, no network, no script but the search on \
            a report's index.html, planscribe's own, allowed by its hash) and every piece of \
            transcript text is escaped or rendered through cmark-gfm in safe mode. The same \
            input gives byte-identical files unless --stamp is given. A project whose \
            transcripts, templates, prices and options are unchanged since its last render is \
            not rendered again (--no-cache renders anyway). API keys, tokens and passwords \
            become [REDACTED] (--no-redact keeps them).

            --baseline DIR compares each report with an earlier one; --fail-on conditions \
            (cost>USD, growth>PERCENT%, not-done, denied) fail the job.

            Exit codes: 0 rendered (line problems are warnings on stderr), 1 a file could not \
            be read or written, 2 a missing path, a bad flag, template or baseline, 5 a \
            --fail-on gate failed (after 1).
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
        var options = try report.reportOptions()
        options.redactSecrets = !transcripts.noRedact
        var tree = TreeRender(templates: templates, prices: prices, options: options)
        tree.title = title
        tree.output = report.output
        tree.cache = noCache ? nil : ReportCache.userCache(environment: ProcessInfo.processInfo.environment)
        tree.verbose = transcripts.verbose
        tree.maxLineBytes = transcripts.maxLineBytes
        tree.baseline = report.baseline
        if let baseline = report.baseline, !FileManager.default.fileExists(atPath: baseline) {
            throw InputError(message: "--baseline " + CompareError.missing(path: baseline).description)
        }
        var failed = false
        var gateFailed = false
        let sources = try transcripts.sources()
        // With one project the baseline must be a report: anything else is the input's fault.
        if TreeRender.projects(sources).count == 1 { _ = try report.baselineSnapshot() }
        let outcomes = tree.render(sources)
        var folders: [String] = []
        for outcome in outcomes {
            switch outcome {
            case .unchanged(let index, let failedGates):
                let folder = (index as NSString).deletingLastPathComponent
                Console.error("planscribe: \(folder) is up to date")
                Console.out(index)
                folders.append(folder)
                ReportFlags.report(failedGates: failedGates, of: folder)
                if !failedGates.isEmpty { gateFailed = true }
            case .rendered(let index, let phases, let title, let diagnostics, let failedFiles, let failedGates):
                let folder = (index as NSString).deletingLastPathComponent
                diagnostics.forEach(Console.error)
                Console.error("planscribe: \(Figures.plural(phases, "phase")) of \(title) rendered into \(folder)")
                Console.out(index)
                folders.append(folder)
                if failedFiles > 0 { failed = true }
                ReportFlags.report(failedGates: failedGates, of: folder)
                if !failedGates.isEmpty { gateFailed = true }
            case .failed(let reason, let diagnostics):
                diagnostics.forEach(Console.error)
                Console.error("error: \(reason)")
                failed = true
            }
        }
        if let root = tree.historyRoot(projectCount: outcomes.count) {
            let index = try HistoryIndex(root: root, projects: folders).write(templates: templates, options: options)
            Console.error("planscribe: \(Figures.plural(folders.count, "project")) listed in \(index)")
            Console.out(index)
        }
        if failed { throw ExitCode(1) }
        if gateFailed { throw ExitCode(Gate.exitCode) }
    }
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
        options.baseline = try report.baselineSnapshot()
        let (index, failedGates) = try report.write(run, into: output, templates: templates, prices: .builtIn, options: options)
        Console.out(index)
        ReportFlags.report(failedGates: failedGates, of: output)
        if !failedGates.isEmpty { throw ExitCode(Gate.exitCode) }
    }
}
