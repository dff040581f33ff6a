import ArgumentParser
import Foundation
import PlanScribe

/// The options every command that reads transcripts shares.
struct TranscriptOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Session files (.jsonl), project folders, or projects trees. Default: the projects folder under $CLAUDE_CONFIG_DIR, else ~/.claude.",
            valueName: "path"))
    var paths: [String] = []

    @Option(
        name: .customLong("project"),
        help: ArgumentHelp(
            "Read the transcripts of the project whose working directory is DIR (found by Claude Code's folder encoding).",
            valueName: "DIR"))
    var project: String?

    @Option(
        name: .customLong("prices"),
        help: ArgumentHelp(
            "A JSON file of model prices (USD per million tokens) that adds to or overrides the built-in table: {\"model\": {\"input\": 3, \"output\": 15, \"cache_write_5m\": 3.75, \"cache_write_1h\": 6, \"cache_read\": 0.3}}.",
            valueName: "FILE"))
    var prices: String?

    @Flag(name: .shortAndLong, help: "Print every line problem, not just one summary line per file.")
    var verbose = false

    @Option(
        name: .customLong("max-line-bytes"),
        help: ArgumentHelp("Skip (with a warning) transcript lines longer than this many bytes instead of loading them. Default: 67108864 (64 MiB).", valueName: "N"))
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
        var captures: [String] = []
        let sources = try TranscriptLocator.locate(roots, streamCaptures: &captures)
        if let first = captures.first {
            let more = captures.count > 1 ? " and \(captures.count - 1) more" : ""
            Console.error("planscribe: \(first)\(more): the CLI's stream-json output (as planscribe run keeps in run/stream/), not a transcript; left out")
        }
        return sources
    }
}
