import Foundation
import Testing

@testable import PlanScribe

struct PriceTableTests {
    /// Every line of `cli-prices-2.1.332.txt` (what `Tests/Recording/probe_prices.sh` printed)
    /// names the model the CLI billed and its costUSD for 1,000,000 tokens of input, output,
    /// 5-minute write, 1-hour write and cache read. The built-in table must reproduce each.
    @Test func builtInPricesReproduceTheCLIsOwnCosts() throws {
        let text = try String(contentsOfFile: Fixture.path("cli-prices-2.1.332.txt"), encoding: .utf8)
        let buckets: [(Int) -> TokenUsage] = [
            { TokenUsage(input: $0) }, { TokenUsage(output: $0) }, { TokenUsage(cacheWrite5m: $0) },
            { TokenUsage(cacheWrite1h: $0) }, { TokenUsage(cacheRead: $0) },
        ]
        var checked = 0
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ").dropFirst()
            #expect(fields.count == 5, "\(line)")
            for (bucket, field) in zip(buckets, fields) {
                let parts = field.split(separator: "=")
                let model = String(parts[0])
                let cost = try #require(Double(parts[1]))
                let price = try #require(PriceTable.builtIn.price(for: model), "no price for \(model)")
                #expect(price.cost(of: bucket(1_000_000)) == USD(cost), "\(model): \(field)")
                checked += 1
            }
        }
        #expect(checked == 18 * 5)
    }

    @Test func modelIDsAreMatchedWithoutDatesAndContextSuffixes() {
        let table = PriceTable.builtIn
        #expect(table.price(for: "claude-sonnet-4-5-20250929") == table.price(for: "claude-sonnet-4-5"))
        #expect(table.price(for: "claude-opus-4-6[1m]") == table.price(for: "claude-opus-4-6"))
        #expect(table.price(for: "claude-opus-4-20250514")?.input == 15)
        #expect(table.price(for: "claude-opus-4-5-20251101")?.input == 5)
        #expect(table.price(for: "gpt-4o") == nil)
        #expect(table.price(for: "<synthetic>") == nil)
    }

    @Test func aPriceFileAddsAndOverridesModels() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "prices.json",
            lines: [
                #"{"my-model": {"input": 1, "output": 2, "cache_write_5m": 3, "cache_write_1h": 4, "cache_read": 0.5},"#,
                #" "claude-opus-5-5": {"input": 40, "output": 200, "cache_write_5m": 50, "cache_write_1h": 80, "cache_read": 2}}"#,
            ])
        let table = try PriceTable.builtIn.merging(contentsOf: file)
        #expect(table.price(for: "my-model")?.cost(of: TokenUsage(input: 1_000_000, output: 1_000_000)) == USD(picodollars: 3_000_000_000_000))
        #expect(table.price(for: "claude-opus-5-5")?.input == 40)
        #expect(table.price(for: "claude-sonnet-4-6")?.input == 3)
    }

    @Test func aPriceFileCanGiveLongPromptRates() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "prices.json",
            lines: [
                #"{"tiered": {"input": 1, "output": 2, "cache_write_5m": 3, "cache_write_1h": 4, "cache_read": 0.5,"#,
                #"  "long_prompt": {"above_tokens": 1000, "input": 10, "output": 20, "cache_write_5m": 30, "cache_write_1h": 40, "cache_read": 5}}}"#,
            ])
        let price = try #require(try PriceTable.builtIn.merging(contentsOf: file).price(for: "tiered"))
        // 400 + 300 + 300 = 1,000 prompt tokens: the short rates; one more: the long rates for the whole call.
        #expect(price.cost(of: TokenUsage(input: 400, output: 7, cacheWrite5m: 300, cacheRead: 300)) == USD(picodollars: 400 * 1_000_000 + 7 * 2_000_000 + 300 * 3_000_000 + 300 * 500_000))
        #expect(price.cost(of: TokenUsage(input: 401, output: 7, cacheWrite5m: 300, cacheRead: 300)) == USD(picodollars: 401 * 10_000_000 + 7 * 20_000_000 + 300 * 30_000_000 + 300 * 5_000_000))
        let negative = scratch.write(
            "bad.json",
            lines: [
                #"{"m": {"input": 1, "output": 2, "cache_write_5m": 3, "cache_write_1h": 4, "cache_read": 0.5, "long_prompt": {"above_tokens": 10, "input": -1, "output": 2, "cache_write_5m": 3, "cache_write_1h": 4, "cache_read": 0.5}}}"#
            ])
        #expect(throws: PriceTableError.invalid(path: negative, reason: "model m: prices and multipliers must be between 0 and 10000")) {
            try PriceTable.builtIn.merging(contentsOf: negative)
        }
    }

    /// A price file sets a model's fast multiplier, its regions' multipliers and its web search
    /// price; left out, they are the CLI's (fast at the standard rates, the US at 1.1×, $0.01).
    @Test func priceFilesSetFastRegionAndWebSearchTerms() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "prices.json",
            lines: [
                #"{"set": {"input": 1, "output": 2, "cache_write_5m": 3, "cache_write_1h": 4, "cache_read": 0.5,"#,
                #"  "fast_multiplier": 3, "inference_geo": {"eu": 1.5}, "web_search": 0.02},"#,
                #" "plain": {"input": 1, "output": 2, "cache_write_5m": 3, "cache_write_1h": 4, "cache_read": 0.5}}"#,
            ])
        let table = try PriceTable.builtIn.merging(contentsOf: file)
        let set = try #require(table.price(for: "set"))
        let plain = try #require(table.price(for: "plain"))
        let usage = TokenUsage(input: 1000, output: 100)  // $0.001 + $0.0002
        let tokens: Int64 = 1_200_000_000
        #expect(set.cost(of: usage) == USD(picodollars: tokens))
        #expect(set.cost(of: usage, terms: CallTerms(isFast: true)) == USD(picodollars: 3 * tokens))
        #expect(set.cost(of: usage, terms: CallTerms(inferenceGeo: "eu")) == USD(picodollars: tokens * 3 / 2))
        #expect(set.cost(of: usage, terms: CallTerms(inferenceGeo: "us")) == USD(picodollars: tokens))
        #expect(set.cost(of: usage, terms: CallTerms(inferenceGeo: "eu", isFast: true, webSearches: 2)) == USD(picodollars: tokens * 9 / 2 + 40_000_000_000))
        #expect(plain.cost(of: usage, terms: CallTerms(isFast: true)) == USD(picodollars: tokens))
        #expect(plain.cost(of: usage, terms: CallTerms(inferenceGeo: "us", webSearches: 1)) == USD(picodollars: tokens * 11 / 10 + 10_000_000_000))
        let bad = scratch.write(
            "bad.json",
            lines: [
                #"{"m": {"input": 1, "output": 2, "cache_write_5m": 3, "cache_write_1h": 4, "cache_read": 0.5, "inference_geo": {"us": -1}}}"#
            ])
        #expect(throws: PriceTableError.invalid(path: bad, reason: "model m: prices and multipliers must be between 0 and 10000")) {
            try PriceTable.builtIn.merging(contentsOf: bad)
        }
    }

    @Test func badPriceFilesSayWhatIsWrong() throws {
        let scratch = ScratchFolder()
        let missingField = scratch.write("a.json", lines: [#"{"m": {"input": 1, "output": 2}}"#])
        #expect(throws: PriceTableError.invalid(path: missingField, reason: "model m: missing \"cache_write_5m\"")) {
            try PriceTable.builtIn.merging(contentsOf: missingField)
        }
        let negative = scratch.write("b.json", lines: [#"{"m": {"input": -1, "output": 2, "cache_write_5m": 1, "cache_write_1h": 1, "cache_read": 1}}"#])
        #expect(throws: PriceTableError.invalid(path: negative, reason: "model m: prices and multipliers must be between 0 and 10000")) {
            try PriceTable.builtIn.merging(contentsOf: negative)
        }
        #expect(throws: PriceTableError.unreadable(path: scratch.path + "/none.json", reason: "no such file")) {
            try PriceTable.builtIn.merging(contentsOf: scratch.path + "/none.json")
        }
    }
}

