import Foundation
import Testing

@testable import PlanScribe

/// What `cost` reads: sessions at ``ReadDetail/usage`` (no bodies, no assistant text), whose
/// figures must be those of the same sessions read in full for a report.
struct CostReadingTests {
    /// Every row of every grouping, the totals and the file reports.
    private struct Reading: Equatable {
        var rows: [[CostRow]]
        var total: CostRow
        var reports: [FileReadReport]
    }

    private func read(_ paths: [String], detail: ReadDetail = .usage, width: Int = 1) throws -> Reading {
        var ledger = CostLedger()
        var reports: [FileReadReport] = []
        try SessionPipeline.forEach(try TranscriptLocator.locate(paths), detail: detail, width: width) { result in
            let session = try result.get()
            reports += session.reports
            ledger.add(session, phases: PhaseSplitter.split(session))
        }
        return Reading(rows: CostGrouping.allCases.map { ledger.rows(by: $0) }, total: ledger.total, reports: reports)
    }

    /// What `cost` runs: the session loop at its detail, on every core.
    private func costCommandRead(_ paths: [String]) throws -> Reading {
        var ledger = CostLedger()
        var loop = SessionLoop(verbose: false)
        try loop.runCosts(try TranscriptLocator.locate(paths), into: &ledger, width: 4)
        return Reading(rows: CostGrouping.allCases.map { ledger.rows(by: $0) }, total: ledger.total, reports: [])
    }

    @Test func costsDoNotDependOnTheReadDetail() throws {
        for path in [
            Fixture.planningProject, Fixture.cliProject, Fixture.realProjects, Fixture.path("hostile"),
            Fixture.path("broken"), Fixture.path("conformance"), Fixture.path("conformance-forks"),
            Fixture.path("conformance-skills"), Fixture.path("conformance-branches"),
            Fixture.path("conformance-stops"),
        ] {
            let usage = try read([path])
            #expect(usage == (try read([path], detail: .full)), "\(path)")
            #expect(usage == (try read([path], detail: .summary)), "\(path)")
            #expect(usage.total.estimate.calls > 0, "\(path)")
            let command = try costCommandRead([path])
            #expect(command.rows == usage.rows && command.total == usage.total, "\(path)")
        }
    }

    /// Sessions recorded with the real CLI 2.1.332 (`Fixtures/conformance`, see SOURCES.md): a
    /// cache write with a zero, a partial and a too-large 1h breakdown, 1h writes only,
    /// claude-haiku-5-5 with a prompt of exactly 100,000 tokens and of one more, claude-sonnet-5,
    /// claude-opus-5, a call served in the US (×1.1), three web searches ($0.01 each), fast mode
    /// (opus-5-5 at 2×), all three at once, a long haiku prompt in the US, and opus-4-6's fast
    /// mode (6×). The CLI's own `cost-state` is the oracle: each session's estimate equals it to
    /// the picodollar, at the detail `cost` reads. The two exceptions are named with their
    /// reason: an invocation killed while its tool ran (its call is billed in the transcript and
    /// missing from the CLI's figure) and a compaction (its two calls write no transcript line).
    @Test func estimatesEqualWhatTheRealCLICharged() throws {
        let folder = Fixture.path("conformance/-tmp-conf-cwd")
        let reported: [Double] = [
            0.00779, 0.00854, 0.010862, 0.021724, 0.0097997, 0.048999, 0.00809, 0.020225,
            0.008569, 0.03779, 0.03116, 0.06087600000000001, 0.11167475000000002, 0.12134999999999999,
        ]
        let full = try read([folder])
        let rows = full.rows[0]
        let exact = Array(rows.prefix(reported.count))
        #expect(exact.map(\.reported) == reported.map { USD($0) })
        #expect(exact.map(\.estimate.completeCost) == reported.map { USD($0) })
        #expect(exact.allSatisfy { !$0.differs && $0.notes.isEmpty })
        // Tokens shown as cache write are the total the CLI billed.
        #expect(exact.map(\.estimate.usage.cacheWrite) == Array(repeating: 2048, count: reported.count))
        // Killed, then resumed: three calls in the transcript (one each of 1,000 input and 37
        // output tokens at $2/$10 per million), two in the CLI's figure.
        let killed = rows[reported.count]
        #expect(killed.key == "c0000000-0000-4000-8000-000000000015")
        #expect(killed.estimate.calls == 3)
        #expect(killed.estimate.completeCost == USD(picodollars: 3 * 2_370_000_000))
        #expect(killed.reported == USD(picodollars: 2 * 2_370_000_000))
        #expect(killed.differs && killed.notes == [.cutShort])
        // Compacted: two calls in the transcript, four in the CLI's figure.
        let compacted = rows[reported.count + 1]
        #expect(compacted.key == "c0000000-0000-4000-8000-000000000016")
        #expect(compacted.estimate.completeCost == USD(picodollars: 2 * 2_370_000_000))
        #expect(compacted.reported == USD(picodollars: 4 * 2_370_000_000))
        #expect(compacted.differs && compacted.notes == [.compacted])
        #expect(full.total.estimate.estimated == USD(picodollars: 507_449_450_000 + 5 * 2_370_000_000))
        #expect(full.total.notes == [.compacted, .cutShort])
        #expect(full.total.sessions == reported.count + 2 && full.total.sessionsReported == reported.count + 2)
    }

