import Foundation
import Testing

@testable import PlanScribe

/// The runner end to end: the real Claude Code CLI against a scripted model on loopback.
@Suite(.serialized, .enabled(if: RealCLI.path != nil, RealCLI.missingReason))
struct EndToEndTests {
    static let prompt = "You plan {slug} ({description}); phase {phase}. End every turn with PHASE_STATUS: ready_to_advance or PHASE_STATUS: needs_input. {not a placeholder}"

    /// Three phases: office hours (thinking, a `when` reply, a Write call), a CEO review that
    /// runs out of turns, is retried, slips (no marker) and is nudged, and an eng review whose
    /// API call fails; the design review never runs.
    static func scenario(_ request: ScriptedModelServer.Request) -> ScriptedModelServer.Answer {
        let first = request.firstUserText
        let replies = request.externalMessages.count
        let usage = ScriptedModelServer.Usage(input: 900 + request.messages.count, output: 30 + 5 * replies, cacheWrite5m: 1000, cacheWrite1h: 200, cacheRead: 2000 * request.messages.count)
        if first.contains("/office-hours") {
            if replies == 0 {
                return .message([.thinking("Start with the users."), .text("Who are the users?\n\nPHASE_STATUS: needs_input")], usage: usage)
            }
            if replies == 1 && !request.lastIsToolResult {
                return .message([.text("Noted; writing it down."), .toolUse(name: "Write", input: ["file_path": "notes.md", "content": "# Notes\n\n- Teams of 3-10\n"])], usage: usage)
            }
            if replies == 1 {
                return .message([.text("Saved notes.md. What is the **budget**?\n\n`PHASE_STATUS: needs_input`")], usage: usage)
            }
            return .message([.text("| Decision | Value |\n|---|---|\n| Budget | $50 |\n\n**PHASE_STATUS: ready_to_advance**")], usage: usage)
        }
        if first.contains("/plan-ceo-review") {
            // After running out of turns, the CLI sends the pending tool result and the retry
            // message together: look at the last message's text.
            let last = request.messages.last.map { ScriptedModelServer.Request.texts($0).joined(separator: "\n") } ?? ""
            if last.contains("did not end with the PHASE_STATUS") {
                return .message([.text("CEO review done.\n\nPHASE_STATUS: ready_to_advance")], usage: usage)
            }
            if last.contains("ran out of turns") {
                return .message([.text("The review is written down.")], usage: usage)
            }
            return .message([.toolUse(name: "Bash", input: ["command": "echo checking", "description": "Check something"])], usage: usage)
        }
        if first.contains("/plan-eng-review") {
            return .httpError(400)
        }
        return .message([.text("Done.\nPHASE_STATUS: ready_to_advance")], usage: usage)
    }

    static func writePlan(in scratch: borrowing ScratchFolder, extra: String = "") -> String {
        _ = scratch.write("prompt.md", lines: [prompt])
        try! FileManager.default.createDirectory(atPath: scratch.path + "/workspace", withIntermediateDirectories: true)
        return scratch.write(
            "plan.yaml",
            lines: [
                "slug: e2e-app",
                "description: A shared todo app",
                "workspace: \(scratch.path)/workspace",
                "system_prompt: prompt.md",
                "phases:",
                // The scripted model plays the phases: no skills are installed, so each phase is
                // sent as a plain prompt.
                "  - name: /office-hours",
                "    plain: true",
                "    replies:",
                "      - \"Teams of 3-10.\"",
                "      - when: \"(?i)budget\"",
                "        reply: \"Fifty dollars.\"",
                "      - \"Never needed.\"",
                "  - { name: /plan-ceo-review, plain: true }",
                "  - { name: /plan-eng-review, plain: true }",
                "  - { name: /plan-design-review, plain: true }",
                "claude:",
                "  max_turns: 2",
                "  retry_max_turns: 4",
                "  timeout_s: 120",
                "  permission_mode: acceptEdits",
                "  add_dirs: [\(scratch.path)/workspace, \(scratch.path)/missing]",
            ] + (extra.isEmpty ? [] : [extra]))
    }

