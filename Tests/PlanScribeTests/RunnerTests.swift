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
        let line = ##"{"type":"result","subtype":"success","is_error":false,"result":"probe","session_id":"d1","total_cost_usd":0.00474,"permission_denials":[{"tool_name":"Write","tool_use_id":"toolu_1","tool_input":{"file_path":"/tmp/probe/cwd/notes.md","content":"# Notes\n"}},{"tool_name":"Write","tool_use_id":"toolu_2","tool_input":{}}]}"##
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
        #expect(record.reason == "the CLI refused 2 tool calls for want of permission (Write); fail_on_permission_denial is set")
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
        #expect(splitter.outcome.badLines == [
            "invalid JSON at byte 1: npm WARN something",
            "expected a JSON object, found an array: [1,2]",
            "last line cut off (invalid JSON: the line ends before the object is closed)",
        ])
    }
}

struct PlanFileTests {
    func parse(_ yaml: String, files: [String: String] = ["prompt.md": "x"]) throws -> Plan {
        let scratch = ScratchFolder()
        for (name, text) in files { _ = scratch.write(name, lines: [text]) }
        return try Plan.parse(yaml, file: scratch.path + "/plan.yaml", environment: ["HOME": "/home/test"], currentDirectory: scratch.path)
    }

    @Test func theExamplePlanInTheDesign() throws {
        let plan = try parse("""
            slug: todo-app
            description: A shared todo app for small teams
            system_prompt: prompt.md
            phases:
              - name: /office-hours
                replies:
                  - "Small teams of 3-10 people."
                  - when: "(?i)budget|price"
                    reply: "Under $50 a month."
                max_replies: 6
              - plan-ceo-review
            default_reply: "Go with your recommendation."
            claude: { model: opus, max_turns: 20, retry_max_turns: 30, timeout_s: 600, add_dirs: [~/.claude/skills] }
            """)
        #expect(plan.slug == "todo-app")
        #expect(plan.phases.map(\.name.command) == ["/office-hours", "/plan-ceo-review"])
        #expect(plan.phases[0].replies == [Plan.Reply(text: "Small teams of 3-10 people.", when: nil), Plan.Reply(text: "Under $50 a month.", when: "(?i)budget|price")])
        #expect(plan.phases[1].maxReplies == 6)
        #expect(plan.claude.model == "opus")
        #expect(plan.claude.addDirs == ["/home/test/.claude/skills"])
        #expect(plan.defaultReply == "Go with your recommendation.")
        #expect(plan.systemPromptFile?.hasSuffix("/prompt.md") == true)
    }

