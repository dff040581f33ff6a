import Foundation
import Testing

@testable import PlanScribe

/// `planscribe run` killed outright (kill -9) at many points, then resumed: the record is
/// always readable, nothing is lost or counted twice, and a CLI left running is ended.
@Suite(.serialized)
struct RunCrashTests {
    /// A stand-in for the CLI: a first turn asks a question, a reply (`--resume`) ends the
    /// phase; the session's cumulative cost is $0.01 after the first turn and $0.03 after the
    /// reply. It appends `start` when it begins and `end` just before it exits to `calls.log`
    /// beside it, so a test can see how far a run has got. When the file `hang-once` is beside
    /// it, it removes it and hangs.
    static let fakeCLI = """
        #!/bin/bash
        dir=$(dirname "$0")
        session=""
        prev=""
        for arg in "$@"; do
          [ "$prev" = "--resume" ] && session="$arg"
          prev="$arg"
        done
        if [ -z "$session" ]; then
          session="s-$$-$RANDOM"; text='Which users?\\nPHASE_STATUS: needs_input'; cost=0.01
        else
          text='Done.\\nPHASE_STATUS: ready_to_advance'; cost=0.03
        fi
        echo start >> "$dir/calls.log"
        echo "{\\"type\\":\\"system\\",\\"subtype\\":\\"init\\",\\"session_id\\":\\"$session\\"}"
        if [ -f "$dir/hang-once" ]; then rm -f "$dir/hang-once"; exec sleep 300; fi
        sleep 0.0$((RANDOM % 10))
        echo "{\\"type\\":\\"result\\",\\"subtype\\":\\"success\\",\\"is_error\\":false,\\"result\\":\\"$text\\",\\"session_id\\":\\"$session\\",\\"total_cost_usd\\":$cost}"
        echo end >> "$dir/calls.log"
        """

    struct Setup: ~Copyable {
        let scratch = ScratchFolder()
        var plan: String { scratch.path + "/plan.yaml" }
        var runFolder: String { scratch.path + "/out/run" }

        init() throws {
            let cli = scratch.write("bin/claude", lines: [RunCrashTests.fakeCLI])
            #expect(chmod(cli, 0o755) == 0)
            _ = scratch.write("prompt.md", lines: ["Plan {slug}; end with PHASE_STATUS."])
            _ = scratch.write(
                "plan.yaml",
                lines: [
                    "slug: crash-app", "description: An app", "workspace: \(scratch.path)", "system_prompt: prompt.md",
                    "phases:",
                    "  - {name: /office-hours, replies: [Teams.]}",
                    "  - {name: /plan-ceo-review, replies: [Yes.]}",
                    "  - {name: /plan-eng-review, replies: [Go.]}",
                    "  - {name: /plan-design-review, replies: [Fine.]}",
                ])
        }

        func start(_ extra: [String] = []) throws -> Process {
            var env = ProcessInfo.processInfo.environment
            env["CLAUDE_CONFIG_DIR"] = scratch.path + "/claude-config"
            env["CI"] = "true"
            return try CLITests.launch(
                ["run", plan, "--claude", scratch.path + "/bin/claude", "--output", scratch.path + "/out"] + extra,
                environment: env, directory: scratch.path, stderrFile: scratch.path + "/stderr.txt")
        }

        /// How many times the fake CLI has started or ended.
        var callEvents: Int {
            let log = (try? String(contentsOfFile: scratch.path + "/bin/calls.log", encoding: .utf8)) ?? ""
            return log.split(separator: "\n").count
        }

        /// Waits until the fake CLI has started or ended `count` times in all; false when the
        /// run ended first.
        func waitForCallEvents(_ count: Int, while process: Process) async -> Bool {
            while callEvents < count {
                if !process.isRunning { return false }
                try? await Task.sleep(for: .milliseconds(2))
            }
            return true
        }

        var stderr: String { (try? String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)) ?? "" }

