import Foundation
import Testing

@testable import PlanScribe

/// `cost` reads sessions that read clean as compact ``UsageSession``s; every figure must be
/// what the full read gives.
struct UsageSessionTests {
    /// Every row of every grouping, the totals and the file reports, read both ways.
    private struct Reading: Equatable {
        var rows: [[CostRow]]
        var total: CostRow
        var reports: [FileReadReport]
        /// Sessions read compact, and read in full.
        var compact = 0
        var full = 0

        static func == (a: Reading, b: Reading) -> Bool {
            a.rows == b.rows && a.total == b.total && a.reports == b.reports
        }
    }

    private func fullRead(_ paths: [String], width: Int = 1) throws -> Reading {
        var ledger = CostLedger()
        var reports: [FileReadReport] = []
        try SessionPipeline.forEach(try TranscriptLocator.locate(paths), detail: .usage, width: width) { result in
            let session = try result.get()
            reports += session.reports
            ledger.add(session, phases: PhaseSplitter.split(session))
        }
        return Reading(rows: CostGrouping.allCases.map { ledger.rows(by: $0) }, total: ledger.total, reports: reports)
    }

    private func costRead(_ paths: [String], width: Int = 1) throws -> Reading {
        var ledger = CostLedger()
        var reading = Reading(rows: [], total: ledger.total, reports: [])
        try SessionPipeline.forEachCost(try TranscriptLocator.locate(paths), width: width) { result in
            switch try result.get() {
            case .usage(let usage):
                reading.compact += 1
                reading.reports += usage.reports
                ledger.add(usage)
            case .session(let session):
                reading.full += 1
                reading.reports += session.reports
                ledger.add(session, phases: PhaseSplitter.split(session))
            }
        }
        reading.rows = CostGrouping.allCases.map { ledger.rows(by: $0) }
        reading.total = ledger.total
        return reading
    }

    @Test func fixturesCostTheSameReadCompact() throws {
        // Every session reads compact but the broken one, whose line problems the full read
        // reports, and two of the CLI's: a fork, and a session that repeats an API call of an
        // earlier one (the full read leaves it out).
        for (path, fullReads) in [
            (Fixture.planningProject, 0), (Fixture.cliProject, 2), (Fixture.realProjects, 0), (Fixture.path("hostile"), 0),
            (Fixture.path("broken"), 1), (Fixture.path("conformance"), 0), (Fixture.path("conformance-forks"), 2),
            (Fixture.path("conformance-skills"), 0), (Fixture.path("conformance-branches"), 0),
            (Fixture.path("conformance-stops"), 0),
        ] {
            let full = try fullRead([path])
            let read = try costRead([path])
            #expect(read == full, "\(path)")
            #expect(read.full == fullReads, "\(path): sessions read in full")
            #expect(read.compact + read.full == full.rows[0].count)
            #expect(read.compact + read.full > 0)
        }
        // Both cores, as the command runs.
        let all = [Fixture.planningProject, Fixture.cliProject, Fixture.realProjects]
        #expect(try costRead(all, width: 4) == fullRead(all))
    }

    /// Sessions recorded with the real CLI 2.1.332 (`Fixtures/conformance`, see SOURCES.md): a
    /// cache write with a zero, a partial and a too-large 1h breakdown, 1h writes only,
    /// claude-haiku-5-5 with a prompt of exactly 100,000 tokens and of one more, claude-sonnet-5,
    /// claude-opus-5, a call served in the US (×1.1), three web searches ($0.01 each), fast mode
    /// (opus-5-5 at 2×), all three at once, a long haiku prompt in the US, and opus-4-6's fast
    /// mode (6×). The CLI's own `cost-state` is the oracle: each session's estimate equals it to
    /// the picodollar, read in full and read compact. The two exceptions are named with their
    /// reason: an invocation killed while its tool ran (its call is billed in the transcript and
    /// missing from the CLI's figure) and a compaction (its two calls write no transcript line).
    @Test func estimatesEqualWhatTheRealCLICharged() throws {
        let folder = Fixture.path("conformance/-tmp-conf-cwd")
        let reported: [Double] = [
            0.00779, 0.00854, 0.010862, 0.021724, 0.0097997, 0.048999, 0.00809, 0.020225,
            0.008569, 0.03779, 0.03116, 0.06087600000000001, 0.11167475000000002, 0.12134999999999999,
        ]
        let full = try fullRead([folder])
        let compact = try costRead([folder])
        #expect(compact == full)
        #expect(compact.compact == reported.count + 2)
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
        let full = try fullRead([folder])
        let compact = try costRead([folder])
        #expect(compact == full)
        #expect(compact.full == 2)  // the forks repeat their parent: read the full way
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
        let once = try fullRead([source])
        let twice = try fullRead([scratch.path])
        #expect(try costRead([scratch.path]) == twice)
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
        let full = try fullRead([scratch.path + "/p"])
        let read = try costRead([scratch.path + "/p"])
        #expect(read == full)
        #expect(read.compact == 1 && read.full == 1)
        let phases = full.rows[1].map(\.key)
        #expect(phases == ["/office-hours", "/plan-ceo-review", "/plan-eng-review"])
        #expect(full.total.estimate.calls == 8)
    }

