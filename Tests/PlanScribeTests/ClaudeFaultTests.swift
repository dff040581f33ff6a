import Foundation
import Testing

@testable import PlanScribe

/// The CLI misbehaving, played by small scripts.
struct ClaudeFaultTests {
    static func script(_ scratch: borrowing ScratchFolder, _ body: String) throws -> String {
        let path = scratch.write("claude", lines: ["#!/bin/bash", body])
        chmod(path, 0o755)
        return path
    }

    static func processes(matching marker: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let cmdline = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return cmdline.contains(marker) ? pid : nil
        }
    }

    @Test func aHangIsEndedWithItsWholeProcessGroup() async throws {
        let scratch = ScratchFolder()
        let marker = "planscribe-orphan-\(UUID().uuidString.prefix(8))"
        let claude = try Self.script(
            scratch,
            """
            echo '{"type":"system","subtype":"init","session_id":"hang-1"}'
            bash -c 'exec -a \(marker) sleep 300' &
            sleep 300
            """)
        let started = ContinuousClock.now
        let outcome = try await ClaudeProcess(binary: claude, environment: ProcessInfo.processInfo.environment)
            .run(arguments: [], workingDirectory: scratch.path, timeout: .seconds(1), rawOutput: scratch.path + "/raw.jsonl") { _ in }
        // The timeout ended it, not the script's 300 s: the bound is far from both, so a loaded
        // machine (a first CI build beside the tests) cannot cross it.
        #expect(ContinuousClock.now - started < .seconds(150))
        #expect(outcome.timedOut)
        #expect(outcome.sessionID == "hang-1")
        #expect(outcome.failure == "timed out")
        // The killed group's processes go once the kernel has reaped them: watch for that.
        var left = Self.processes(matching: marker)
        for _ in 0..<300 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            left = Self.processes(matching: marker)
        }
        #expect(left == [], "a child of the CLI outlived the timeout")
        #expect(try String(contentsOfFile: scratch.path + "/raw.jsonl", encoding: .utf8) == "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"hang-1\"}\n")
    }

    @Test func exitOneWithAMessageOnStderr() async throws {
        let scratch = ScratchFolder()
        let claude = try Self.script(scratch, "echo 'Error: Invalid API key · Fix external API key' >&2\nexit 1")
        let outcome = try await ClaudeProcess(binary: claude, environment: [:]).run(arguments: [], workingDirectory: scratch.path, timeout: .seconds(30), rawOutput: nil) { _ in }
        #expect(outcome.exitCode == 1)
        #expect(outcome.failure == "the CLI exited with code 1 without a result: Error: Invalid API key · Fix external API key")
    }

    @Test func garbageBeforeAValidResult() async throws {
        let scratch = ScratchFolder()
        let claude = try Self.script(
            scratch,
            """
            echo 'Debugger listening on ws://x'
            printf '\\xff\\xfe not utf8\\n'
            echo '{"type":"result","subtype":"success","is_error":false,"result":"Done.\\nPHASE_STATUS: ready_to_advance","session_id":"g1","total_cost_usd":0.5}'
            """)
        let outcome = try await ClaudeProcess(binary: claude, environment: [:]).run(arguments: [], workingDirectory: scratch.path, timeout: .seconds(30), rawOutput: nil) { _ in }
        #expect(outcome.failure == nil)
        #expect(outcome.result?.totalCostUSD == 0.5)
        #expect(outcome.finalText.flatMap(PhaseMarker.status(of:)) == .readyToAdvance)
        #expect(outcome.badLines.count == 2)
        #expect(outcome.badLines[1].hasPrefix("invalid UTF-8 at byte 1"))
    }

    /// The stream copy in `run/stream/` is what CI uploads: a key and a password in a turn are
    /// redacted there, each line stays valid JSON, lines without secrets stay as they were, and
    /// a cut-off last line is kept (redacted); with redaction off the copy is byte for byte.
    @Test func streamCopiesAreRedacted() async throws {
        let scratch = ScratchFolder()
        let key = "sk-ant-api03-" + String(repeating: "Ab9", count: 12)
        let lines = [
            #"{"type":"system","subtype":"init","session_id":"r1"}"#,
            #"{"type":"assistant","message":{"content":[{"type":"text","text":"use \#(key) and password=hunter22 \"quoted\""}]}}"#,
            #"{"type":"result","subtype":"success","is_error":false,"result":"Done.\nPHASE_STATUS: ready_to_advance","session_id":"r1","total_cost_usd":0.5}"#,
        ]
        let cut = #"{"type":"assistant","text":"token=abcdefgh"#
        _ = scratch.write("out.txt", lines: lines, trailingNewline: true)
        _ = scratch.write("cut.txt", lines: [cut], trailingNewline: false)
        let claude = try Self.script(scratch, "cat '\(scratch.path)/out.txt' '\(scratch.path)/cut.txt'")
        let raw = scratch.path + "/raw.jsonl"
        let outcome = try await ClaudeProcess(binary: claude, environment: [:]).run(arguments: [], workingDirectory: scratch.path, timeout: .seconds(30), rawOutput: raw) { _ in }
        #expect(outcome.result?.totalCostUSD == 0.5)
        let copy = try String(contentsOfFile: raw, encoding: .utf8)
        #expect(!copy.contains(key) && !copy.contains("hunter22") && !copy.contains("abcdefgh"))
        let copied = copy.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(copied.count == 4)
        #expect(copied[0] == lines[0] && copied[2] == lines[2])
        let redacted = try #require(try JSONSerialization.jsonObject(with: Data(copied[1].utf8)) as? [String: Any])
        let text = ((redacted["message"] as? [String: Any])?["content"] as? [[String: Any]])?.first?["text"] as? String
        #expect(text == #"use [REDACTED] and [REDACTED] "quoted""#)
        #expect(copied[3] == #"{"type":"assistant","text":"[REDACTED]"#)

        var plain = ClaudeProcess(binary: claude, environment: [:])
        plain.redactsRawOutput = false
        _ = try await plain.run(arguments: [], workingDirectory: scratch.path, timeout: .seconds(30), rawOutput: raw) { _ in }
        #expect(try String(contentsOfFile: raw, encoding: .utf8) == lines.joined(separator: "\n") + "\n" + cut)
    }

    /// `--isolate --output /abs/dir` puts the CLI's config folder in that folder's `run/`, not
    /// under the current folder, whatever the current folder is.
    @Test func anIsolatedRunKeepsItsConfigInAnAbsoluteOutputFolder() throws {
        let scratch = ScratchFolder()
        let plan = EndToEndTests.writePlan(in: scratch)
        let seen = scratch.path + "/config-dir.txt"
        let claude = try Self.script(
            scratch,
            """
            echo "$CLAUDE_CONFIG_DIR" >> '\(seen)'
            echo '{"type":"system","subtype":"init","session_id":"iso-1"}'
            echo '{"type":"result","subtype":"success","is_error":false,"result":"Done.\\nPHASE_STATUS: ready_to_advance","session_id":"iso-1","total_cost_usd":0.01}'
            """)
        try FileManager.default.createDirectory(atPath: scratch.path + "/elsewhere", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: scratch.path + "/.claude/skills/office-hours", withIntermediateDirectories: true)
        // Without credentials an isolated CLI cannot log in: refused before anything runs.
        let refused = try CLITests.launch(
            ["run", plan, "--isolate", "--claude", claude, "--output", scratch.path + "/refused"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": scratch.path, "CI": "true"], directory: scratch.path + "/elsewhere",
            stderrFile: scratch.path + "/stderr.txt")
        refused.waitUntilExit()
        #expect(refused.terminationStatus == 1)
        #expect(
            try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8).contains("--isolate gives the CLI a config folder of its own, where it is not logged in: set ANTHROPIC_API_KEY"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/refused"))
        let process = try CLITests.launch(
            ["run", plan, "--isolate", "--claude", claude, "--output", scratch.path + "/out"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": scratch.path, "CI": "true", "ANTHROPIC_API_KEY": "sk-test"], directory: scratch.path + "/elsewhere",
            stderrFile: scratch.path + "/stderr.txt")
        process.waitUntilExit()
        // The user's skills are linked into the isolated folder, so that they load there.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scratch.path + "/out/run/claude-config/skills") == scratch.path + "/.claude/skills")
        let stderr = try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(stderr)")
        let dirs = Set(try String(contentsOfFile: seen, encoding: .utf8).split(separator: "\n").map(String.init))
        #expect(dirs == [scratch.path + "/out/run/claude-config"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/elsewhere").isEmpty)
    }

    /// A finished run is never replaced by a plain run (its record and report stay); --restart
    /// replaces it; --resume with nothing recorded says so and leaves no folder behind.
    @Test func aFinishedRunIsNotReplacedUnasked() throws {
        let scratch = ScratchFolder()
        let plan = EndToEndTests.writePlan(in: scratch)
        let claude = try Self.script(
            scratch,
            """
            echo '{"type":"system","subtype":"init","session_id":"fin-1"}'
            echo '{"type":"result","subtype":"success","is_error":false,"result":"Done.\\nPHASE_STATUS: ready_to_advance","session_id":"fin-1","total_cost_usd":0.01}'
            """)
        func run(_ extra: [String], output: String = scratch.path + "/out") throws -> (Int32, String) {
            let process = try CLITests.launch(
                ["run", plan, "--claude", claude, "--output", output] + extra, environment: ["PATH": "/usr/bin:/bin", "HOME": scratch.path, "CI": "true"],
                directory: scratch.path, stderrFile: scratch.path + "/stderr.txt")
            process.waitUntilExit()
            return (process.terminationStatus, try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8))
        }
        #expect(try run([]).0 == 0)
        let invocations = try String(contentsOfFile: scratch.path + "/out/run/invocations.jsonl", encoding: .utf8)
        #expect(invocations.split(separator: "\n").count == 4)
        let again = try run([])
        #expect(again.0 == 2)
        #expect(again.1.contains("holds a finished run of this plan, which a new run would replace: start over with --restart, or choose another --output"))
        #expect(try String(contentsOfFile: scratch.path + "/out/run/invocations.jsonl", encoding: .utf8) == invocations)
        #expect(try run(["--restart"]).0 == 0)
        let nothing = try run(["--resume"], output: scratch.path + "/none")
        #expect(nothing.0 == 2)
        #expect(nothing.1.contains("nothing to resume: \(scratch.path)/none/run holds no saved run"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/none"))
    }

    /// A relative --claude is found from the current folder (not the workspace the CLI runs
    /// in); a system prompt far over the argument size limit goes by file; a CLI that cannot
    /// start is recorded as a failed phase with the reason, so the run is not left "running".
    @Test func theCLIIsFoundFromHereTakesAHugePromptAndACLIThatCannotStartIsRecorded() throws {
        let scratch = ScratchFolder()
        let huge = String(repeating: "Plan {slug} carefully. ", count: 150_000)  // 3.4 MB
        _ = scratch.write("prompt.md", lines: [huge])
        try FileManager.default.createDirectory(atPath: scratch.path + "/workspace", withIntermediateDirectories: true)
        let plan = scratch.write(
            "plan.yaml",
            lines: [
                "slug: big", "description: d", "workspace: \(scratch.path)/workspace", "system_prompt: prompt.md", "phases: [office-hours]",
            ])
        _ = try Self.script(
            scratch,
            """
            for ((i = 1; i <= $#; i++)); do
              if [ "${!i}" = --system-prompt-file ]; then j=$((i + 1)); wc -c < "${!j}" > '\(scratch.path)/prompt-size.txt'; fi
            done
            echo '{"type":"system","subtype":"init","session_id":"big-1"}'
            echo '{"type":"result","subtype":"success","is_error":false,"result":"Done.\\nPHASE_STATUS: ready_to_advance","session_id":"big-1","total_cost_usd":0.01}'
            """)
        func run(_ claude: String, output: String) throws -> (Int32, String) {
            let process = try CLITests.launch(
                ["run", plan, "--claude", claude, "--output", output], environment: ["PATH": "/usr/bin:/bin", "HOME": scratch.path, "CI": "true"],
                directory: scratch.path, stderrFile: scratch.path + "/stderr.txt")
            process.waitUntilExit()
            return (process.terminationStatus, try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8))
        }
        let ok = try run("./claude", output: "out")
        #expect(ok.0 == 0, "\(ok.1)")
        let size = try String(contentsOfFile: scratch.path + "/prompt-size.txt", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int(size) == huge.replacingOccurrences(of: "{slug}", with: "big").utf8.count + 1)

        let broken = scratch.write("broken-claude", lines: ["#!/nonexistent/interpreter", "exit 0"])
        chmod(broken, 0o755)
        let failed = try run(broken, output: "failed")
        #expect(failed.0 == 1)
        #expect(failed.1.contains("cannot start \(broken)"), "\(failed.1)")
        let state = try #require(try RunRecord(folder: scratch.path + "/failed/run").loadState())
        #expect(state.status == .finished)
        #expect(state.phases.map(\.status) == [.failed])
        #expect(state.phases[0].reason?.hasPrefix("cannot start \(broken)") == true)
    }

    /// `--resume` goes on with the settings the run recorded (the CLI binary, the isolated
    /// config folder, --keep-going), and refuses flags that contradict them.
    @Test func resumeKeepsTheRunsOwnSettings() throws {
        let scratch = ScratchFolder()
        let plan = scratch.write(
            "plan.yaml",
            lines: [
                "slug: keep", "description: d", "workspace: \(scratch.path)", "phases: [office-hours, plan-ceo-review]",
            ])
        let log = scratch.path + "/calls.log"
        _ = try Self.script(
            scratch,
            """
            echo "$0 $CLAUDE_CONFIG_DIR" >> '\(log)'
            if [[ "$*" == *office-hours* ]]; then marker=needs_input; else marker=ready_to_advance; fi
            echo '{"type":"system","subtype":"init","session_id":"keep-1"}'
            echo '{"type":"result","subtype":"success","is_error":false,"result":"Q?\\nPHASE_STATUS: '$marker'","session_id":"keep-1","total_cost_usd":0.01}'
            """)
        func run(_ arguments: [String]) throws -> (Int32, String) {
            let process = try CLITests.launch(
                ["run", plan, "--output", "out"] + arguments, environment: ["PATH": "/usr/bin:/bin", "HOME": scratch.path, "CI": "true", "ANTHROPIC_API_KEY": "sk-test"],
                directory: scratch.path, stderrFile: scratch.path + "/stderr.txt")
            process.waitUntilExit()
            return (process.terminationStatus, try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8))
        }
        // The first phase stalls (no reply to give), which stops the run, with --keep-going
        // recorded as not given.
        #expect(try run(["--isolate", "--claude", "./claude"]).0 == 3)
        // A plain --resume stops at the stalled phase again; --retry runs it again, with the
        // run's own binary and config folder, and goes on.
        #expect(try run(["--resume"]).0 == 3)
        #expect(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count == 1)
        let resumed = try run(["--resume", "--retry", "--keep-going"])
        #expect(resumed.0 == 3, "\(resumed.1)")
        let calls = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(calls == Array(repeating: "\(scratch.path)/claude \(scratch.path)/out/run/claude-config", count: 3))
        let state = try #require(try RunRecord(folder: scratch.path + "/out/run").loadState())
        #expect(state.phases.map(\.status) == [.stalled, .done])
        #expect(state.settings == RunSettings(claude: scratch.path + "/claude", isolate: true, keepGoing: false, redact: true))
        let conflict = try run(["--resume", "--claude", "/bin/true"])
        #expect(conflict.0 == 2)
        #expect(conflict.1.contains("the run in out/run was started with --claude \(scratch.path)/claude; resume it without that flag"))
    }

    @Test func killedMidStream() async throws {
        let scratch = ScratchFolder()
        let claude = try Self.script(
            scratch,
            """
            echo '{"type":"system","subtype":"init","session_id":"k1"}'
            printf '{"type":"assistant","message":{"content":[{"type":"text","text":"half'
            kill -9 $$
            """)
        let outcome = try await ClaudeProcess(binary: claude, environment: [:]).run(arguments: [], workingDirectory: scratch.path, timeout: .seconds(30), rawOutput: nil) { _ in }
        #expect(outcome.signal == 9)
        #expect(outcome.sessionID == "k1")
        #expect(outcome.badLines == ["last line cut off (invalid JSON: the line ends before the object is closed)"])
        #expect(outcome.failure == "the CLI was killed by signal 9")
    }

    @Test func aMissingCLISaysHowToInstallIt() throws {
        #expect(throws: ClaudeProcessError.notFound("no claude on PATH")) {
            try ClaudeProcess.locate(explicit: nil, environment: ["PATH": "/nonexistent"])
        }
        let message = ClaudeProcessError.notFound("no claude on PATH").description
        #expect(message.contains("npm install -g @anthropic-ai/claude-code"))
        #expect(message.contains("pip install claude-agent-sdk"))
        #expect(throws: ClaudeProcessError.notFound("PLANSCRIBE_CLAUDE=/nope is not an executable")) {
            try ClaudeProcess.locate(explicit: nil, environment: ["PLANSCRIBE_CLAUDE": "/nope"])
        }
        #expect(try ClaudeProcess.locate(explicit: "/bin/sh", environment: [:]) == "/bin/sh")
    }
}
