import ArgumentParser
import Foundation
import PlanScribe

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two runs: outcomes, turns, calls, tokens, costs, durations and decisions per phase.",
        discussion: """
            BEFORE and AFTER are each a report folder (one render or run wrote), its \
            summary.json, or transcripts (a session file or a project folder, read as render \
            reads them). Phases are matched by name, in order when a run has a name more than \
            once (the table says so). Every figure is shown before and after with its change \
            and percentage; the decisions whose question or reply changed are listed with both \
            replies. Money is exact to the picodollar.

            --fail-on takes the conditions render takes, checked on AFTER with BEFORE as its \
            baseline: cost>USD, growth>PERCENT%, not-done, denied.

            Exit codes: 0 compared; 2 a missing path, a folder that is not a report, a bad \
            summary.json or flag; 1 a transcript or an output file could not be read or \
            written; 5 a --fail-on gate failed.
            """)

    @Argument(help: ArgumentHelp("The earlier run: a report folder, a summary.json, or transcripts.", valueName: "before"))
    var before: String

    @Argument(help: ArgumentHelp("The later run, as BEFORE.", valueName: "after"))
    var after: String

    @Flag(help: "Print JSON instead of a table (figures before, after, delta and percent; money in dollars).")
    var json = false

    @Option(help: ArgumentHelp("Also write the comparison as a Markdown page.", valueName: "FILE"))
    var markdown: String?

    @Option(help: ArgumentHelp("Also write the comparison as an HTML page (self-contained, no script).", valueName: "FILE"))
    var html: String?

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("A condition on AFTER that exits 5 (repeatable): cost>USD, growth>PERCENT% (against BEFORE), not-done, denied.", valueName: "condition"))
    var failOn: [String] = []

    @Option(name: .customLong("prices"), help: ArgumentHelp("A JSON file of model prices, for transcripts (as cost --prices).", valueName: "FILE"))
    var prices: String?

    @Flag(name: .customLong("no-redact"), help: "Show secrets in transcripts as they are.")
    var noRedact = false

    @Option(name: .customLong("max-line-bytes"), help: ArgumentHelp("Skip transcript lines longer than this many bytes (64 MiB by default).", valueName: "N"))
    var maxLineBytes = LineScanner.defaultMaxLineBytes

    @Flag(name: .shortAndLong, help: "Print every line problem of the transcripts read.")
    var verbose = false

    func run() throws {
        let gates = try failOn.map(Gate.init(parsing:))
        let prices = try self.prices.map { try PriceTable.builtIn.merging(contentsOf: $0) } ?? .builtIn
        var failedFiles = 0
        func snapshot(_ path: String) throws -> RunSnapshot {
            if RunSnapshot.isReport(path) { return try RunSnapshot.read(path) }
            guard FileManager.default.fileExists(atPath: path) else { throw CompareError.missing(path: path) }
            var loop = SessionLoop(verbose: verbose) { Console.error($0) }
            loop.redactSecrets = !noRedact
            loop.maxLineBytes = maxLineBytes
            let sources: [SessionSource]
            do {
                sources = try TranscriptLocator.locate([path])
            } catch let error as TranscriptError {
                throw InputError(message: "\(path): neither a report (it has no summary.json) nor transcripts (" + error.description.replacingOccurrences(of: path + ": ", with: "") + ")")
            }
            var sessions: [Session] = []
            try loop.run(sources) { sessions.append($0) }
            failedFiles += loop.failedFiles
            let run = ReportRun.from(sessions: sessions, title: nil)
            return try ReportBuilder.snapshot(of: run, prices: prices, source: path)
        }
        let diff = RunDiff(before: try snapshot(before), after: try snapshot(after))
        if json {
            Console.out(String(diff.json.dropLast()))
        } else {
            Console.out(table(diff))
        }
        if let markdown { try write(diff.markdownPage, to: markdown) }
        if let html { try write(diff.htmlPage(templates: try TemplateSet.load()), to: html) }
        let results = Gate.check(gates, run: diff.after, baseline: diff.before)
        for result in results { Console.error("planscribe: gate \(result.gate) \(result.failed ? "failed" : "passed"): \(result.message)") }
        if failedFiles > 0 { throw ExitCode(1) }
        if results.contains(where: \.failed) { throw ExitCode(Gate.exitCode) }
    }

    private func write(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try ReportWriter.Folder(folder.isEmpty ? "." : folder).write(RenderedFile(path: (path as NSString).lastPathComponent, text: text))
        Console.error("planscribe: wrote \(path)")
    }

    private func table(_ diff: RunDiff) -> String {
        var table = TextTable(headers: ["", "before", "after", "change", "%"], alignments: [.left, .right, .right, .right, .right])
        for row in diff.rows {
            if row.isHeading {
                if !table.rows.isEmpty { table.ruleBefore.insert(table.rows.count) }
                table.add([row.label, row.before, row.after, row.delta, ""])
            } else {
                table.add(["  " + row.label, row.before, row.after, row.delta, row.percent])
            }
        }
        let (a, b) = diff.sides
        var out = "before: \(TextTable.cell(a))\nafter:  \(TextTable.cell(b))\n\n" + table.render()
        for note in diff.notes { out += "\n\n" + TextTable.cell(note) }
        let decisions = diff.decisionChanges
        out += "\n\ndecisions that changed:" + (decisions.isEmpty ? " none" : "")
        for (phase, changes) in decisions {
            out += "\n" + TextTable.cell(phase)
            for change in changes {
                out += "\n  asked:  " + TextTable.cell(change.after?.question ?? change.before?.question ?? "")
                if let b = change.before, let a = change.after, b.question != a.question {
                    out += "\n  asked before: " + TextTable.cell(b.question)
                }
                out += "\n  before: " + (change.before.map { TextTable.cell("(\($0.label)) \($0.reply)") } ?? "not asked")
                out += "\n  after:  " + (change.after.map { TextTable.cell("(\($0.label)) \($0.reply)") } ?? "not asked")
            }
        }
        return out
    }
}