        /// The state and every invocation line, decoded strictly: a half-written file fails.
        /// `justKilled`: the run was killed a moment ago, and may have been cut in the middle
        /// of writing a record, after its last whole line (which the next run cuts off).
        func checkRecordIsWhole(after kill: Int, justKilled: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws -> RunState? {
            guard let data = FileManager.default.contents(atPath: runFolder + "/state.json") else { return nil }
            let state = try JSONDecoder().decode(RunState.self, from: data)
            let text = (try? String(contentsOfFile: runFolder + "/invocations.jsonl", encoding: .utf8)) ?? ""
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last?.isEmpty == true { lines.removeLast() }
            if !text.isEmpty && !text.hasSuffix("\n") {
                #expect(justKilled, "kill \(kill): invocations.jsonl ends in a line without its newline", sourceLocation: sourceLocation)
                lines.removeLast()
            }
            for line in lines {
                #expect(throws: Never.self, "kill \(kill): invocation line \(line)", sourceLocation: sourceLocation) {
                    try JSONDecoder().decode(InvocationRecord.self, from: Data(line.utf8))
                }
            }
            return state
        }
    }

    @Test func killedAtManyPointsAndResumedEveryPhaseIsDoneAndCountedOnce() async throws {
        let setup = try Setup()
        var rng = SplitMix(seed: UInt64(ProcessInfo.processInfo.environment["PLANSCRIBE_KILL_SEED"] ?? "") ?? 20261125)
        // The kills fall at points the run is seen to reach, not at guessed times: each waits
        // for the fake CLI to start or end one of the next invocations (its `calls.log`), then
        // a few milliseconds more, so that it lands in the CLI's turn or in planscribe's
        // handling of its result. A fresh run is still there at each of those points however
        // slow the machine is, so every cycle kills at least once.
        // A whole run is 4 phases of 2 invocations: 16 events.
        let eventsInARun = 16
        var kills = 0
        var cycles = 0
        var states: Set<String> = []
        while kills < 25 && cycles < 40 {
            // A cycle: a fresh run, killed and resumed until it finishes by itself.
            cycles += 1
            var arguments = ["--restart"]
            while true {
                let process = try setup.start(arguments)
                defer {
                    // Killed before its first state was saved, a run has nothing to resume.
                    arguments = FileManager.default.fileExists(atPath: setup.runFolder + "/state.json") ? ["--resume"] : ["--restart"]
                }
                // One of the next 15 events: a fresh run always reaches it alive (it has 16);
                // a resumed run with fewer left may finish first, and is then not killed.
                let seen = setup.callEvents
                let target = seen + 1 + Int(rng.next() % UInt64(eventsInARun - 1))
                let reached = await setup.waitForCallEvents(target, while: process)
                try await Task.sleep(for: .milliseconds(Int(rng.next() % 20)))
                if reached && process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    kills += 1
                    if let state = try setup.checkRecordIsWhole(after: kills, justKilled: true) {
                        states.insert(state.phases.map { "\($0.status.rawValue)/\($0.next?.kind.rawValue ?? "-")" }.joined(separator: " "))
                    }
                    continue
                }
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "cycle \(cycles): \(setup.stderr)")
                break
            }
            let state = try #require(try setup.checkRecordIsWhole(after: kills))
            #expect(state.status == .finished)
            #expect(state.phases.map(\.status) == [.done, .done, .done, .done], "cycle \(cycles)")
            // Each phase costs what its final session reported, however often it was cut short.
            for phase in state.phases {
                #expect(USD(phase.costUSD) == USD(0.03), "cycle \(cycles): \(phase.name)")
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: setup.runFolder).filter { $0.contains(".tmp-") || $0 == "child" }
            #expect(leftovers.isEmpty, "cycle \(cycles)")
        }
        #expect(kills >= 25)
        // The kills fell at many different points of the run.
        #expect(states.count >= 5, "\(states.sorted())")
    }

    /// Both ways of going on after a crash end the CLI the dead run left running: --resume
    /// before it continues, --restart before it wipes the folder the CLI writes into.
    @Test(arguments: ["--resume", "--restart"])
    func aCLILeftRunningByAKilledRunIsEndedOnResume(_ flag: String) async throws {
        let setup = try Setup()
        _ = setup.scratch.write("bin/hang-once", lines: [""])
        let process = try setup.start()
        var child: pid_t?
        // Polls until the CLI hangs (a bound of a minute, so a broken run fails instead of hanging).
        for _ in 0..<1200 {
            if let text = try? String(contentsOfFile: setup.runFolder + "/child", encoding: .utf8), let pid = pid_t(text.split(separator: " ")[0]) {
                child = pid
                if !FileManager.default.fileExists(atPath: setup.scratch.path + "/bin/hang-once") { break }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let orphan = try #require(child)
        try await Task.sleep(for: .milliseconds(200))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // planscribe is gone; the CLI it started (its own session) still runs.
        #expect(RunRecord.startTime(of: orphan) != nil)

        let resumed = try setup.start([flag])
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 0, "\(setup.stderr)")
        #expect(setup.stderr.contains("planscribe: ended the Claude Code CLI (pid \(orphan)) that the interrupted run had left running"))
        #expect(RunRecord.startTime(of: orphan) == nil)
        let state = try #require(try setup.checkRecordIsWhole(after: 1))
        #expect(state.phases.map(\.status) == [.done, .done, .done, .done])
    }

    /// A record cut in the middle by a kill (SIGKILL may cut a write where it crosses a page)
    /// is cut off when the folder is next opened, so that the next record is a line of its
    /// own; the whole lines before it stay.
    @Test(arguments: [0, 1, 70_000])
    func aRecordCutByAKillIsCutOffAndTheNextOneIsWhole(tornBytes: Int) throws {
        let scratch = ScratchFolder()
        let folder = scratch.path + "/run"
        func invocation(_ index: Int) -> InvocationRecord {
            InvocationRecord(
                index: index, phase: "/office-hours", kind: .start, replyIndex: nil, question: nil, argv: ["claude", "-p"], startedAt: "2026-12-04T10:00:00Z",
                durationMs: 5, exitCode: 0, signal: nil, timedOut: false, interrupted: false, subtype: "success", isError: false, sessionID: "s",
                usage: nil, costUSD: 0.01, sessionTotalUSD: 0.01, marker: nil, failure: nil, apiRetries: 0, streamFile: "stream/\(index).jsonl")
        }
        do {
            let record = try RunRecord(folder: folder)
            try record.append(invocation(1))
            try record.append(invocation(2))
        }
        let whole = try #require(FileManager.default.contents(atPath: folder + "/invocations.jsonl"))
        // What a killed write leaves: the start of a record, without its newline.
        let torn = Data("{\"phase\":\"x".utf8) + Data(repeating: 0x61, count: tornBytes)
        #expect(FileManager.default.createFile(atPath: folder + "/invocations.jsonl", contents: whole + (tornBytes == 0 ? Data() : torn)))
        let record = try RunRecord(folder: folder)
        #expect(FileManager.default.contents(atPath: folder + "/invocations.jsonl") == whole)
        try record.append(invocation(3))
        #expect(record.loadInvocations().map(\.index) == [1, 2, 3])
    }

    /// A run folder that cannot be made says why.
    @Test func aRunFolderThatCannotBeMadeSaysWhy() throws {
        let scratch = ScratchFolder()
        let file = scratch.write("plain-file", lines: ["x"])
        #expect(throws: RunRecordError.io(path: file + "/out/run", reason: "cannot create the run folder: \(file) is a file, not a folder")) {
            _ = try RunRecord(folder: file + "/out/run")
        }
    }

    @Test func aRecordedPidThatIsNowAnotherProcessIsLeftAlone() throws {
        let scratch = ScratchFolder()
        let record = try RunRecord(folder: scratch.path + "/run")
        // This test process, with a start time that is not its own.
        let mine = try #require(RunRecord.startTime(of: getpid()))
        try Data("\(getpid()) \(mine + 1)\n".utf8).write(to: URL(fileURLWithPath: scratch.path + "/run/child"))
        #expect(record.endOrphanedChild() == nil)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/run/child"))
    }
}

/// A small seeded generator, so that a failing kill sequence can be replayed
/// (`PLANSCRIBE_KILL_SEED`).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