    /// Starts planscribe, and unless told otherwise waits for it without holding a thread:
    /// the scripted server runs on the same few threads (two on a two-core machine), and a
    /// blocking wait in two tests at once would leave it none.
    static func run(_ arguments: [String], port: UInt16, scratch: borrowing ScratchFolder, wait: Bool = true) async throws -> Process {
        var env = RealCLI.environment(port: port, configDir: scratch.path + "/claude-config")
        env["CI"] = "true"
        let process = try CLITests.launch(
            arguments + ["--claude", RealCLI.path!, "--output", scratch.path + "/out"], environment: env,
            directory: scratch.path, stderrFile: scratch.path + "/stderr.txt")
        if wait { await exit(of: process) }
        return process
    }

    /// Waits for a process to end, yielding its thread between looks.
    static func exit(of process: Process) async {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        process.waitUntilExit()  // it has ended: this only collects its status
    }

    @Test func aPlanRunsThroughTheRealCLI() async throws {
        let server = try await ScriptedModelServer(scenario: Self.scenario)
        defer { Task { await server.stop() } }
        let scratch = ScratchFolder()
        let plan = Self.writePlan(in: scratch)
        let process = try await Self.run(["run", plan], port: server.port, scratch: scratch)
        let stderr = try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)
        #expect(process.terminationStatus == 3, "stderr: \(stderr)")

        let record = try RunRecord(folder: scratch.path + "/out/run")
        let state = try #require(try record.loadState())
        #expect(state.status == .finished)
        #expect(state.phases.map(\.status) == [.done, .done, .failed, .pending], "reasons: \(state.phases.map { $0.reason ?? "" }), stderr: \(stderr)")
        #expect(state.phases[1].retried)
        #expect(state.phases[2].reason?.hasPrefix("API error 400") == true)
        #expect(state.phases[0].usedReplies == [0, 1])

