import Testing

@testable import PlanScribe

/// Exact figures for every fixture session, worked out independently with
/// `Tests/Recording/expected_figures.py` (Python, Decimal arithmetic) and pasted here.
struct FixtureFigureTests {
    struct Expected: CustomTestStringConvertible, Sendable {
        var id: String
        var calls: Int
        var messages: Int
        var tools: Int
        var usage: TokenUsage
        /// Estimated cost in picodollars.
        var estimated: Int64
        var reported: Double?

        var testDescription: String { id }
    }

    static let planning: [Expected] = [
        Expected(
            id: "d64eca0b", calls: 4, messages: 8, tools: 1, usage: TokenUsage(input: 4020, output: 360, cacheWrite5m: 6000, cacheWrite1h: 2000, cacheRead: 72000), estimated: 83_680_000_000,
            reported: 0.08368),
        Expected(
            id: "cf772298", calls: 7, messages: 8, tools: 3, usage: TokenUsage(input: 10127, output: 550, cacheWrite5m: 10500, cacheWrite1h: 3500, cacheRead: 102000), estimated: 152_408_000_000,
            reported: 0.15240800000000002),
        Expected(
            id: "ff6a3f76", calls: 2, messages: 4, tools: 0, usage: TokenUsage(input: 2404, output: 120, cacheWrite5m: 3000, cacheWrite1h: 1000, cacheRead: 18000), estimated: 31_662_000_000,
            reported: 0.031662),
        Expected(
            id: "3faf83cd", calls: 1, messages: 2, tools: 0, usage: TokenUsage(input: 1302, output: 60, cacheWrite5m: 1500, cacheWrite1h: 500, cacheRead: 9000), estimated: 19_708_000_000,
            reported: 0.019708),
    ]

    static let real: [Expected] = [
        Expected(
            id: "71c9afe9", calls: 3, messages: 11, tools: 2, usage: TokenUsage(input: 14, output: 643, cacheWrite5m: 19749, cacheWrite1h: 0, cacheRead: 36713), estimated: 473_798_250_000,
            reported: nil),
        Expected(id: "3680252d", calls: 0, messages: 3, tools: 0, usage: .zero, estimated: 0, reported: nil),
        Expected(
            id: "94604a7b", calls: 1, messages: 2, tools: 0, usage: TokenUsage(input: 2, output: 1, cacheWrite5m: 6198, cacheWrite1h: 0, cacheRead: 13794), estimated: 45_669_500_000, reported: nil),
        Expected(
            id: "29ccd257", calls: 12, messages: 4, tools: 25, usage: TokenUsage(input: 4468, output: 20, cacheWrite5m: 50764, cacheWrite1h: 0, cacheRead: 272977), estimated: 149_752_300_000,
            reported: nil),
        Expected(
            id: "03eb5929", calls: 9, messages: 15, tools: 2, usage: TokenUsage(input: 23, output: 88, cacheWrite5m: 0, cacheWrite1h: 9036, cacheRead: 239606), estimated: 212_478_000_000,
            reported: nil),
    ]

    /// The three CLI 2.1.332 sessions read together: the fork's replayed history counts once,
    /// its reported cost is its own (its cost-state's $0.05022 less the $0.037665 d34691ea had
    /// spent at the fork), and (the mock server reused ids across runs) the subagent's two calls
    /// already belong to d34691ea.
    static let cli: [Expected] = [
        Expected(
            id: "d34691ea", calls: 4, messages: 12, tools: 1, usage: TokenUsage(input: 4800, output: 148, cacheWrite5m: 8000, cacheWrite1h: 0, cacheRead: 12000), estimated: 50_220_000_000,
            reported: 0.07533),
        Expected(
            id: "de128d38", calls: 1, messages: 2, tools: 0, usage: TokenUsage(input: 1200, output: 37, cacheWrite5m: 2000, cacheWrite1h: 0, cacheRead: 3000), estimated: 12_555_000_000,
            reported: 0.012555),
        Expected(
            id: "11111111", calls: 3, messages: 7, tools: 2, usage: TokenUsage(input: 3600, output: 111, cacheWrite5m: 6000, cacheWrite1h: 0, cacheRead: 9000), estimated: 37_665_000_000,
            reported: 0.062775),
    ]