struct CostLedgerTests {
    /// Sessions of the CLI that writes cost-state lines beside older ones that write none: the
    /// total's reported figure covers four of nine sessions, says so, and is compared with
    /// those four sessions' estimate rather than the whole.
    @Test func aTotalReportedForSomeSessionsSaysSoAndIsNotFlagged() throws {
        var ledger = CostLedger()
        for s in try Fixture.sessions([Fixture.planningProject, Fixture.realProjects]) { ledger.add(s, phases: PhaseSplitter.split(s)) }
        let total = ledger.total
        #expect(total.sessions == 9 && total.sessionsReported == 4 && total.isPartlyReported)
        #expect(total.reported == USD(picodollars: 287_458_000_000))
        #expect(total.estimate.completeCost == USD(picodollars: 1_169_156_050_000))
        #expect(total.reportedEstimate?.completeCost == USD(picodollars: 287_458_000_000))
        #expect(!total.differs)
        #expect(
            CostFootnote.lines(rows: ledger.rows(by: .session), total: total, key: { String($0.prefix(8)) }) == [
                "The reported $0.287458 covers 4 of 9 sessions, whose estimate is $0.287458; the others carry no figure of the CLI's."
            ])
    }

    @Test func thePlanningRunByModelDayPhaseAndSession() throws {
        let sessions = try Fixture.sessions([Fixture.planningProject])
        var ledger = CostLedger()
        for s in sessions { ledger.add(s, phases: PhaseSplitter.split(s)) }
        func rows(_ g: CostGrouping) -> [String] {
            ledger.rows(by: g).map { "\($0.key) \($0.estimate.calls) \($0.estimate.completeCost?.description ?? "?") \($0.reported?.description ?? "-")" }
        }
        #expect(rows(.model) == ["claude-opus-5-5 12 $0.255796 -", "claude-sonnet-4-6 2 $0.031662 -"])
        #expect(rows(.day) == ["2026-11-25 14 $0.287458 -"])
        #expect(
            rows(.phase) == [
                "/office-hours 4 $0.083680 -", "/plan-ceo-review 7 $0.152408 -",
                "/plan-eng-review 2 $0.031662 -", "/plan-design-review 1 $0.019708 -",
            ])
        #expect(
            rows(.session).map { String($0.prefix(8)) + $0.drop { $0 != " " } } == [
                "d64eca0b 4 $0.083680 $0.083680", "cf772298 7 $0.152408 $0.152408",
                "ff6a3f76 2 $0.031662 $0.031662", "3faf83cd 1 $0.019708 $0.019708",
            ])
        #expect(ledger.total.estimate.completeCost == USD(picodollars: 287_458_000_000))
        #expect(ledger.total.reported == USD(0.287458))
        #expect(!ledger.total.differs)
        #expect(ledger.rows(by: .session).allSatisfy { !$0.differs })
    }

    @Test func compactionMakesTheReportedCostHigherAndThatIsFlagged() throws {
        let sessions = try Fixture.sessions([Fixture.cliProject + "/d34691ea-329b-4d4c-983b-96ad58cf79d4.jsonl"])
        var ledger = CostLedger()
        ledger.add(sessions[0], phases: [])
        let row = try #require(ledger.rows(by: .session).first)
        #expect(row.estimate.completeCost == USD(picodollars: 50_220_000_000))
        #expect(row.reported == USD(0.07533))
        #expect(row.differs)
    }

    @Test func aModelWithoutPriceCountsTokensAndLeavesCostUnknown() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "p/s.jsonl",
            lines: [
                Line.user("u1", parent: nil, "hi"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: Line.text("yo"), output: 7, model: "mystery-model-9"),
                Line.assistant("a2", parent: "a1", id: "msg_2", request: "req_2", block: Line.text("and"), output: 5),
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        let estimate = CostLedger().estimate(session.apiCalls)
        #expect(estimate.usage == TokenUsage(input: 200, output: 12))
        #expect(estimate.unpricedModels == ["mystery-model-9"])
        #expect(estimate.completeCost == nil)
        // The priced part: 100 input × $3 + 5 output × $15 per million.
        #expect(estimate.estimated == USD(picodollars: 375_000_000))
    }

    @Test func costPerMessageIsUsageTimesPrice() throws {
        let sessions = try Fixture.sessions([Fixture.planningProject + "/d64eca0b-d71e-4823-ab97-62ffef4557b0.jsonl"])
        let first = try #require(sessions[0].messages.first { $0.role == .assistant })
        // 1002 in × $4 + 60 out × $20 + 1500 × $5 + 500 × $8 + 9000 read × $0.2, per million.
        #expect(first.usage == TokenUsage(input: 1002, output: 60, cacheWrite5m: 1500, cacheWrite1h: 500, cacheRead: 9000))
        #expect(CostLedger().estimate(first) == USD(picodollars: 18_508_000_000))
    }

    @Test func syntheticErrorMessagesCostNothing() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "p/s.jsonl",
            lines: [
                Line.user("u1", parent: nil, "hi"),
                Line.assistant("a1", parent: "u1", id: "5f0e1c2a-uuid", block: Line.text("API Error: 500"), output: 0, model: "<synthetic>", extra: #","isApiErrorMessage":true"#),
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        #expect(session.apiCalls.isEmpty)
        #expect(session.messages[1].isAPIError)
    }

    @Test func dollarsFormatAndRoundExactly() {
        #expect(USD(picodollars: 18_508_000_000).description == "$0.018508")
        #expect(USD(picodollars: 45_669_500_000).description == "$0.045670")
        #expect(USD(picodollars: 1_234_567_890_123_456).formatted(decimals: 2) == "$1234.57")
        #expect(USD(0.15240800000000002) == USD(picodollars: 152_408_000_000))
    }
}

