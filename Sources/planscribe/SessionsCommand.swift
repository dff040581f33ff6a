import ArgumentParser
import Foundation
import PlanScribe

struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List sessions: project, first prompt, times, messages, tool calls, tokens and cost.",
        discussion: """
            One row per session, oldest first, and a totals row. Messages are the user and \
            assistant messages of the conversation, with an API response written over several \
            lines counted once. Tool calls and tokens include subagents. Tokens are input / \
            output / cache write / cache read. "estimated" is usage × the price table; \
            "reported" is the CLI's own total where the transcript records it (CLI 2.1.3xx and \
            later). A session that repeats another (a fork) counts only its own lines.

            Exit codes: 0 read (line problems are warnings on stderr), 1 a file could not be \
            read, 2 a missing path or a bad flag.
            """)

    @OptionGroup var options: TranscriptOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let ledger = CostLedger(prices: try options.priceTable())
        let sources = try options.sources()
        var loop = SessionLoop(verbose: options.verbose) { Console.error($0) }
        loop.detail = .summary
        loop.redactSecrets = !options.noRedact
        loop.maxLineBytes = options.maxLineBytes
        var rows: [SessionSummary] = []
        try loop.run(sources) { session in
            rows.append(SessionSummary(session, ledger: ledger))
        }
        Console.warnUnpriced(Set(rows.flatMap(\.unpricedModels)).sorted())
        let total = SessionTotals(rows)
        if json {
            try Console.json(SessionsOutput(sessions: rows, total: total))
        } else {
            Console.out(table(rows, total: total))
        }
        if loop.failedFiles > 0 { throw ExitCode(1) }
    }

    private func table(_ rows: [SessionSummary], total: SessionTotals) -> String {
        var table = TextTable(
            headers: ["session", "project", "first prompt", "start", "end", "msgs", "tools", "in", "out", "cache w", "cache r", "estimated", "reported"],
            alignments: [.left, .left, .left, .left, .left, .right, .right, .right, .right, .right, .right, .right, .right])
        for r in rows {
            table.add([
                String(r.id.prefix(8)), Figures.oneLine(r.project, limit: 32), Figures.oneLine(r.firstPrompt, limit: 48), Figures.minute(r.start),
                Figures.minute(r.end), Figures.count(r.messages), Figures.count(r.toolCalls), Figures.count(r.usage.input),
                Figures.count(r.usage.output), Figures.count(r.usage.cacheWrite), Figures.count(r.usage.cacheRead),
                r.estimatedCost?.description ?? "unknown", r.reportedCost?.description ?? "-",
            ])
        }
        table.addTotal([
            "total", Figures.plural(rows.count, "session"), "", Figures.minute(total.start), Figures.minute(total.end), Figures.count(total.messages),
            Figures.count(total.toolCalls), Figures.count(total.usage.input), Figures.count(total.usage.output),
            Figures.count(total.usage.cacheWrite), Figures.count(total.usage.cacheRead),
            total.estimatedCost?.description ?? "unknown",
            total.reportedCost.map { $0.description + (CostFootnote.share(reported: total.sessionsWithReportedCost, of: rows.count).map { " (\($0))" } ?? "") } ?? "-",
        ])
        return table.render()
    }
}

/// The totals row of `sessions`.
struct SessionTotals: Encodable {
    var sessions: Int
    var start: String?
    var end: String?
    var messages: Int
    var toolCalls: Int
    var usage: TokenUsage
    var estimatedCost: USD?
    var reportedCost: USD?
    var sessionsWithReportedCost: Int

    enum CodingKeys: String, CodingKey {
        case sessions, start, end, messages, usage
        case toolCalls = "tool_calls"
        case estimatedCost = "estimated_cost_usd"
        case reportedCost = "reported_cost_usd"
        case sessionsWithReportedCost = "sessions_with_reported_cost"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sessions, forKey: .sessions)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(messages, forKey: .messages)
        try c.encode(toolCalls, forKey: .toolCalls)
        try c.encode(usage, forKey: .usage)
        try c.encode(estimatedCost, forKey: .estimatedCost)
        try c.encode(reportedCost, forKey: .reportedCost)
        try c.encode(sessionsWithReportedCost, forKey: .sessionsWithReportedCost)
    }

    init(_ rows: [SessionSummary]) {
        sessions = rows.count
        start = rows.compactMap(\.start).min()
        end = rows.compactMap(\.end).max()
        messages = rows.reduce(0) { $0 + $1.messages }
        toolCalls = rows.reduce(0) { $0 + $1.toolCalls }
        usage = rows.reduce(.zero) { $0 + $1.usage }
        estimatedCost = rows.contains { $0.estimatedCost == nil } ? nil : rows.reduce(.zero) { $0 + ($1.estimatedCost ?? .zero) }
        let reported = rows.compactMap(\.reportedCost)
        sessionsWithReportedCost = reported.count
        reportedCost = reported.isEmpty ? nil : reported.reduce(.zero, +)
    }
}

struct SessionsOutput: Encodable {
    var schemaVersion = 1
    var sessions: [SessionSummary]
    var total: SessionTotals

    enum CodingKeys: String, CodingKey {
        case sessions, total
        case schemaVersion = "schema_version"
    }
}