    /// A phase run in two invocations and forked twice with the real CLI (`--resume
    /// --fork-session`; `Fixtures/conformance-forks`): once with a prompt that hands a task to a
    /// subagent, once with a plain prompt. Each fork's cost-state goes on from its parent's
    /// $0.00474 at the fork; its own cost is the rest, its calls (the subagent's included) are
    /// in the parent's phase, and nothing is counted twice in any grouping.
    @Test func forksCountTheirOwnCostInTheirParentsPhase() throws {
        let folder = Fixture.path("conformance-forks/-tmp-conf-cwd")
        let full = try read([folder])
        let call = 2_370_000_000  // 1,000 input and 37 output tokens of claude-sonnet-5
        let sessions = full.rows[0]
        #expect(sessions.map(\.key) == ["c0000000-0000-4000-8000-000000000017", "353bf612-d2b9-4465-a3d2-79b72c53ede0", "476402dd-f14d-4e51-ae6a-2307b91c6edf"])
        #expect(sessions.map(\.estimate.calls) == [3, 3, 1])
        // The CLI's own figures: 0.00711, 0.01185 − 0.00474 and 0.00711 − 0.00474.
        #expect(sessions.map(\.reported) == [3, 3, 1].map { USD(picodollars: Int64($0 * call)) })
        #expect(sessions.map(\.estimate.completeCost) == [3, 3, 1].map { USD(picodollars: Int64($0 * call)) })
        #expect(sessions.allSatisfy { !$0.differs })
        let phases = full.rows[1]
        #expect(phases.map(\.key) == ["/office-hours"])
        #expect(phases.map(\.estimate.calls) == [7])
        #expect(full.total.reported == USD(picodollars: Int64(7 * call)) && !full.total.differs)
        #expect(
            full.reports.compactMap(\.diagnostics.first?.message) == [
                "17 lines repeat session c0000000-0000-4000-8000-000000000017 (a fork or resume) and are counted there; its reported cost counts from the $0.004740 that session had spent",
                "17 lines repeat session c0000000-0000-4000-8000-000000000017 (a fork or resume) and are counted there; its reported cost counts from the $0.004740 that session had spent",
            ])
    }

    /// A projects tree copied beside itself: every session id is in two folders. Each session
    /// is counted once, with a warning that names both files, in every grouping and in both
    /// reads.
    @Test func aSessionInTwoFoldersIsCountedOnce() throws {
        let scratch = ScratchFolder()
        let source = Fixture.path("conformance-forks/-tmp-conf-cwd")
        for copy in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: scratch.path + "/" + copy, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: source, toPath: scratch.path + "/\(copy)/-tmp-conf-cwd")
        }
        let once = try read([source])
        let twice = try read([scratch.path])
        #expect(twice.rows == once.rows)
        #expect(twice.total == once.total)
        let parent = "c0000000-0000-4000-8000-000000000017.jsonl"
        #expect(twice.reports[0].file == scratch.path + "/a/-tmp-conf-cwd/" + parent)
        #expect(
            twice.reports[0].diagnostics.first?.message
                == "session c0000000-0000-4000-8000-000000000017 is also in \(scratch.path)/b/-tmp-conf-cwd/\(parent) (a copy); it is counted once, from this file")
    }

    /// Split lines merged out of file order, phases, a prelude, subagents placed through their
    /// meta file and through the older `toolUseResult.agentId`, a sidechain copy of a main
    /// call, a call without a message id, an API error, a `/rewind` branch, ids written with
    /// escapes, and a fork of an earlier session.
    @Test func trickySessionsCostTheSame() throws {
        let scratch = ScratchFolder()
        let usage = #""usage":{"input_tokens":100,"output_tokens":OUT,"cache_creation_input_tokens":10,"cache_read_input_tokens":1000}"#
        func assistant(
            _ uuid: String, parent: String?, id: String?, request: String = "req_1", output: Int = 10, model: String = "claude-sonnet-4-5-20250929", blocks: String = #"{"type":"text","text":"ok"}"#,
            stamp: String, extra: String = ""
        ) -> String {
            let idField = id.map { #""id":"\#($0)","# } ?? ""
            return
                #"{"type":"assistant","uuid":"\#(uuid)","parentUuid":\#(parent.map { "\"\($0)\"" } ?? "null"),"timestamp":"2026-01-01T00:\#(stamp)Z","requestId":"\#(request)","message":{\#(idField)"role":"assistant","model":"\#(model)","content":[\#(blocks)],\#(usage.replacingOccurrences(of: "OUT", with: String(output)))}\#(extra)}"#
        }
        func user(_ uuid: String, parent: String?, _ content: String, stamp: String, extra: String = "") -> String {
            #"{"type":"user","uuid":"\#(uuid)","parentUuid":\#(parent.map { "\"\($0)\"" } ?? "null"),"timestamp":"2026-01-01T00:\#(stamp)Z","message":{"role":"user","content":\#(content)}\#(extra)}"#
        }
        func result(_ toolID: String) -> String { #"[{"type":"tool_result","tool_use_id":"\#(toolID)","content":"done"}]"# }
        let taskUse = #"{"type":"tool_use","id":"toolu_a","name":"Task","input":{"prompt":"look"}}"#
        let session = "11111111-1111-4111-8111-111111111111"
        _ = scratch.write(
            "p/\(session).jsonl",
            lines: [
                #"{"type":"attachment","uuid":"a0","parentUuid":null,"timestamp":"2026-01-01T00:00:00Z","attachment":{"type":"date"}}"#,
                #"{"type":"queue-operation","operation":"enqueue","timestamp":"2026-01-01T00:00:00Z"}"#,
                user("u1", parent: "a0", Line.json("/office-hours plan the app"), stamp: "01:00"),
                assistant("x1", parent: "u1", id: "msg_1", stamp: "01:10"),
                // An abandoned branch off the first prompt (placed by its time).
                assistant("b1", parent: "u1", id: "msg_9", output: 3, stamp: "03:00"),
                // The second line of msg_1 comes after its child in the file.
                user("r1", parent: "x2", result("toolu_a"), stamp: "01:30", extra: #","toolUseResult":{"agentId":"agentC"}"#),
                assistant("x2", parent: "x1", id: "msg_1", output: 40, blocks: taskUse, stamp: "01:20"),
                #"{"type":"progress","uuid":"p1","parentUuid":"r1","timestamp":"2026-01-01T00:01:31Z","data":{"type":"hook"}}"#,
                assistant("x3", parent: "p1", id: "msg_2", stamp: "01:40"),
                assistant("x4", parent: "x3", id: nil, stamp: "01:45"),
                assistant("x5", parent: "x4", id: "msg_err", model: "<synthetic>", stamp: "01:46"),
                user("u2", parent: "x5", Line.json("/plan-ceo-review go on"), stamp: "02:00"),
                assistant("x6", parent: "u2", id: "msg_\\u0033", output: 5, stamp: "02:10"),
                assistant("x7", parent: "x6", id: "msg_3", output: 70, stamp: "02:20"),
                #"{"type":"cost-state","totalCostUSD":0.25,"timestamp":"2026-01-01T00:02:30Z"}"#,
            ])
        // A subagent with its meta file, and one named only by the tool result.
        _ = scratch.write(
            "p/\(session)/subagents/agent-agentB.jsonl",
            lines: [
                user("s0", parent: nil, Line.json("look around"), stamp: "01:21", extra: #","isSidechain":true,"agentId":"agentB""#),
                assistant("s1", parent: "s0", id: "msg_s1", model: "claude-haiku-4-5-20251001", stamp: "01:22", extra: #","isSidechain":true,"agentId":"agentB""#),
                assistant("s2", parent: "s1", id: "msg_2", request: "req_copy", stamp: "01:23", extra: #","isSidechain":true,"agentId":"agentB""#),
            ])
        _ = scratch.write("p/\(session)/subagents/agent-agentB.meta.json", lines: [#"{"toolUseId":"toolu_a","agentType":"Explore"}"#])
        _ = scratch.write(
            "p/\(session)/subagents/agent-agentC.jsonl",
            lines: [
                assistant("c1", parent: nil, id: "msg_c1", stamp: "09:00", extra: #","isSidechain":true"#)
            ])
        // A later session that starts as a fork of the first.
        _ = scratch.write(
            "p/22222222-2222-4222-8222-222222222222.jsonl",
            lines: [
                user("u1", parent: "a0", Line.json("/office-hours plan the app"), stamp: "01:00"),
                assistant("x1", parent: "u1", id: "msg_1", stamp: "01:10"),
                user("f1", parent: "x1", Line.json("/plan-eng-review fork"), stamp: "05:00"),
                assistant("f2", parent: "f1", id: "msg_f", stamp: "05:10"),
            ])
        let full = try read([scratch.path + "/p"])
        #expect(full == (try read([scratch.path + "/p"], detail: .full)))
        let phases = full.rows[1].map(\.key)
        #expect(phases == ["/office-hours", "/plan-ceo-review", "/plan-eng-review"])
        #expect(full.total.estimate.calls == 8)
        #expect(full.rows[1].map(\.estimate.calls) == [5, 2, 1])
    }
}