        let invocations = record.loadInvocations()
        try #require(invocations.count == 7)
        #expect(
            invocations.map { "\($0.phase) \($0.kind.rawValue) \($0.replyIndex.map(String.init) ?? "-")" } == [
                "/office-hours start -", "/office-hours reply 0", "/office-hours reply 1",
                "/plan-ceo-review start -", "/plan-ceo-review retry -", "/plan-ceo-review nudge -",
                "/plan-eng-review start -",
            ])
        #expect(invocations[3].subtype == "error_max_turns")
        #expect(invocations[6].isError == true)
        #expect(invocations[2].question?.contains("What is the **budget**?") == true)
        #expect(invocations.allSatisfy { !$0.argv.joined(separator: " ").contains("sk-ant-test") })
        // The rendered prompt: placeholders filled, "{not a placeholder}" kept, the file's newline.
        let rendered =
            Self.prompt.replacingOccurrences(of: "{slug}", with: "e2e-app").replacingOccurrences(of: "{description}", with: "A shared todo app").replacingOccurrences(
                of: "{phase}", with: "/office-hours") + "\n"
        // It goes by file (no argument size limit), kept in the run record.
        let promptFile = scratch.path + "/out/run/prompts/office-hours.md"
        #expect(invocations[0].argv.contains(promptFile))
        #expect(try String(contentsOfFile: promptFile, encoding: .utf8) == rendered)
        #expect(!invocations[0].argv.contains(scratch.path + "/missing"))
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/workspace/notes.md"))

        // Costs: per invocation, the growth of the session's cumulative total; per phase and
        // for the run, they add up to the CLI's own final totals, session by session.
        let ledgerSessions = RunTranscripts.read(state: state, environment: ["CLAUDE_CONFIG_DIR": scratch.path + "/claude-config"])
        #expect(ledgerSessions.count == 3)
        for (i, phase) in state.phases.enumerated() where phase.sessionID != nil {
            let mine = invocations.filter { $0.phase == phase.name }
            let sum = mine.compactMap(\.costUSD).reduce(USD.zero) { $0 + USD($1) }
            let final = try #require(mine.last?.sessionTotalUSD, "phase \(i)")
            #expect(sum == USD(final), "phase \(phase.name)")
            #expect(USD(phase.costUSD) == USD(final))
            if let session = ledgerSessions.first(where: { $0.id == phase.sessionID }), let stateCost = session.reportedCostUSD {
                #expect(USD(stateCost) == USD(final), "transcript cost-state of \(phase.name)")
                // The estimate from the transcript's usage matches the CLI's figure.
                #expect(CostLedger().estimate(session.apiCalls).completeCost == USD(final), "estimate of \(phase.name)")
            }
        }

        // The report.
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out/summary.json"))) as? [String: Any]
        let phases = summary?["phases"] as? [[String: Any]] ?? []
        #expect(phases.map { $0["outcome"] as? String } == ["done", "done", "failed", "not-run"])
        // The run's status and times, and each phase's session, times and denials.
        #expect(summary?["run_status"] as? String == "failed")
        #expect(summary?["run_exit_code"] as? Int == 3)
        #expect(summary?["run_over_budget"] is NSNull)
        #expect(summary?["run_started_at"] as? String == state.startedAt)
        #expect((summary?["run_duration_s"] as? Double).map { $0 >= 0 } == true)
        #expect(phases.map { $0["session_id"] as? String } == state.phases.map(\.sessionID))
        #expect(phases.map { $0["started_at"] as? String } == state.phases.map(\.startedAt))
        #expect(phases.prefix(3).allSatisfy { ($0["duration_s"] as? Double).map { $0 >= 0 } == true })
        #expect(phases.allSatisfy { ($0["permission_denials"] as? [String]) == [] })
        #expect(phases.map { $0["reported_cost_usd"] as? Double } == state.phases.map { $0.invocations > 0 ? USD($0.costUSD).dollars : nil })
        let junit = try String(contentsOfFile: scratch.path + "/out/junit.xml", encoding: .utf8)
        #expect(junit.contains(#"tests="4" failures="1" errors="0" skipped="1""#))
        #expect(junit.contains(#"<skipped message="not run"/>"#))
        let office = HTMLScan(try String(contentsOfFile: scratch.path + "/out/phases/01-office-hours.html", encoding: .utf8))
        #expect(office.text.contains("Fifty dollars."))
        #expect(office.text.contains("notes.md written by the Write tool"))
        #expect(office.text.contains("Canned replies not used: “Never needed.”"))
        #expect(stderr.contains("[2/4] /plan-ceo-review: retry after running out of turns …"))
        // Each question, and the reply chosen for it.
        #expect(stderr.contains("[1/4] /office-hours: asked: Who are the users?\n[1/4] /office-hours: answering with reply 1: Teams of 3-10.\n"), "\(stderr)")
        #expect(stderr.contains("[1/4] /office-hours: answering with reply 2: Fifty dollars.\n"))
        #expect(stderr.contains("[2/4] /plan-ceo-review: asked: The review is written down.\n"))
        #expect(stderr.contains("planscribe: 2 of 4 phases ready"))
    }

    /// Ctrl-C, SIGTERM (a cancelled CI job) and SIGHUP end the CLI, save the run and print how
    /// to resume (exit 128 + the signal); kill -9 is a crash. Either way --resume repeats only
    /// the interrupted invocation.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP, SIGKILL])
    func resumeAfterCtrlCOrACrashRepeatsOnlyTheInterruptedInvocation(signal: Int32) async throws {
        let handled = signal != SIGKILL
        // The CEO review's first call hangs long enough to interrupt it.
        let server = try await ScriptedModelServer { request in
            let answer = Self.scenario(request)
            if request.firstUserText.contains("/plan-ceo-review"), request.externalMessages.isEmpty, !request.lastIsToolResult {
                return .delayed(4, .init(.message([.text("Reviewed.\nPHASE_STATUS: ready_to_advance")], usage: .init(input: 10, output: 5))))
            }
            if request.firstUserText.contains("/plan-eng-review") {
                return .message([.text("Fine.\nPHASE_STATUS: ready_to_advance")], usage: .init(input: 10, output: 5))
            }
            return answer
        }
        defer { Task { await server.stop() } }
        let scratch = ScratchFolder()
        let plan = Self.writePlan(in: scratch)
        let process = try await Self.run(["run", plan], port: server.port, scratch: scratch, wait: false)
        let streamOfCEO = scratch.path + "/out/run/stream/004-plan-ceo-review-start.jsonl"
        for _ in 0..<300 where !FileManager.default.fileExists(atPath: streamOfCEO) { try await Task.sleep(for: .milliseconds(100)) }
        try await Task.sleep(for: .milliseconds(800))
        kill(process.processIdentifier, signal)
        await Self.exit(of: process)
        if handled {
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 128 + signal)
            let stderr = try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)
            #expect(stderr.contains("Continue it with: planscribe run \(plan) --resume --output \(scratch.path)/out"))
            #expect(stderr.contains(" --claude \(RealCLI.path!)"))
            #expect(FileManager.default.fileExists(atPath: scratch.path + "/out/index.html"))
        } else {
            #expect(process.terminationReason == .uncaughtSignal)
        }
        do {
            // The lock died with the process; the state says where the run was.
            let record = try RunRecord(folder: scratch.path + "/out/run")
            let state = try #require(try record.loadState())
            #expect(state.status == (handled ? .interrupted : .running))
            #expect(state.phases.map(\.status) == [.done, .running, .pending, .pending])
            #expect(state.phases[1].next?.kind == .start)
            // Ctrl-C records the interrupted invocation; a crash leaves no line for it.
            #expect(record.loadInvocations().map(\.interrupted) == (handled ? [false, false, false, true] : [false, false, false]))
        }

        let resumed = try await Self.run(["run", plan, "--resume"], port: server.port, scratch: scratch)
        let record = try RunRecord(folder: scratch.path + "/out/run")
        let state = try #require(try record.loadState())
        let invocations = record.loadInvocations()
        // Office hours ran once; only the interrupted CEO start was repeated.
        #expect(
            invocations.map { "\($0.phase) \($0.kind.rawValue)\($0.interrupted ? " (interrupted)" : "")" } == [
                "/office-hours start", "/office-hours reply", "/office-hours reply",
            ] + (handled ? ["/plan-ceo-review start (interrupted)"] : []) + [
                "/plan-ceo-review start", "/plan-eng-review start", "/plan-design-review start",
            ])
        #expect(resumed.terminationStatus == 0)
        #expect(state.phases.map(\.status) == [.done, .done, .done, .done])
        let total = state.phases.reduce(USD.zero) { $0 + USD($1.costUSD) }
        let finals = state.phases.compactMap { p in invocations.last { $0.phase == p.name }?.sessionTotalUSD }.reduce(USD.zero) { $0 + USD($1) }
        #expect(total == finals)
        // The running total goes on from what the run had spent.
        let spent = invocations.prefix(3).compactMap(\.costUSD).reduce(USD.zero) { $0 + USD($1) }
        let resumedErr = try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)
        #expect(resumedErr.contains("planscribe: resuming a run that has spent \(spent.description)\n"), "\(resumedErr)")
    }

    /// With the real CLI: a phase that is an installed skill runs as one (the CLI expands it);
    /// a misspelt phase the CLI did not load is stopped at its `system/init`, before it runs as
    /// plain text, and fails naming where skills are looked for.
    @Test func aPhaseTheCLIDidNotLoadIsStoppedBeforeItRuns() async throws {
        let server = try await ScriptedModelServer { _ in
            .message([.text("Done.\nPHASE_STATUS: ready_to_advance")], usage: .init(input: 10, output: 5))
        }
        defer { Task { await server.stop() } }
        let scratch = ScratchFolder()
        let plan = scratch.write(
            "plan.yaml",
            lines: [
                "slug: skills", "description: A todo app", "workspace: \(scratch.path)/workspace", "phases: [office-hours, office-hourz]",
                "claude: { max_turns: 2, timeout_s: 120 }",
            ])
        _ = scratch.write(
            "workspace/.claude/skills/office-hours/SKILL.md",
            lines: [
                "---", "name: office-hours", "description: Office hours for a product idea.", "---", "Ask about the users.",
            ])
        let process = try await Self.run(["run", plan, "--keep-going"], port: server.port, scratch: scratch)
        #expect(process.terminationStatus == 3)
        let record = try RunRecord(folder: scratch.path + "/out/run")
        let state = try #require(try record.loadState())
        #expect(state.phases.map(\.status) == [.done, .failed])
        let reason = try #require(state.phases[1].reason)
        #expect(reason.hasPrefix("the CLI did not load /office-hourz as a skill or command (it looks in \(scratch.path)/workspace/.claude/skills, "))
        #expect(reason.hasSuffix("install it there, or mark the phase plain: true to send it as a plain prompt"))
        #expect(record.loadInvocations().map(\.phase) == ["/office-hours", "/office-hourz"])
        // The skill ran as one: its body is in the transcript as the CLI's context.
        let sessions = RunTranscripts.read(state: state, environment: RealCLI.environment(port: server.port, configDir: scratch.path + "/claude-config"))
        let office = try #require(sessions.first { $0.id == state.phases[0].sessionID })
        #expect(office.messages.contains { $0.isMeta && $0.text.contains("Ask about the users.") })
    }

    /// A tool call the CLI refused (the default permission mode denies a Write in `-p` mode)
    /// is named on the phase's page, in report.md's phase file, in summary.json and in junit.xml.
    @Test func aRefusedToolCallIsShownWhereCIAndReadersLook() async throws {
        let server = try await ScriptedModelServer { request in
            if !request.lastIsToolResult {
                return .message([.toolUse(name: "Write", input: ["file_path": "plan.md", "content": "# Plan\n"])], usage: .init(input: 100, output: 10))
            }
            return .message([.text("I could not write it.\nPHASE_STATUS: ready_to_advance")], usage: .init(input: 120, output: 12))
        }
        defer { Task { await server.stop() } }
        let scratch = ScratchFolder()
        try FileManager.default.createDirectory(atPath: scratch.path + "/workspace", withIntermediateDirectories: true)
        let plan = scratch.write(
            "plan.yaml",
            lines: [
                "slug: denied", "description: d", "workspace: \(scratch.path)/workspace", "phases: [{ name: /office-hours, plain: true }]",
                "claude: { permission_mode: default }",
            ])
        // The phase is done, so only the `denied` gate fails the run: exit 5.
        let process = try await Self.run(["run", plan, "--fail-on", "denied", "--fail-on", "not-done"], port: server.port, scratch: scratch)
        let stderr = try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)
        #expect(process.terminationStatus == 5, "\(stderr)")
        #expect(stderr.contains("planscribe: gate denied failed for \(scratch.path)/out: 1. /office-hours: Write\n"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/workspace/plan.md"))
        let note = "the CLI refused 1 tool call for want of permission (Write)"
        let page = HTMLScan(try String(contentsOfFile: scratch.path + "/out/phases/01-office-hours.html", encoding: .utf8))
        #expect(page.text.contains(note))
        #expect(try String(contentsOfFile: scratch.path + "/out/phases/01-office-hours.md", encoding: .utf8).contains(note))
        let junit = try String(contentsOfFile: scratch.path + "/out/junit.xml", encoding: .utf8)
        #expect(junit.contains(note))
        #expect(junit.contains(#"<failure type="gate" message="gate denied failed: 1. /office-hours: Write">"#), "\(junit)")
        #expect(junit.contains(#"<testsuite name="planscribe.denied.gates" tests="2" failures="1""#))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out/summary.json"))) as? [String: Any]
        #expect((summary?["phases"] as? [[String: Any]])?.first?["permission_denials"] as? [String] == ["Write"])
        #expect(stderr.contains(" · ready_to_advance · the CLI refused 1 tool call (Write) · total "), "\(stderr)")
    }

    @Test func aSecondRunOnTheSameSlugIsRefused() async throws {
        let scratch = ScratchFolder()
        let plan = Self.writePlan(in: scratch)
        let holder = try RunRecord(folder: scratch.path + "/out/run")
        let process = try await Self.run(["run", plan], port: 9, scratch: scratch)
        #expect(process.terminationStatus == 1)
        let stderr = try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)
        #expect(stderr == "error: another planscribe run is using \(scratch.path)/out/run (its lock is held); wait for it to finish, or stop it first\n")
        _ = holder
    }
}

