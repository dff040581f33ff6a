import Foundation
import Testing

@testable import PlanScribe

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
        let plan = try Self.plan(
            "claude: { model: opus, max_turns: 7, add_dirs: [/tmp, /nonexistent, /tmp/, /tmp], permission_mode: acceptEdits, dangerously_skip_permissions: true, extra_args: [--effort, high] }")
        let command = ClaudeCommand(plan: plan, promptTemplate: "Plan {slug}: {description} in {phase}; keep {this}.")
        let phase = plan.phases[0]
        #expect(command.systemPrompt(for: phase.name) == "Plan todo: A todo app in /office-hours; keep {this}.")
        #expect(
            command.firstTurn(phase) == [
                "-p", "/office-hours A todo app", "--output-format", "stream-json", "--verbose", "--max-turns", "7",
                "--system-prompt", "Plan todo: A todo app in /office-hours; keep {this}.",
                "--add-dir", "/tmp", "--model", "opus", "--permission-mode", "acceptEdits", "--dangerously-skip-permissions", "--effort", "high",
            ])
        #expect(
            command.resume("sess-1", message: ClaudeCommand.wrap("Yes."), phase: phase, maxTurns: 30) == [
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
        let plan = try Self.plan(
            defaultReply: "Your call.",
            phases: """

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
