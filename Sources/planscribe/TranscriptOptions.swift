import ArgumentParser
import Foundation
import PlanScribe

/// The options every command that reads transcripts shares.
struct TranscriptOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Session files (.jsonl), project folders, or projects trees. Default: the projects folder under $CLAUDE_CONFIG_DIR, else ~/.claude.",
        valueName: "path"))
    var paths: [String] = []

    @Option(name: .customLong("project"), help: ArgumentHelp(
        "Read the transcripts of the project whose working directory is DIR (found by Claude Code's folder encoding).",
        valueName: "DIR"))
    var project: String?

    @Option(name: .customLong("prices"), help: ArgumentHelp(
        "A JSON file of model prices (USD per million tokens) that adds to or overrides the built-in table: {\"model\": {\"input\": 3, \"output\": 15, \"cache_write_5m\": 3.75, \"cache_write_1h\": 6, \"cache_read\": 0.3}}.",
        valueName: "FILE"))
    var prices: String?

    @Flag(name: .shortAndLong, help: "Print every line problem, not just one summary line per file.")
    var verbose = false

    @Option(name: .customLong("max-line-bytes"), help: ArgumentHelp("Skip (with a warning) transcript lines longer than this many bytes instead of loading them. Default: 67108864 (64 MiB).", valueName: "N"))
    var maxLineBytes = LineScanner.defaultMaxLineBytes

    @Flag(name: .customLong("no-redact"), help: "Show API keys, tokens and passwords found in transcripts as they are (by default they become [REDACTED] in every output).")
    var noRedact = false

    /// The price table, with the file's prices merged in.
    func priceTable() throws -> PriceTable {
        guard let prices else { return .builtIn }
        return try PriceTable.builtIn.merging(contentsOf: prices)
    }

    /// The sessions to read, oldest first.
    func sources() throws -> [SessionSource] {
        var roots = paths
        let environment = ProcessInfo.processInfo.environment
        if let project {
            let folder = TranscriptLocator.defaultProjectsFolder(environment: environment)
            roots.append(try TranscriptLocator.projectFolder(for: project, in: folder))
        }
        if roots.isEmpty {
            let folder = TranscriptLocator.defaultProjectsFolder(environment: environment)
            guard FileManager.default.fileExists(atPath: folder) else {
                throw InputError(message: "no Claude Code transcripts at \(folder): pass a session file or folder, or set CLAUDE_CONFIG_DIR")
            }
            roots = [folder]
        }
        return try TranscriptLocator.locate(roots)
    }
}

/// Reads sessions one at a time, printing diagnostics to stderr as it goes.
struct SessionLoop {
    let verbose: Bool
    /// How much of each message the command needs.
    var detail: ReadDetail = .full
    /// Replace secrets in every text.
    var redactSecrets = true
    /// Lines longer than this are skipped.
    var maxLineBytes = LineScanner.defaultMaxLineBytes
    /// Collect diagnostics in ``collected`` instead of printing them (for parallel work).
    var quietCollect = false
    private(set) var collected: [String] = []
    private(set) var failedFiles = 0
    private(set) var warnings = 0
    private(set) var files = 0

    init(verbose: Bool) { self.verbose = verbose }

    /// Calls `body` with each session, oldest first.
    mutating func run(_ sources: [SessionSource], width: Int = ProcessInfo.processInfo.activeProcessorCount, _ body: (Session) throws -> Void) throws {
        try SessionPipeline.forEach(sources, detail: detail, redactSecrets: redactSecrets, maxLineBytes: maxLineBytes, width: width) { result in
            switch result {
            case .success(let session):
                report(session.reports)
                try body(session)
            case .failure(let error):
                failed(error)
            }
        }
        summarize()
    }

    /// A file that could not be read at all.
    private mutating func failed(_ error: TranscriptError) {
        failedFiles += 1
        files += 1
        emit("error: \(error.description)")
    }

    /// The closing line: how many files, warnings and unreadable files, when any went wrong.
    private mutating func summarize() {
        if warnings > 0 || failedFiles > 0 {
            var parts = ["read " + Figures.plural(files, "file")]
            if warnings > 0 { parts.append(Figures.plural(warnings, "warning")) }
            if failedFiles > 0 { parts.append("\(failedFiles) unreadable") }
            emit("planscribe: " + parts.joined(separator: ", ") + (verbose ? "" : " (--verbose lists every problem)"))
        }
    }

    /// Reads the sessions for their costs into `ledger`, oldest first (see
    /// ``SessionPipeline/forEachCost(_:redactSecrets:maxLineBytes:width:_:)``).
    mutating func runCosts(_ sources: [SessionSource], into ledger: inout CostLedger, width: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        try SessionPipeline.forEachCost(sources, redactSecrets: redactSecrets, maxLineBytes: maxLineBytes, width: width) { result in
            switch result {
            case .success(.usage(let usage)):
                report(usage.reports)
                ledger.add(usage)
            case .success(.session(let session)):
                report(session.reports)
                ledger.add(session, phases: PhaseSplitter.split(session))
            case .failure(let error):
                failed(error)
            }
        }
        summarize()
    }

    private mutating func report(_ reports: [FileReadReport]) {
        for report in reports {
            files += 1
            warnings += report.diagnostics.count
            if report.diagnostics.contains(where: { $0.severity == .error }) { failedFiles += 1 }
            if verbose {
                // warnings about the whole file are part of its summary line
                for d in report.diagnostics where d.line != nil || d.severity == .error { emit(d.description) }
                emit(report.summary)
            } else if !report.isClean {
                emit(report.summary)
            }
        }
    }

    private mutating func emit(_ line: String) {
        if quietCollect { collected.append(line) } else { Console.error(line) }
    }

    /// Exit code 1 when a file could not be read.
    func finish() throws {
        if failedFiles > 0 { throw ExitCode(1) }
    }
}