    @Test(arguments: [
        ("slug: Todo App\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]", "plan.yaml:1: slug: must match [a-z0-9][a-z0-9-]* (at most 64 characters): it names the output folder"),
        ("slug: ../x\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]", "plan.yaml:1: slug: must match [a-z0-9][a-z0-9-]* (at most 64 characters): it names the output folder"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: []", "plan.yaml:4: phases: must be a non-empty list of phases"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    replies:\n      - when: \"([\"\n        reply: y", "plan.yaml:7: phases[0].replies[0].when: not a valid regular expression: (["),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    max_replies: 500", "plan.yaml:6: phases[0].max_replies: must be between 0 and 100"),
        ("slug: a\ndescription: d\nsystem_prompt: nope.md\nphases: [a]", "plan.yaml:3: system_prompt: no such file: nope.md (looked beside the plan and in the current folder)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nclaude: { max_turns: 0 }", "plan.yaml:5: claude.max_turns: must be between 1 and 500"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nclaude: { max_turns: 40, retry_max_turns: 30 }", "plan.yaml:5: claude.retry_max_turns: must be at least max_turns (40)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nclaude: { permission_mode: yolo }", "plan.yaml:5: claude.permission_mode: must be one of acceptEdits, auto, bypassPermissions, default, dontAsk, manual, plan"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nphase: [b]", "plan.yaml:5: phase: unknown field (expected one of: budget, claude, default_reply, description, phases, slug, system_prompt, workspace)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [office-hours, /office-hours]", "plan.yaml:4: phases[1]: /office-hours is already phases[0]; each phase runs once"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    replies:\n      - \"\"", "plan.yaml:7: phases[0].replies[0]: a reply must not be empty"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    replies:\n      - ok\n      - ~", "plan.yaml:8: phases[0].replies[1]: a reply must not be empty"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    replies:\n      - when: x\n        reply: null", "plan.yaml:8: phases[0].replies[0].reply: a reply must not be empty"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [\"/not a phase\"]", "plan.yaml:4: phases[0]: not a phase name: /not a phase"),
        ("slug: a\nsystem_prompt: prompt.md\nphases: [a]", "plan.yaml:1: description: missing"),
        ("slug: a\ndescription: d\nworkspace: /nonexistent/ws\nsystem_prompt: prompt.md\nphases: [a]", "plan.yaml:3: workspace: no such folder: /nonexistent/ws (looked beside the plan and in the current folder)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nclaude:\n  extra_args:\n    - --effort\n    - high\n    - --output-format\n    - text", "plan.yaml:9: claude.extra_args: --output-format is set by planscribe (planscribe reads the CLI's stream-json)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nclaude: { extra_args: [\"--model=opus\"] }", "plan.yaml:5: claude.extra_args: --model is set by planscribe (use claude.model)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nclaude: { extra_args: [--resume, x] }", "plan.yaml:5: claude.extra_args: --resume is set by planscribe (planscribe resumes each phase's own session)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nbudget: { max_cost_usd: -1 }", "plan.yaml:5: budget.max_cost_usd: must be more than 0 and at most 1000000"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nbudget: { max_cost_usd: five }", "plan.yaml:5: budget.max_cost_usd: expected an amount in dollars (5, 0.50)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nbudget: { time_limit: 60 }", "plan.yaml:5: budget.time_limit: unknown field (expected one of: max_cost_usd, time_limit_s)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    budget: { time_limit_s: 0 }", "plan.yaml:6: phases[0].budget.time_limit_s: must be between 1 and 604800"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    claude: { add_dirs: [/tmp] }", "plan.yaml:6: phases[0].claude.add_dirs: unknown field (expected one of: allowed_tools, disallowed_tools, fail_on_permission_denial, max_turns, model, permission_mode, retry_max_turns, timeout_s)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    claude: { max_turns: 50, retry_max_turns: 40 }", "plan.yaml:6: phases[0].claude.retry_max_turns: must be at least max_turns (50)"),
        ("slug: [a\n", "plan.yaml:2: invalid YAML: did not find expected ',' or ']'"),
        ("- just\n- a list\n", "plan.yaml:1: expected a mapping with slug, description and phases"),
    ])
    func badPlansNameTheLineAndField(_ yaml: String, _ message: String) throws {
        do {
            _ = try parse(yaml)
            Issue.record("no error for: \(yaml)")
        } catch let error as PlanError {
            #expect(error.description.hasSuffix(message), "got: \(error.description)")
        }
    }

    /// A phase's `claude` overrides apply to it alone, on top of the plan's settings; budgets
    /// are read for the run and per phase.
    @Test func phasesOverrideTheCLISettingsAndCarryBudgets() throws {
        let plan = try parse("""
            slug: a
            description: d
            system_prompt: prompt.md
            claude: { model: sonnet, max_turns: 10, timeout_s: 300, dangerously_skip_permissions: true, allowed_tools: [Read] }
            budget: { max_cost_usd: 5, time_limit_s: 3600 }
            phases:
              - office-hours
              - name: plan-eng-review
                claude: { model: opus, max_turns: 40, timeout_s: 900, permission_mode: plan, fail_on_permission_denial: true }
                budget: { max_cost_usd: 1.25 }
            """)
        #expect(plan.budget == Plan.Budget(maxCostUSD: 5, timeLimitSeconds: 3600))
        let (first, second) = (plan.phases[0], plan.phases[1])
        #expect(first.claude == plan.claude)
        #expect(first.budget.isEmpty)
        #expect(second.budget == Plan.Budget(maxCostUSD: 1.25))
        #expect(second.claude.model == "opus")
        #expect(second.claude.maxTurns == 40)
        #expect(second.claude.retryMaxTurns == 40)
        #expect(second.claude.timeoutSeconds == 900)
        #expect(second.claude.permissionMode == "plan")
        #expect(!second.claude.skipPermissions, "a phase's own mode replaces the plan's skipping")
        #expect(second.claude.failOnPermissionDenial)
        #expect(second.claude.allowedTools == ["Read"], "what the phase does not name comes from the plan")
        let command = ClaudeCommand(plan: plan, promptTemplate: "")
        #expect(command.firstTurn(first).contains("--dangerously-skip-permissions"))
        #expect(Array(command.resume("s", message: "m", phase: second).suffix(6)) == ["--model", "opus", "--permission-mode", "plan", "--allowedTools", "Read"])
    }

    @Test func theWorkspaceDefaultsToTheWorkspaceRootThenTheCurrentFolder() throws {
        let scratch = ScratchFolder()
        _ = scratch.write("prompt.md", lines: ["x"])
        try FileManager.default.createDirectory(atPath: scratch.path + "/root/app", withIntermediateDirectories: true)
        let yaml = "slug: app\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]"
        let withRoot = try Plan.parse(yaml, file: scratch.path + "/plan.yaml", environment: ["PLANSCRIBE_WORKSPACE_ROOT": scratch.path + "/root"], currentDirectory: "/tmp")
        #expect(withRoot.workspace == scratch.path + "/root/app")
        let without = try Plan.parse(yaml, file: scratch.path + "/plan.yaml", environment: [:], currentDirectory: "/tmp")
        #expect(without.workspace == "/tmp")
    }

    /// A relative workspace is found beside the plan (as the system prompt is), then in the
    /// current folder, and kept as an absolute path; add_dirs likewise.
    @Test func relativePathsAreFoundBesideThePlan() throws {
        let scratch = ScratchFolder()
        _ = scratch.write("plans/prompt.md", lines: ["x"])
        try FileManager.default.createDirectory(atPath: scratch.path + "/ws/notes", withIntermediateDirectories: true)
        let yaml = "slug: app\ndescription: d\nworkspace: ../ws\nsystem_prompt: prompt.md\nphases: [a]\nclaude: { add_dirs: [../ws/notes], default_add_dirs: false }"
        let plan = try Plan.parse(yaml, file: scratch.path + "/plans/plan.yaml", environment: [:], currentDirectory: "/")
        #expect(plan.workspace == scratch.path + "/ws")
        #expect(plan.systemPromptFile == scratch.path + "/plans/prompt.md")
        #expect(plan.claude.addDirs == [scratch.path + "/ws/notes"])
        do {
            _ = try Plan.parse(yaml.replacingOccurrences(of: "../ws\n", with: "../nowhere\n"), file: scratch.path + "/plans/plan.yaml", environment: [:], currentDirectory: "/")
            Issue.record("no error for a missing workspace")
        } catch let error as PlanError {
            #expect(error.description == scratch.path + "/plans/plan.yaml:3: workspace: no such folder: ../nowhere (looked beside the plan and in the current folder)")
        }
    }

    /// Every problem of a plan is reported at once, in the order of the file.
    @Test func everyProblemIsReportedAtOnce() throws {
        do {
            _ = try parse("""
                slug: Bad Slug
                description: d
                system_prompt: prompt.md
                colour: blue
                phases:
                  - name: office-hours
                    max_replies: 500
                    replies: ["", ok]
                  - "/not a phase"
                  - office-hours
                claude: { max_turns: 0, timeout: 5 }
                """)
            Issue.record("no error")
        } catch let error as PlanError {
            let lines = error.description.split(separator: "\n").map { "plan.yaml:" + ($0.components(separatedBy: "/plan.yaml:").last ?? "") }
            #expect(lines == [
                "plan.yaml:4: colour: unknown field (expected one of: budget, claude, default_reply, description, phases, slug, system_prompt, workspace)",
                "plan.yaml:1: slug: must match [a-z0-9][a-z0-9-]* (at most 64 characters): it names the output folder",
                "plan.yaml:11: claude.timeout: unknown field (expected one of: add_dirs, allowed_tools, dangerously_skip_permissions, default_add_dirs, disallowed_tools, extra_args, fail_on_permission_denial, max_turns, model, permission_mode, retry_max_turns, timeout_s)",
                "plan.yaml:11: claude.max_turns: must be between 1 and 500",
                "plan.yaml:8: phases[0].replies[0]: a reply must not be empty",
                "plan.yaml:7: phases[0].max_replies: must be between 0 and 100",
                "plan.yaml:9: phases[1]: not a phase name: /not a phase",
                "plan.yaml:10: phases[2]: /office-hours is already phases[0]; each phase runs once",
            ], "\(error.description)")
        }
    }

    /// By default every invocation may also use gstack's notes for the project and the user's
    /// skills folder, where they exist (the CLI refuses a Write outside the workspace and its
    /// added folders: checked with the real CLI); `default_add_dirs: false` leaves them out.
    @Test func gstacksNotesAndTheSkillsFolderAreAddedByDefault() throws {
        let scratch = ScratchFolder()
        _ = scratch.write("prompt.md", lines: ["x"])
        let home = scratch.path + "/home"
        try FileManager.default.createDirectory(atPath: home + "/.gstack/projects", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/.claude/skills", withIntermediateDirectories: true)
        let yaml = "slug: app\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]"
        func plan(_ extra: String = "") throws -> Plan {
            try Plan.parse(yaml + extra, file: scratch.path + "/plan.yaml", environment: ["HOME": home], currentDirectory: scratch.path)
        }
        // Before gstack made the project's folder, the folder it makes it in.
        #expect(try plan().claude.defaultAddDirs == [home + "/.gstack/projects", home + "/.claude/skills"])
        try FileManager.default.createDirectory(atPath: home + "/.gstack/projects/app", withIntermediateDirectories: true)
        let withNotes = try plan()
        #expect(withNotes.claude.defaultAddDirs == [home + "/.gstack/projects/app", home + "/.claude/skills"])
        let argv = ClaudeCommand(plan: withNotes, promptTemplate: "").firstTurn(withNotes.phases[0])
        #expect(argv.joined(separator: " ").contains("--add-dir \(home)/.gstack/projects/app --add-dir \(home)/.claude/skills"))
        #expect(try plan("\nclaude: { default_add_dirs: false }").claude.defaultAddDirs.isEmpty)
        // The skills folder of the config folder the CLI uses.
        let config = try Plan.parse(yaml, file: scratch.path + "/plan.yaml", environment: ["HOME": home, "CLAUDE_CONFIG_DIR": scratch.path + "/none"], currentDirectory: scratch.path)
        #expect(config.claude.defaultAddDirs == [home + "/.gstack/projects/app"])
    }
}

