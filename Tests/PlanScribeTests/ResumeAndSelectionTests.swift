import Foundation
import Testing

@testable import PlanScribe

/// Choosing phases and following a run: `--only`, `--from`, the heartbeat in a pipe.
struct RunSelectionTests {
    static func run(_ arguments: [String], scratch: borrowing ScratchFolder) throws -> (Int32, String) {
        let process = try CLITests.launch(
            ["run"] + arguments, environment: ["PATH": "/usr/bin:/bin", "HOME": scratch.path, "CI": "true"],
            directory: scratch.path, stderrFile: scratch.path + "/stderr.txt")
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8))
    }

    /// `--only` runs the phases named inside the recorded run (the others stay as they are),
    /// `--from` a phase and those after it, each from its start; the record keeps every
    /// earlier invocation. A phase the plan does not have is refused, naming the plan's.
    @Test func onlyAndFromRunTheChosenPhasesInsideTheRecordedRun() throws {
        let scratch = ScratchFolder()
        let plan = scratch.write(
            "plan.yaml",
            lines: [
                "slug: pick", "description: d", "workspace: \(scratch.path)", "phases: [office-hours, plan-ceo-review, plan-eng-review]",
            ])
        let log = scratch.path + "/calls.log"
        // The CEO review fails until the file "fixed" exists.
        let claude = try ClaudeFaultTests.script(
            scratch,
            """
            phase="${2%% *}"
            echo "$phase" >> '\(log)'
            echo '{"type":"system","subtype":"init","session_id":"s-'"${phase#/}"'","slash_commands":["office-hours","plan-ceo-review","plan-eng-review"]}'
            if [ "$phase" = /plan-ceo-review ] && [ ! -e '\(scratch.path)/fixed' ]; then
              echo '{"type":"result","subtype":"error_during_execution","is_error":true,"errors":["boom"],"session_id":"s-x","total_cost_usd":0.01}'
              exit 1
            fi
            echo '{"type":"result","subtype":"success","is_error":false,"result":"Done.\\nPHASE_STATUS: ready_to_advance","session_id":"s-'"${phase#/}"'","total_cost_usd":0.01}'
            """)
        let common = [plan, "--claude", claude, "--output", "out"]
        func calls() throws -> [String] { try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init) }
        func statuses() throws -> [PhaseRecord.Status] { try #require(try RunRecord(folder: scratch.path + "/out/run").loadState()).phases.map(\.status) }

        #expect(try Self.run(common, scratch: scratch).0 == 3)
        #expect(try statuses() == [.done, .failed, .pending])
        #expect(try calls() == ["/office-hours", "/plan-ceo-review"])

        let only = try Self.run(common + ["--only", "plan-eng-review"], scratch: scratch)
        #expect(only.0 == 3, "\(only.1)")
        #expect(try statuses() == [.done, .failed, .done])
        #expect(try calls().suffix(1) == ["/plan-eng-review"])

        _ = scratch.write("fixed", lines: [""])
        let from = try Self.run(common + ["--from", "/plan-ceo-review"], scratch: scratch)
        #expect(from.0 == 0, "\(from.1)")
        #expect(try statuses() == [.done, .done, .done])
        #expect(try calls() == ["/office-hours", "/plan-ceo-review", "/plan-eng-review", "/plan-ceo-review", "/plan-eng-review"])
        #expect(try RunRecord(folder: scratch.path + "/out/run").loadInvocations().map(\.phase) == (try calls()))

        let unknown = try Self.run(common + ["--only", "plan-design-review"], scratch: scratch)
        #expect(unknown.0 == 2)
        #expect(unknown.1.contains("--only plan-design-review: the plan has no such phase (its phases: /office-hours, /plan-ceo-review, /plan-eng-review)"))
        let both = try Self.run(common + ["--only", "office-hours", "--from", "office-hours"], scratch: scratch)
        #expect(both.0 == 2)
        #expect(both.1.contains("--only and --from cannot be used together"))
    }

    /// In a pipe, a long invocation prints a heartbeat line: the fake CLI waits until the test
    /// has seen one, so nothing here depends on how fast the machine is.
    @Test func aLongInvocationGetsAHeartbeatInAPipe() async throws {
        let scratch = ScratchFolder()
        let plan = scratch.write("plan.yaml", lines: ["slug: beat", "description: d", "workspace: \(scratch.path)", "phases: [{ name: office-hours, plain: true }]"])
        let release = scratch.path + "/release"
        let claude = try ClaudeFaultTests.script(
            scratch,
            """
            echo '{"type":"system","subtype":"init","session_id":"beat-1"}'
            for _ in $(seq 1 1200); do [ -e '\(release)' ] && break; sleep 0.1; done
            echo '{"type":"result","subtype":"success","is_error":false,"result":"Done.\\nPHASE_STATUS: ready_to_advance","session_id":"beat-1","total_cost_usd":0.01}'
            """)
        let process = try CLITests.launch(
            ["run", plan, "--claude", claude, "--output", "out", "--heartbeat", "1"], environment: ["PATH": "/usr/bin:/bin", "HOME": scratch.path, "CI": "true"],
            directory: scratch.path, stderrFile: scratch.path + "/stderr.txt")
        var seen = false
        for _ in 0..<1200 where !seen {
            seen = (try? String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8))?.contains("(still running)") == true
            if !seen { try await Task.sleep(for: .milliseconds(100)) }
        }
        _ = scratch.write("release", lines: [""])
        process.waitUntilExit()
        let stderr = try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)
        #expect(seen, "\(stderr)")
        #expect(process.terminationStatus == 0)
        let beat = try #require(stderr.split(separator: "\n").first { $0.hasSuffix("(still running)") })
        #expect(beat.hasPrefix("[1/1] /office-hours: first turn … "))
    }
}