/// Budgets with the real CLI: a phase that loops (a Bash call on every turn, never a marker)
/// is stopped inside its first invocation once the run's money or the phase's time is spent;
/// the CLI's own figure for the stopped invocation is counted, so the rows add up to the total.
extension EndToEndTests {
    // Within the serialized end-to-end suite: one real CLI run at a time.
    @Suite struct Budgets {
        /// The office hours loop for ever; the CEO review ends at once.
        static func scenario(_ request: ScriptedModelServer.Request) -> ScriptedModelServer.Answer {
            let usage = ScriptedModelServer.Usage(input: 1000, output: 100, cacheWrite5m: 4000, cacheRead: 20000)
            if request.firstUserText.contains("/office-hours") {
                return .message([.toolUse(name: "Bash", input: ["command": "true", "description": "Check again"])], usage: usage)
            }
            return .message([.text("Reviewed.\nPHASE_STATUS: ready_to_advance")], usage: usage)
        }

        static func plan(in scratch: borrowing ScratchFolder, budgets: [String]) -> String {
            try! FileManager.default.createDirectory(atPath: scratch.path + "/workspace", withIntermediateDirectories: true)
            return scratch.write(
                "plan.yaml",
                lines: [
                    "slug: loop", "description: A looping agent", "workspace: \(scratch.path)/workspace",
                    "phases:",
                    "  - { name: /office-hours, plain: true }",
                    "  - { name: /plan-ceo-review, plain: true }",
                    // Far more turns than the budgets allow: only a budget ends the loop.
                    "claude: { model: claude-sonnet-4-5, max_turns: 500, retry_max_turns: 1000, timeout_s: 600, allowed_tools: [Bash] }",
                ] + budgets)
        }

