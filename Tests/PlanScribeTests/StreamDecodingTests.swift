import Foundation
import Testing

@testable import PlanScribe

struct StreamDecodingTests {
    static func outcome(_ file: String) throws -> InvocationOutcome {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixture.path("stream-json/" + file)))
        var splitter = StreamSplitter(onEvent: { _ in }, raw: nil)
        // Feed in small pieces, so lines cross buffer boundaries.
        data.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 37)
                splitter.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                start = end
            }
        }
        splitter.finish()
        return splitter.outcome
    }

    static func spend(_ file: String) throws -> StreamSpend {
        var spend = StreamSpend(prices: .builtIn)
        for line in try String(contentsOfFile: Fixture.path("stream-json/" + file), encoding: .utf8).split(separator: "\n") {
            let bytes = Array(line.utf8)
            if case .success(.assistant(_, _, let call?)) = bytes.withUnsafeBytes({ StreamEventDecoder.decode($0) }) { spend.add(call) }
        }
        return spend
    }

    /// A running invocation's spend, from the real CLI's stream: one call per message id (a
    /// message split into a thinking and a text event counts once), subagents' calls included,
    /// the CLI's synthetic error message not at all. The stream's usage is the message_start
    /// snapshot, so the estimate is the CLI's own total less the output tokens not yet given.
    @Test func aRunningInvocationsSpendIsCountedOncePerCall() throws {
        let split = try Self.spend("03-stream-partial-messages-thinking.jsonl")
        #expect(split.callCount == 1)
        // 1,200 input, 2,000 5-minute cache writes, 3,000 cache reads, 1 output at Sonnet 4.5.
        #expect(split.estimate == USD(picodollars: 12_015_000_000))
        let subagents = try Self.spend("09-stream-subagent-two-results.jsonl")
        #expect(subagents.callCount == 5)
        // The CLI's total: $0.062775 for 5 calls with 185 output tokens; the stream gave 5.
        #expect(subagents.estimate == USD(0.062775) - USD(picodollars: 180 * 15_000_000))
        #expect(subagents.unpricedModels.isEmpty)
        let synthetic = try Self.spend("05b-stream-api-error-400.jsonl")
        #expect(synthetic.callCount == 0)
        #expect(synthetic.estimate == .zero)
    }

    /// The result's `permission_denials` (shape as the real CLI 2.1.332 wrote it for a refused
    /// Write) are read, recorded, and fail the phase when the plan says so.
    @Test func permissionDenialsAreReadAndCanFailThePhase() throws {
        let line =
            ##"{"type":"result","subtype":"success","is_error":false,"result":"probe","session_id":"d1","total_cost_usd":0.00474,"permission_denials":[{"tool_name":"Write","tool_use_id":"toolu_1","tool_input":{"file_path":"/tmp/probe/cwd/notes.md","content":"# Notes\n"}},{"tool_name":"Write","tool_use_id":"toolu_2","tool_input":{}}]}"##
        guard case .success(.result(let result)) = Array(line.utf8).withUnsafeBytes({ StreamEventDecoder.decode($0) }) else {
            Issue.record("not a result")
            return
        }
        #expect(result.permissionDenials == ["Write", "Write"])
        var outcome = InvocationOutcome()
        outcome.exitCode = 0
        outcome.result = result
        outcome.result?.text = "Done.\nPHASE_STATUS: ready_to_advance"
        let strict = try ClaudeCommandTests.plan("claude: { fail_on_permission_denial: true }")
        let runner = PlanRunner(plan: strict, command: ClaudeCommand(plan: strict, promptTemplate: ""), process: ClaudeProcess(binary: "/bin/false", environment: [:]))
        var record = PhaseRecord(name: "/office-hours")
        record.sessionID = "d1"
        #expect(runner.decide(outcome, marker: .readyToAdvance, phase: &record, plan: strict.phases[0]) == nil)
        #expect(record.status == .failed)
        #expect(record.reason == "the CLI refused 2 tool calls for want of permission (Write ×2); fail_on_permission_denial is set")
        let lenient = try ClaudeCommandTests.plan()
        var other = PhaseRecord(name: "/office-hours")
        other.sessionID = "d1"
        let plain = PlanRunner(plan: lenient, command: ClaudeCommand(plan: lenient, promptTemplate: ""), process: ClaudeProcess(binary: "/bin/false", environment: [:]))
        _ = plain.decide(outcome, marker: .readyToAdvance, phase: &other, plan: lenient.phases[0])
        #expect(other.status == .done)
    }

    @Test func errorMaxTurnsStillCarriesTheSession() throws {
        let o = try Self.outcome("04-stream-error-max-turns.jsonl")
        #expect(o.result?.subtype == "error_max_turns")
        #expect(o.result?.isError == true)
        #expect(o.sessionID == "fdc60ad5-5293-4325-baef-030332c888e1")
        #expect(o.result?.errors == ["Reached maximum number of turns (1)"])
        #expect(o.failure == "error_max_turns: Reached maximum number of turns (1)")
    }

    @Test func anAPIErrorIsAFailureDespiteSubtypeSuccess() throws {
        let o = try Self.outcome("05b-stream-api-error-400.jsonl")
        #expect(o.result?.subtype == "success")
        #expect(o.result?.isError == true)
        #expect(o.result?.apiErrorStatus == 400)
        #expect(o.failure == "API error 400: API Error: 400 Mock failure 400")
    }

    @Test func resumedCostIsCumulativeAndTheDifferenceIsTheInvocation() throws {
        let o = try Self.outcome("07-stream-resume-cumulative-cost.jsonl")
        #expect(o.result?.totalCostUSD == 0.037665000000000004)
        #expect(o.result?.costSinceLastResultUSD == 0.012555)
        let timed = PlanRunner.TimedOutcome(base: o, startedAt: "", durationMs: 0, streamFile: "")
        #expect(PlanRunner.reportedCost(timed, previousTotal: 0.02511).usd == USD(picodollars: 12_555_000_000).dollars)
        #expect(PlanRunner.reportedCost(timed, previousTotal: nil).usd == 0.012555)
        #expect(o.failure == nil)
        #expect(o.finalText == "Hello from the mock model. 2+2=4.")
    }

    @Test func theLastOfTwoResultsWins() throws {
        let o = try Self.outcome("09-stream-subagent-two-results.jsonl")
        #expect(o.result?.numTurns == 1)
        #expect(o.result?.totalCostUSD == 0.062775)
        #expect(o.result?.costSinceLastResultUSD == 0)
    }

    @Test func apiRetriesAreCounted() throws {
        let o = try Self.outcome("11-stream-api-error-500-retries.jsonl")
        #expect(o.apiRetries == 2)
        #expect(o.result?.apiErrorStatus == 500)
    }

    @Test func realOutputOfAnOlderCLI() throws {
        let o = try Self.outcome("basic_query.ndjson")
        #expect(o.cliVersion == "2.1.7")
        #expect(o.result?.totalCostUSD == 0.1354875)
        #expect(o.result?.costSinceLastResultUSD == nil)
        #expect(o.badLines.isEmpty)
        let partial = try Self.outcome("03-stream-partial-messages-thinking.jsonl")
        #expect(partial.finalText == "The answer is 4.")
        #expect(partial.badLines.isEmpty)
    }

    @Test func garbageAndACutOffLastLineAreReported() {
        var splitter = StreamSplitter(onEvent: { _ in }, raw: nil)
        let text = "npm WARN something\n{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s1\"}\n[1,2]\n{\"type\":\"result\",\"is_er"
        Array(text.utf8).withUnsafeBytes { splitter.feed($0) }
        splitter.finish()
        #expect(splitter.outcome.sessionID == "s1")
        #expect(
            splitter.outcome.badLines == [
                "invalid JSON at byte 1: npm WARN something",
                "expected a JSON object, found an array: [1,2]",
                "last line cut off (invalid JSON: the line ends before the object is closed)",
            ])
    }
}