/// `cost --json` writes its report directly; it must be byte for byte what `JSONEncoder` gives.
struct CostReportJSONTests {
    private func encoded(_ report: CostReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    @Test func fixtureReportsMatchTheEncoder() throws {
        var ledger = CostLedger()
        for session in try Fixture.sessions([Fixture.planningProject, Fixture.cliProject, Fixture.realProjects, Fixture.path("hostile")]) {
            ledger.add(session, phases: PhaseSplitter.split(session))
        }
        for grouping in CostGrouping.allCases {
            let report = CostReport(by: grouping, rows: ledger.rows(by: grouping), total: ledger.total, unpricedModels: ledger.unpricedModels)
            #expect(report.prettyJSON == (try encoded(report)), "by \(grouping)")
        }
        #expect(ledger.unpricedModels.contains { $0.contains("<script>") })
        let empty = CostReport(by: .day, rows: [], total: CostRow(key: "total", estimate: CostEstimate(), reported: nil), unpricedModels: [])
        #expect(empty.prettyJSON == (try encoded(empty)))
    }

    @Test func everyCharacterAndAmountIsWrittenAsTheEncoderWritesIt() throws {
        var keys = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        keys += ["\u{7F}", "\u{80}", "\u{9F}", "é", "e\u{301}", "\u{2028}", "\u{2029}", "\u{FEFF}", "😀", "a/b", "\\\"", "<script>alert(1)</script>", ""]
        var random = SystemRandomNumberGenerator()
        var amounts: [Int64] = [0, 1, -1, 10, 999_999_999_999, 1_000_000_000_000, -1_000_000_000_000, 1_500_000_000_000, 123_456_789_012_345, 4_000_000_000_000_000_000, -4_000_000_000_000_000_000]
        for _ in 0..<300 { amounts.append(Int64.random(in: -10_000_000_000_000...10_000_000_000_000, using: &random)) }
        for _ in 0..<100 { amounts.append(Int64.random(in: 0...10, using: &random) * 10_000 * Int64.random(in: 0...1_000_000, using: &random)) }
        var rows: [CostRow] = []
        for (i, key) in keys.enumerated() {
            var estimate = CostEstimate()
            estimate.calls = i
            estimate.usage = TokenUsage(input: i, output: 2 * i, cacheWrite5m: 3, cacheWrite1h: 4, cacheRead: 5 * i)
            estimate.estimated = USD(picodollars: amounts[i % amounts.count])
            if i % 7 == 0 { estimate.unpricedModels = [key, "model-\(i)"] }
            rows.append(CostRow(key: key, estimate: estimate, reported: i % 3 == 0 ? nil : USD(picodollars: amounts[(i * 5) % amounts.count])))
        }
        for amount in amounts {
            var estimate = CostEstimate()
            estimate.estimated = USD(picodollars: amount)
            rows.append(CostRow(key: "amount", estimate: estimate, reported: USD(picodollars: amount)))
        }
        let report = CostReport(by: .model, rows: rows, total: rows[1], unpricedModels: keys)
        let written = report.prettyJSON
        let reference = try encoded(report)
        #expect(written == reference)
        if written != reference {
            let a = written.split(separator: "\n"), b = reference.split(separator: "\n")
            if let first = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset { Issue.record("line \(first + 1): \(a[first]) vs \(b[first])") }
        }
    }
}

/// Token counts and amounts come from transcripts: sums and prices that would overflow stop at
/// the bounds instead of trapping.
struct SaturatingFigureTests {
    @Test func amountsAndCountsStopAtTheirBounds() throws {
        #expect(USD(1e300) == USD(picodollars: .max))
        #expect(USD(-1e300) == USD(picodollars: .min))
        #expect(USD(.nan) == .zero)
        #expect(USD(.infinity) == USD(picodollars: .max))
        #expect(USD(0.25) == USD(picodollars: 250_000_000_000))
        #expect(USD(picodollars: .max - 1) + USD(picodollars: 5) == USD(picodollars: .max))
        #expect(USD(picodollars: .min + 1) + USD(picodollars: -5) == USD(picodollars: .min))
        let huge = TokenUsage(input: .max - 1, output: 9_000_000_000_000_000_000)
        let sum = huge + TokenUsage(input: 10, output: 9_000_000_000_000_000_000)
        #expect(sum.input == .max && sum.output == .max && sum.total == .max)
        let price = try #require(PriceTable.builtIn.price(for: "claude-opus-4-1"))
        #expect(price.cost(of: huge) == USD(picodollars: .max))
        #expect(price.cost(of: TokenUsage(input: 1_000_000)) == USD(picodollars: Int64(price.input * 1_000_000) * 1_000_000))
        var estimate = CostEstimate()
        estimate.estimated = USD(picodollars: .max)
        let row = CostRow(key: "x", estimate: estimate, reported: USD(picodollars: .min))
        #expect(row.differs)
    }
}