    static func check(_ sessions: [Session], _ expected: [Expected]) {
        #expect(sessions.map { String($0.id.prefix(8)) } == expected.map(\.id))
        let ledger = CostLedger()
        for (session, want) in zip(sessions, expected) {
            #expect(session.apiCalls.count == want.calls, "\(want.id) calls")
            #expect(session.messageCount == want.messages, "\(want.id) messages")
            #expect(session.toolCallCount == want.tools, "\(want.id) tool calls")
            #expect(session.usage == want.usage, "\(want.id) usage")
            #expect(ledger.estimate(session.apiCalls).completeCost == USD(picodollars: want.estimated), "\(want.id) estimated")
            #expect(session.reportedCostUSD == want.reported, "\(want.id) reported")
        }
    }

    @Test func planningRunRecordedWithTheRealCLI() throws {
        Self.check(try Fixture.sessions([Fixture.planningProject]), Self.planning)
    }

    @Test func realSessionsFromPublicProjects() throws {
        Self.check(try Fixture.sessions([Fixture.realProjects]), Self.real)
    }

    @Test func cliSessionsReadTogetherCountTheForkOnce() throws {
        let sessions = try Fixture.sessions([Fixture.cliProject])
        Self.check(sessions, Self.cli)
        #expect(sessions[1].continuesSession == "d34691ea-329b-4d4c-983b-96ad58cf79d4")
        #expect(sessions[1].firstPrompt == "Forked question")
    }

    @Test func subagentSessionAloneCountsAllFiveCalls() throws {
        let sessions = try Fixture.sessions([Fixture.cliProject + "/11111111-2222-4333-8444-555555555555.jsonl"])
        Self.check(
            sessions,
            [
                Expected(
                    id: "11111111", calls: 5, messages: 7, tools: 2, usage: TokenUsage(input: 6000, output: 185, cacheWrite5m: 10000, cacheWrite1h: 0, cacheRead: 15000), estimated: 62_775_000_000,
                    reported: 0.062775)
            ])
        // With its subagent counted, the estimate equals the CLI's own total.
        #expect(sessions[0].subagents.count == 1)
        #expect(sessions[0].subagents[0].toolUseID == "toolu_01MockAgent0001")
        #expect(sessions[0].subagents[0].description == "Echo via subagent")
    }

    @Test func theEstimateMatchesTheCLITotalOfEveryPlanningSession() throws {
        let ledger = CostLedger()
        for session in try Fixture.sessions([Fixture.planningProject]) {
            let estimate = try #require(ledger.estimate(session.apiCalls).completeCost)
            #expect(estimate == USD(try #require(session.reportedCostUSD)))
        }
    }
}

/// `cost` reads at ``ReadDetail/usage`` (no assistant text decoded): every row of every
/// grouping is what a full read gives, on every fixture.
struct UsageDetailTests {
    @Test func costRowsAreThoseOfAFullRead() throws {
        let fixtures = [Fixture.planningProject, Fixture.cliProject, Fixture.realProjects, Fixture.path("hostile"), Fixture.path("broken")]
        var compared = 0
        for path in fixtures {
            var ledgers: [CostLedger] = []
            var assistantText = 0
            for detail in [ReadDetail.full, .usage] {
                var filter = DuplicateFilter()
                let reader = SessionReader(detail: detail)
                var ledger = CostLedger(prices: .builtIn)
                for source in try TranscriptLocator.locate([path]) {
                    let session = try reader.read(source, filter: &filter)
                    ledger.add(session, phases: PhaseSplitter.split(session))
                    if detail == .usage {
                        for m in session.messages where m.role == .assistant {
                            for case .text(let t) in m.blocks { assistantText += t.utf8.count }
                        }
                    }
                }
                ledgers.append(ledger)
            }
            #expect(assistantText == 0, "\(path): assistant text decoded at .usage")
            for grouping in CostGrouping.allCases {
                #expect(ledgers[0].rows(by: grouping) == ledgers[1].rows(by: grouping), "\(path) by \(grouping)")
                compared += ledgers[0].rows(by: grouping).count
            }
            #expect(ledgers[0].total == ledgers[1].total)
        }
        #expect(compared > 30)
    }
}