        static func summary(_ scratch: borrowing ScratchFolder) throws -> [String: Any] {
            let data = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out/summary.json"))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }

        static func events(_ scratch: borrowing ScratchFolder) throws -> [[String: Any]] {
            try String(contentsOfFile: scratch.path + "/events.jsonl", encoding: .utf8).split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }

        @Test func aLoopingPhaseIsStoppedByTheRunsCostBudgetWithinItsFirstInvocation() async throws {
            let server = try await ScriptedModelServer(scenario: Self.scenario)
            defer { Task { await server.stop() } }
            let scratch = ScratchFolder()
            let plan = Self.plan(in: scratch, budgets: ["budget: { max_cost_usd: 0.40 }"])
            let process = try await EndToEndTests.run(["run", plan, "--events", scratch.path + "/events.jsonl"], port: server.port, scratch: scratch)
            let stderr = try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)
            #expect(process.terminationStatus == 4, "stderr: \(stderr)")

            let record = try RunRecord(folder: scratch.path + "/out/run")
            let state = try #require(try record.loadState())
            #expect(state.status == .overBudget)
            #expect(state.overBudget?.scope == .run)
            #expect(state.phases.map(\.status) == [.failed, .pending])
            #expect(state.phases[0].reason?.hasPrefix("stopped: the run's max_cost_usd ($0.40) was reached: $0.4") == true, "\(state.phases[0].reason ?? "")")
            // One invocation, stopped long before its 500 turns, on the first call that crossed.
            let invocations = record.loadInvocations()
            try #require(invocations.count == 1)
            let stopped = invocations[0]
            let calls = try #require(stopped.streamAPICalls)
            #expect(calls > 1 && calls < 100, "\(calls) calls")
            let estimate = try #require(stopped.streamEstimateUSD)
            #expect(estimate >= 0.40)
            #expect(stopped.timedOut == false)
            // The CLI wrote its own running total as it ended: that is the invocation's cost.
            #expect(stopped.costSource == "cost_state")
            let sessions = RunTranscripts.read(state: state, environment: RealCLI.environment(port: server.port, configDir: scratch.path + "/claude-config"))
            let session = try #require(sessions.first)
            let cliTotal = try #require(session.reportedCostUSD)
            #expect(stopped.costUSD.map(USD.init) == USD(cliTotal))
            #expect(USD(state.phases[0].costUSD) == USD(cliTotal))
            // The stream's estimate lacks only the output tokens the stream does not give.
            #expect(estimate <= cliTotal)

            let summary = try Self.summary(scratch)
            #expect(summary["run_status"] as? String == "over_budget")
            #expect(summary["run_exit_code"] as? Int == 4)
            #expect((summary["run_over_budget"] as? String)?.hasPrefix("the run's max_cost_usd ($0.40) was reached") == true)
            let phases = try #require(summary["phases"] as? [[String: Any]])
            #expect(phases[0]["reported_cost_usd"] as? Double == summary["reported_cost_usd"] as? Double, "the rows add up to the total")
            #expect(phases.map { $0["outcome"] as? String } == ["failed", "not-run"])

            let events = try Self.events(scratch)
            #expect(events.first?["event"] as? String == "run_started")
            #expect(events.filter { $0["event"] as? String == "spending" }.count >= 2)
            let reached = try #require(events.first { $0["event"] as? String == "budget_reached" })
            #expect(reached["scope"] as? String == "run")
            #expect(events.last?["event"] as? String == "run_finished")
            #expect(events.last?["status"] as? String == "over_budget")
            // The loop reads as one card with its count, and the header says the agent looped.
            let page = HTMLScan(try String(contentsOfFile: scratch.path + "/out/phases/01-office-hours.html", encoding: .utf8))
            let cards = page.tags.filter { $0.name == "details" && $0.attributes.contains { $0.name == "class" && $0.value == "tool" } }.count
            #expect(cards <= 3, "\(cards) tool cards for \(calls) identical calls")
            #expect(page.text.contains("the agent looped: the same Bash call "))
            #expect(page.text.contains(" in a row"))
            #expect(stderr.contains("planscribe: over budget: the run's max_cost_usd ($0.40) was reached"))
            #expect(stderr.contains("Raise the budget and continue with: planscribe run"))
        }