    @Test func walkAgreesWithTheDecoderOnEveryFixtureLine() throws {
        var walked = 0
        var lines = 0
        let files = FileManager.default.enumerator(atPath: Fixture.root)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".jsonl") }
        for name in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: Fixture.path(name)))
            for line in data.split(separator: 0x0A) {
                lines += 1
                line.withUnsafeBytes { bytes in
                    var ids: [ByteSpan] = []
                    if UsageLine.walk(bytes, toolUseIDs: &ids) != nil { walked += 1 }
                    if let difference = UsageLine.disagreement(bytes) { Issue.record("\(name): \(difference)") }
                }
            }
        }
        #expect(lines > 500)
        #expect(walked * 2 > lines, "most fixture lines are walked: \(walked) of \(lines)")
    }

    /// Checking a string's escapes and UTF-8 in place says what unescaping it would.
    @Test func stringValidityMatchesUnescaping() {
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("\\".utf8), Array("\"".utf8), Array("u".utf8), Array("n".utf8), Array("0".utf8),
            Array("D8".utf8), Array("dc".utf8), Array("F".utf8), Array("é".utf8), [0x80], [0xC3], [0xE2, 0x82], [0xFF], [0xED, 0xA0, 0x80],
            Array("\\u".utf8), Array("\\n".utf8), Array("\\ud83d\\ude00".utf8), [0x00], [0x1F],
        ]
        var random = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...8, using: &random) { bytes += pieces.randomElement(using: &random)! }
            let valid = bytes.withUnsafeBytes { FastLineDecoder.isValidStringContent($0) }
            let unescaped = bytes.withUnsafeBytes { FastLineDecoder.unescape($0) }
            #expect(valid == (unescaped != nil), "\(bytes)")
            if valid { accepted += 1 }
        }
        #expect(accepted > 2_000 && accepted < 18_000)
    }

    /// Lines cut short, and with one byte changed, are walked only when the decoder reads
    /// them the same way.
    @Test func walkIsNoLooserThanTheDecoder() throws {
        let line =
            #"{"parentUuid":"x1","isSidechain":false,"type":"assistant","uuid":"x2","timestamp":"2026-01-01T00:00:01Z","requestId":"req_1","toolUseResult":{"agentId":"a1"},"attachment":{"type":"date"},"message":{"id":"msg_1","role":"assistant","model":"claude-opus-4-1","content":[{"type":"text","text":"hi"},{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}},{"type":"tool_result","tool_use_id":"toolu_1","is_error":false,"content":"x"}],"usage":{"input_tokens":1,"output_tokens":2,"cache_creation":{"ephemeral_5m_input_tokens":3}}},"isMeta":null}"#
        let bytes = Array(line.utf8)
        let replacements: [UInt8] = [0x22, 0x5C, 0x7D, 0x5D, 0x2C, 0x3A, 0x6E, 0x31, 0x2E, 0x20, 0xC3, 0x00]
        var walkedVariants = 0
        for end in 0...bytes.count {
            bytes[..<end].withUnsafeBytes { cut in
                #expect(UsageLine.disagreement(cut) == nil, "cut at \(end)")
            }
        }
        for at in bytes.indices {
            for byte in replacements where byte != bytes[at] {
                var changed = bytes
                changed[at] = byte
                changed.withUnsafeBytes { variant in
                    var ids: [ByteSpan] = []
                    if UsageLine.walk(variant, toolUseIDs: &ids) != nil { walkedVariants += 1 }
                    #expect(UsageLine.disagreement(variant) == nil, "byte \(at) set to \(byte)")
                }
            }
        }
        #expect(walkedVariants > 100)
    }
}
