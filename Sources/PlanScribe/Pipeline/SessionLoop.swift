import Foundation

/// Reads sessions one at a time for a command, with what went wrong as lines for its user:
/// a summary line per file that did not read clean (every problem with `verbose`), a line
/// per file that could not be read at all, and a closing count when anything went wrong.
public struct SessionLoop {
    /// Every line problem, not just each file's summary.
    public let verbose: Bool
    /// How much of each message the command needs.
    public var detail: ReadDetail = .full
    /// Replace secrets in every text.
    public var redactSecrets = true
    /// Lines longer than this are skipped.
    public var maxLineBytes = LineScanner.defaultMaxLineBytes
    /// Where each diagnostic line goes as it is made; nil keeps them in ``collected`` (for
    /// parallel work, where they are printed later in order).
    public var onLine: ((String) -> Void)?
    /// The diagnostic lines, when ``onLine`` is nil.
    public internal(set) var collected: [String] = []
    /// Files that could not be read, or had an error.
    public private(set) var failedFiles = 0
    /// Problems found.
    public private(set) var warnings = 0
    /// Files read.
    public private(set) var files = 0

    /// Creates a loop.
    public init(verbose: Bool, onLine: ((String) -> Void)? = nil) {
        self.verbose = verbose
        self.onLine = onLine
    }

    /// Calls `body` with each session, oldest first.
    public mutating func run(_ sources: [SessionSource], width: Int = ProcessInfo.processInfo.activeProcessorCount, _ body: (Session) throws -> Void) throws {
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

    /// Reads the sessions for their costs into `ledger`, oldest first, at
    /// ``ReadDetail/usage`` (no bodies, no assistant text).
    public mutating func runCosts(_ sources: [SessionSource], into ledger: inout CostLedger, width: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let configured = detail
        detail = .usage
        defer { detail = configured }
        try run(sources, width: width) { session in ledger.add(session, phases: PhaseSplitter.split(session)) }
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
        if let onLine { onLine(line) } else { collected.append(line) }
    }
}
