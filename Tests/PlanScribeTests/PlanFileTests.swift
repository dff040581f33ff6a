import Foundation
import Testing

@testable import PlanScribe

struct PlanFileTests {
    func parse(_ yaml: String, files: [String: String] = ["prompt.md": "x"]) throws -> Plan {
        let scratch = ScratchFolder()
        for (name, text) in files { _ = scratch.write(name, lines: [text]) }
        return try Plan.parse(yaml, file: scratch.path + "/plan.yaml", environment: ["HOME": "/home/test"], currentDirectory: scratch.path)
    }

    @Test func theExamplePlanInTheDesign() throws {
        let plan = try parse(
            """
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
        (
            "slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    replies:\n      - when: \"([\"\n        reply: y",
            "plan.yaml:7: phases[0].replies[0].when: not a valid regular expression: (["
        ),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    max_replies: 500", "plan.yaml:6: phases[0].max_replies: must be between 0 and 100"),
        ("slug: a\ndescription: d\nsystem_prompt: nope.md\nphases: [a]", "plan.yaml:3: system_prompt: no such file: nope.md (looked beside the plan and in the current folder)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nclaude: { max_turns: 0 }", "plan.yaml:5: claude.max_turns: must be between 1 and 500"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nclaude: { max_turns: 40, retry_max_turns: 30 }", "plan.yaml:5: claude.retry_max_turns: must be at least max_turns (40)"),
        (
            "slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nclaude: { permission_mode: yolo }",
            "plan.yaml:5: claude.permission_mode: must be one of acceptEdits, auto, bypassPermissions, default, dontAsk, manual, plan"
        ),
        (
            "slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nphase: [b]",
            "plan.yaml:5: phase: unknown field (expected one of: budget, claude, default_reply, description, phases, slug, system_prompt, workspace)"
        ),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [office-hours, /office-hours]", "plan.yaml:4: phases[1]: /office-hours is already phases[0]; each phase runs once"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    replies:\n      - \"\"", "plan.yaml:7: phases[0].replies[0]: a reply must not be empty"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    replies:\n      - ok\n      - ~", "plan.yaml:8: phases[0].replies[1]: a reply must not be empty"),
        (
            "slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    replies:\n      - when: x\n        reply: null",
            "plan.yaml:8: phases[0].replies[0].reply: a reply must not be empty"
        ),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [\"/not a phase\"]", "plan.yaml:4: phases[0]: not a phase name: /not a phase"),
        ("slug: a\nsystem_prompt: prompt.md\nphases: [a]", "plan.yaml:1: description: missing"),
        (
            "slug: a\ndescription: d\nworkspace: /nonexistent/ws\nsystem_prompt: prompt.md\nphases: [a]",
            "plan.yaml:3: workspace: no such folder: /nonexistent/ws (looked beside the plan and in the current folder)"
        ),
        (
            "slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nclaude:\n  extra_args:\n    - --effort\n    - high\n    - --output-format\n    - text",
            "plan.yaml:9: claude.extra_args: --output-format is set by planscribe (planscribe reads the CLI's stream-json)"
        ),
        (
            "slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nclaude: { extra_args: [\"--model=opus\"] }",
            "plan.yaml:5: claude.extra_args: --model is set by planscribe (use claude.model)"
        ),
        (
            "slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nclaude: { extra_args: [--resume, x] }",
            "plan.yaml:5: claude.extra_args: --resume is set by planscribe (planscribe resumes each phase's own session)"
        ),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nbudget: { max_cost_usd: -1 }", "plan.yaml:5: budget.max_cost_usd: must be more than 0 and at most 1000000"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nbudget: { max_cost_usd: five }", "plan.yaml:5: budget.max_cost_usd: expected an amount in dollars (5, 0.50)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases: [a]\nbudget: { time_limit: 60 }", "plan.yaml:5: budget.time_limit: unknown field (expected one of: max_cost_usd, time_limit_s)"),
        ("slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    budget: { time_limit_s: 0 }", "plan.yaml:6: phases[0].budget.time_limit_s: must be between 1 and 604800"),
        (
            "slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    claude: { add_dirs: [/tmp] }",
            "plan.yaml:6: phases[0].claude.add_dirs: unknown field (expected one of: allowed_tools, disallowed_tools, fail_on_permission_denial, max_turns, model, permission_mode, retry_max_turns, timeout_s)"
        ),
        (
            "slug: a\ndescription: d\nsystem_prompt: prompt.md\nphases:\n  - name: x\n    claude: { max_turns: 50, retry_max_turns: 40 }",
            "plan.yaml:6: phases[0].claude.retry_max_turns: must be at least max_turns (50)"
        ),
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
        let plan = try parse(
            """
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
            _ = try parse(
                """
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
            #expect(
                lines == [
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