struct ClaudeCommandTests {
    static func plan(_ claude: String = "", defaultReply: String? = nil, phases: String = "[office-hours]") throws -> Plan {
        let scratch = ScratchFolder()
        _ = scratch.write("prompt.md", lines: ["x"])
        try FileManager.default.createDirectory(atPath: scratch.path + "/skills", withIntermediateDirectories: true)
        var yaml = "slug: todo\ndescription: A todo app\nsystem_prompt: prompt.md\nphases: \(phases)\n"
        if let defaultReply { yaml += "default_reply: \(defaultReply)\n" }
        yaml += claude.replacingOccurrences(of: "SCRATCH", with: scratch.path)
        var plan = try Plan.parse(yaml, file: scratch.path + "/plan.yaml", environment: [:], currentDirectory: scratch.path)
        plan.systemPromptFile = nil
        return plan
    }

    @Test func theFirstTurnAndAReply() throws {
        let plan = try Self.plan("claude: { model: opus, max_turns: 7, add_dirs: [/tmp, /nonexistent, /tmp/, /tmp], permission_mode: acceptEdits, dangerously_skip_permissions: true, extra_args: [--effort, high] }")
        let command = ClaudeCommand(plan: plan, promptTemplate: "Plan {slug}: {description} in {phase}; keep {this}.")
        let phase = plan.phases[0]
        #expect(command.systemPrompt(for: phase.name) == "Plan todo: A todo app in /office-hours; keep {this}.")
        #expect(command.firstTurn(phase) == [
            "-p", "/office-hours A todo app", "--output-format", "stream-json", "--verbose", "--max-turns", "7",
            "--system-prompt", "Plan todo: A todo app in /office-hours; keep {this}.",
            "--add-dir", "/tmp", "--model", "opus", "--permission-mode", "acceptEdits", "--dangerously-skip-permissions", "--effort", "high",
        ])
        #expect(command.resume("sess-1", message: ClaudeCommand.wrap("Yes."), phase: phase, maxTurns: 30) == [
            "-p", "[EXTERNAL CONTENT]\nYes.\n[END EXTERNAL CONTENT]", "--resume", "sess-1", "--output-format", "stream-json", "--verbose",
            "--max-turns", "30", "--add-dir", "/tmp", "--model", "opus", "--permission-mode", "acceptEdits", "--dangerously-skip-permissions",
            "--effort", "high",
        ])
    }

    @Test func recordedArgumentsHideThePromptAndSecrets() {
        let recorded = ClaudeCommand.recorded(["-p", "use key sk-ant-api03-abcdefghijklmnop please", "--system-prompt", String(repeating: "x", count: 500), "--x", "password=hunter22"])
        #expect(recorded == ["-p", "use key [REDACTED] please", "--system-prompt", "<system prompt, 500 characters>", "--x", "[REDACTED]"])
    }

    @Test func repliesAreChosenWhenFirstThenInOrderThenTheDefault() throws {
        let plan = try Self.plan(defaultReply: "Your call.", phases: """

              - name: office-hours
                replies:
                  - first
                  - when: "(?i)budget"
                    reply: fifty
                  - second
            """)
        let runner = PlanRunner(plan: plan, command: ClaudeCommand(plan: plan, promptTemplate: ""), process: ClaudeProcess(binary: "/bin/false", environment: [:]))
        let phase = plan.phases[0]
        #expect(runner.chooseReply(phase, used: [], question: "Who uses it?")! == (0, "first"))
        #expect(runner.chooseReply(phase, used: [0], question: "What BUDGET?")! == (1, "fifty"))
        #expect(runner.chooseReply(phase, used: [0], question: "Who else?")! == (2, "second"))
        #expect(runner.chooseReply(phase, used: [0, 2], question: "Anything else?")! == (nil, "Your call."))
        #expect(runner.chooseReply(phase, used: [0, 1, 2], question: "budget again?")! == (nil, "Your call."))
    }

    /// A looping agent that never writes a marker gets `max_nudges` nudges in a row (2 by
    /// default), then the phase stalls; a turn with a marker starts the count again.
    @Test func nudgesInARowAreCapped() throws {
        let plan = try Self.plan(phases: "\n  - name: a\n    replies: [one, two]\n    max_replies: 10")
        let runner = PlanRunner(plan: plan, command: ClaudeCommand(plan: plan, promptTemplate: ""), process: ClaudeProcess(binary: "/bin/false", environment: [:]))
        func outcome(_ text: String) -> InvocationOutcome {
            var o = InvocationOutcome()
            o.exitCode = 0
            o.result = ResultEvent(subtype: "success", isError: false, text: text, sessionID: "s", totalCostUSD: 0.01, errors: [])
            return o
        }
        var record = PhaseRecord(name: "/a")
        record.sessionID = "s"
        let phase = plan.phases[0]
        #expect(phase.maxNudges == 2)
        #expect(runner.decide(outcome("Hm."), marker: nil, phase: &record, plan: phase)?.kind == .nudge)
        #expect(runner.decide(outcome("Q?\nPHASE_STATUS: needs_input"), marker: .needsInput, phase: &record, plan: phase)?.kind == .reply)
        #expect(record.nudgesInARow == nil)
        #expect(runner.decide(outcome("Hm."), marker: nil, phase: &record, plan: phase)?.kind == .nudge)
        #expect(runner.decide(outcome("Hm."), marker: nil, phase: &record, plan: phase)?.kind == .nudge)
        #expect(runner.decide(outcome("Hm."), marker: nil, phase: &record, plan: phase) == nil)
        #expect(record.status == .stalled)
        #expect(record.reason == "no PHASE_STATUS marker after 2 nudges in a row (max_nudges 2)")
        let strict = try Self.plan(phases: "\n  - name: a\n    max_nudges: 0")
        #expect(strict.phases[0].maxNudges == 0)
    }

    /// `when: ""` answers any question (before the ordered replies), as an empty pattern does.
    @Test func anEmptyWhenMatchesAnyQuestion() throws {
        let plan = try Self.plan(phases: "\n  - name: a\n    replies:\n      - first\n      - when: \"\"\n        reply: any")
        let runner = PlanRunner(plan: plan, command: ClaudeCommand(plan: plan, promptTemplate: ""), process: ClaudeProcess(binary: "/bin/false", environment: [:]))
        #expect(runner.chooseReply(plan.phases[0], used: [], question: "Anything?")! == (1, "any"))
        #expect(runner.chooseReply(plan.phases[0], used: [1], question: "Anything?")! == (0, "first"))
    }

    @Test func decisionsFollowTheProtocol() throws {
        let plan = try Self.plan(phases: "\n  - name: a\n    replies: [one]\n    max_replies: 2")
        let runner = PlanRunner(plan: plan, command: ClaudeCommand(plan: plan, promptTemplate: ""), process: ClaudeProcess(binary: "/bin/false", environment: [:]))
        func outcome(_ text: String?, subtype: String = "success", isError: Bool = false) -> InvocationOutcome {
            var o = InvocationOutcome()
            o.exitCode = isError ? 1 : 0
            o.result = ResultEvent(subtype: subtype, isError: isError, text: text, sessionID: "s", totalCostUSD: 0.01, errors: [])
            return o
        }
        var record = PhaseRecord(name: "/a")
        record.sessionID = "s"
        let ask = outcome("Who?\nPHASE_STATUS: needs_input")
        #expect(runner.decide(ask, marker: .needsInput, phase: &record, plan: plan.phases[0])?.kind == .reply)
        #expect(record.usedReplies == [0])
        #expect(runner.decide(outcome("Hm."), marker: nil, phase: &record, plan: plan.phases[0])?.kind == .nudge)
        #expect(runner.decide(ask, marker: .needsInput, phase: &record, plan: plan.phases[0]) == nil)
        #expect(record.status == .stalled)
        #expect(record.reason == "still needs input after 2 replies (max_replies 2)")

        var other = PhaseRecord(name: "/a")
        other.sessionID = "s"
        #expect(runner.decide(outcome(nil, subtype: "error_max_turns", isError: true), marker: nil, phase: &other, plan: plan.phases[0])?.kind == .retry)
        #expect(runner.decide(outcome(nil, subtype: "error_max_turns", isError: true), marker: nil, phase: &other, plan: plan.phases[0]) == nil)
        #expect(other.status == .failed)
        var timedOut = outcome(nil)
        timedOut.timedOut = true
        var third = PhaseRecord(name: "/a")
        #expect(runner.decide(timedOut, marker: nil, phase: &third, plan: plan.phases[0]) == nil)
        #expect(third.reason == "timed out after 600 s")
    }
}

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
        let claude = try Self.script(scratch, """
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
        let claude = try Self.script(scratch, """
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
        let claude = try Self.script(scratch, """
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
        #expect(try String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8).contains("--isolate gives the CLI a config folder of its own, where it is not logged in: set ANTHROPIC_API_KEY"))
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
        let claude = try Self.script(scratch, """
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
        let plan = scratch.write("plan.yaml", lines: [
            "slug: big", "description: d", "workspace: \(scratch.path)/workspace", "system_prompt: prompt.md", "phases: [office-hours]",
        ])
        _ = try Self.script(scratch, """
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
        let plan = scratch.write("plan.yaml", lines: [
            "slug: keep", "description: d", "workspace: \(scratch.path)", "phases: [office-hours, plan-ceo-review]",
        ])
        let log = scratch.path + "/calls.log"
        _ = try Self.script(scratch, """
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
        let claude = try Self.script(scratch, """
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
        let plan = scratch.write("plan.yaml", lines: [
            "slug: pick", "description: d", "workspace: \(scratch.path)", "phases: [office-hours, plan-ceo-review, plan-eng-review]",
        ])
        let log = scratch.path + "/calls.log"
        // The CEO review fails until the file "fixed" exists.
        let claude = try ClaudeFaultTests.script(scratch, """
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
        let claude = try ClaudeFaultTests.script(scratch, """
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
            scratch.write("plan.yaml", lines: [
                "slug: change", "description: \(description)", "workspace: \(scratch.path)",
                "phases:", "  - { name: office-hours, plain: true, replies: \(replies) }", "  - { name: plan-ceo-review, plain: true, replies: [later] }",
            ])
        }
        let plan = writePlan(description: "A todo app", replies: "[Teams.]")
        let hold = scratch.path + "/hold"
        _ = scratch.write("hold", lines: [""])
        // The first turn asks; the reply hangs while the file "hold" exists.
        let claude = try ClaudeFaultTests.script(scratch, """
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
        #expect(replied.1.contains("the canned replies of /office-hours changed while it was under way (they were: “Teams.”): run it again from its start with --only /office-hours, or start over with --restart"), "\(replied.1)")
        // As it was: the run goes on.
        _ = writePlan(description: "A todo app", replies: "[Teams.]")
        let ok = try resume()
        #expect(ok.0 == 0, "\(ok.1)")
        let state = try #require(try RunRecord(folder: scratch.path + "/out/run").loadState())
        #expect(state.phases.map(\.status) == [.done, .done])
        #expect(state.phases.map(\.replies) == [["Teams."], ["later"]])
    }
}