/// What a resumed run may not change under its sessions.
struct ResumeChangeTests {
    /// A phase under way keeps the canned replies it started with, and the run its
    /// description: a resume that changes them is refused with what they were and what to
    /// do; a phase that has not started takes the plan as it is now.
    @Test func aResumeThatChangesTheDescriptionOrTheRepliesOfAPhaseUnderWayIsRefused() async throws {
        let scratch = ScratchFolder()
        func writePlan(description: String, replies: String) -> String {
            scratch.write(
                "plan.yaml",
                lines: [
                    "slug: change", "description: \(description)", "workspace: \(scratch.path)",
                    "phases:", "  - { name: office-hours, plain: true, replies: \(replies) }", "  - { name: plan-ceo-review, plain: true, replies: [later] }",
                ])
        }
        let plan = writePlan(description: "A todo app", replies: "[Teams.]")
        let hold = scratch.path + "/hold"
        _ = scratch.write("hold", lines: [""])
        // The first turn asks; the reply hangs while the file "hold" exists.
        let claude = try ClaudeFaultTests.script(
            scratch,
            """
            echo '{"type":"system","subtype":"init","session_id":"chg-1"}'
            if [ "$3" = --resume ]; then
              while [ -e '\(hold)' ]; do sleep 0.1; done
              echo '{"type":"result","subtype":"success","is_error":false,"result":"Done.\\nPHASE_STATUS: ready_to_advance","session_id":"chg-1","total_cost_usd":0.02}'
            else
              echo '{"type":"result","subtype":"success","is_error":false,"result":"Who?\\nPHASE_STATUS: needs_input","session_id":"chg-1","total_cost_usd":0.01}'
            fi
            """)
        let env = ["PATH": "/usr/bin:/bin", "HOME": scratch.path, "CI": "true"]
        let process = try CLITests.launch(["run", plan, "--claude", claude, "--output", "out"], environment: env, directory: scratch.path, stderrFile: scratch.path + "/stderr.txt")
        let replyStream = scratch.path + "/out/run/stream/002-office-hours-reply.jsonl"
        for _ in 0..<600 where !FileManager.default.fileExists(atPath: replyStream) { try await Task.sleep(for: .milliseconds(50)) }
        kill(process.processIdentifier, SIGINT)
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(process.terminationStatus == 130)
        try FileManager.default.removeItem(atPath: hold)

        func resume() throws -> (Int32, String) { try RunSelectionTests.run([plan, "--claude", claude, "--output", "out", "--resume"], scratch: scratch) }
        _ = writePlan(description: "A chat app", replies: "[Teams.]")
        let described = try resume()
        #expect(described.0 == 2)
        #expect(described.1.contains("the plan changed since the run started (its description was “A todo app”, and every phase's first prompt holds it): start over with --restart"), "\(described.1)")
        _ = writePlan(description: "A todo app", replies: "[Small teams.]")
        let replied = try resume()
        #expect(replied.0 == 2)
        #expect(
            replied.1.contains(
                "the canned replies of /office-hours changed while it was under way (they were: “Teams.”): run it again from its start with --only /office-hours, or start over with --restart"),
            "\(replied.1)")
        // As it was: the run goes on.
        _ = writePlan(description: "A todo app", replies: "[Teams.]")
        let ok = try resume()
        #expect(ok.0 == 0, "\(ok.1)")
        let state = try #require(try RunRecord(folder: scratch.path + "/out/run").loadState())
        #expect(state.phases.map(\.status) == [.done, .done])
        #expect(state.phases.map(\.replies) == [["Teams."], ["later"]])
    }
}