        @Test func aPhasesTimeLimitStopsItsLoopAndTheRunGoesOnWithKeepGoing() async throws {
            let server = try await ScriptedModelServer(scenario: Self.scenario)
            defer { Task { await server.stop() } }
            let scratch = ScratchFolder()
            let plan = Self.plan(in: scratch, budgets: [])
            // The looping phase gets two seconds of its own.
            let text = try String(contentsOfFile: plan, encoding: .utf8).replacingOccurrences(
                of: "{ name: /office-hours, plain: true }", with: "{ name: /office-hours, plain: true, budget: { time_limit_s: 2 } }")
            try text.write(toFile: plan, atomically: true, encoding: .utf8)
            let process = try await EndToEndTests.run(["run", plan, "--keep-going"], port: server.port, scratch: scratch)
            let stderr = try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)
            #expect(process.terminationStatus == 4, "stderr: \(stderr)")

            let record = try RunRecord(folder: scratch.path + "/out/run")
            let state = try #require(try record.loadState())
            #expect(state.status == .overBudget)
            #expect(state.overBudget?.scope == .phase)
            #expect(state.phases.map(\.status) == [.failed, .done])
            #expect(state.phases[0].reason == "stopped: the phase's time_limit_s (2 s) was reached")
            let invocations = record.loadInvocations()
            #expect(invocations.map(\.phase) == ["/office-hours", "/plan-ceo-review"])
            // Ended as a timeout would be, and still paid for: the CLI's own total is its cost
            // (on a machine so slow that the CLI made no call in the time, there is none).
            #expect(invocations[0].timedOut)
            if (invocations[0].streamAPICalls ?? 0) > 0 {
                #expect(invocations[0].costSource == "cost_state")
                #expect((invocations[0].costUSD ?? 0) > 0)
                #expect(!stderr.contains("$0.000000 · the phase's time_limit_s"))
            }
            let summary = try Self.summary(scratch)
            let phases = try #require(summary["phases"] as? [[String: Any]])
            let rows = phases.compactMap { $0["reported_cost_usd"] as? Double }.reduce(USD.zero) { $0 + USD($1) }
            #expect(rows == USD(try #require(summary["reported_cost_usd"] as? Double)), "the rows add up to the total")
            #expect(summary["run_status"] as? String == "over_budget")
        }
    }
}
