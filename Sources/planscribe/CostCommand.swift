import ArgumentParser
import Foundation
import PlanScribe

extension CostGrouping: ExpressibleByArgument {}

struct CostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Tokens and cost, by session, phase, model or day.",
        discussion: """
            "estimated" is usage × the price table: every API call counted once (the lines of \
            one response, and copies in forks, are de-duplicated by message id and request id, \
            keeping the largest output count), subagents included, API-error messages free. \
            "reported" is the CLI's own figure (the last cost-state line of a session), shown \
            for sessions and for the total over those that carry one. A "*" marks rows where \
            the two differ by more than 1 %, and the note under the table says why when the \
            transcript shows it: a compaction (its calls write no transcript line) or an \
            invocation cut short (its calls are missing from the CLI's figure). A total whose \
            figure covers only some sessions says so and is compared with those sessions only.

            Phases are read from prompts that start with a slash command (/office-hours …); \
            calls before the first one are "(no phase)".

            Exit codes: 0 read (line problems are warnings on stderr), 1 a file could not be \
            read, 2 a missing path, a bad flag or a bad price file, 5 the total is over \
            --max-cost (after 1).
            """)

    @OptionGroup var options: TranscriptOptions

    @Option(help: ArgumentHelp("Group rows by session, phase, model or day (UTC).", valueName: "grouping"))
    var by: CostGrouping = .session

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(
        name: .customLong("max-cost"),
        help: ArgumentHelp(
            "Exit with code 5 when the total is over this many dollars (the CLI's figure when every session has one, else the estimate), as render's --fail-on cost>USD.", valueName: "USD"))
    var maxCost: Double?

    func validate() throws {
        if let maxCost, !(maxCost >= 0 && maxCost.isFinite) { throw ValidationError("--max-cost must be a number of dollars, 0 or more") }
    }

    func run() throws {
        var ledger = CostLedger(prices: try options.priceTable())
        let sources = try options.sources()
        var loop = SessionLoop(verbose: options.verbose) { Console.error($0) }
        loop.redactSecrets = !options.noRedact
        loop.maxLineBytes = options.maxLineBytes
        try loop.runCosts(sources, into: &ledger)
        Console.warnUnpriced(ledger.unpricedModels)
        let rows = ledger.rows(by: by)
        if json {
            Console.out(CostReport(by: by, rows: rows, total: ledger.total, unpricedModels: ledger.unpricedModels).prettyJSON)
        } else {
            Console.out(table(rows, total: ledger.total))
            for line in CostFootnote.lines(rows: by == .session ? rows : [], total: ledger.total, key: { String($0.prefix(8)) }) {
                Console.out(line)
            }
        }
        if loop.failedFiles > 0 { throw ExitCode(1) }
        if let maxCost {
            let total = ledger.total
            let cost = RunSnapshot.cost(
                estimated: total.estimate.completeCost, reported: total.reported, sessions: total.sessions, sessionsReported: total.sessionsReported)
            let result = Gate.costOver(USD(maxCost)).checkCost(cost.usd, source: cost.source)
            if result.failed {
                Console.error("planscribe: --max-cost: \(result.message)")
                throw ExitCode(Gate.exitCode)
            }
        }
    }

    private func table(_ rows: [CostRow], total: CostRow) -> String {
        let flagged = rows.contains(where: \.differs) || total.differs
        var table = TextTable(
            headers: [by.rawValue, "calls", "in", "out", "cache w", "cache r", "estimated", "reported"] + (flagged ? ["*"] : []),
            alignments: [.left, .right, .right, .right, .right, .right, .right, .right, .left])
        func cells(_ row: CostRow, key: String) -> [String] {
            let e = row.estimate
            let estimated = e.completeCost?.description ?? (e.calls == 0 ? "-" : "≥" + e.estimated.description)
            return [
                key, Figures.count(e.calls), Figures.count(e.usage.input), Figures.count(e.usage.output),
                Figures.count(e.usage.cacheWrite), Figures.count(e.usage.cacheRead), estimated,
                row.reported.map { $0.description + (CostFootnote.share(reported: row.sessionsReported, of: row.sessions).map { " (\($0))" } ?? "") } ?? "-",
            ] + (flagged ? [row.differs ? "*" : ""] : [])
        }
        for row in rows { table.add(cells(row, key: by == .session ? String(row.key.prefix(8)) : row.key)) }
        table.addTotal(cells(total, key: "total"))
        return table.render()
    }
}
