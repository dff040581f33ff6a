import Foundation

/// Builds the Claude Code command lines planscribe runs: the first turn of a phase, and each
/// reply that continues it.
public struct ClaudeCommand: Sendable {
    /// The plan being run.
    public let plan: Plan
    /// The system prompt template's text.
    public let promptTemplate: String

    /// Creates a builder.
    public init(plan: Plan, promptTemplate: String) {
        self.plan = plan
        self.promptTemplate = promptTemplate
    }

    /// The system prompt for a phase: `{slug}`, `{description}` and `{phase}` replaced
    /// literally; other braces are left alone.
    public func systemPrompt(for phase: PhaseName) -> String {
        promptTemplate
            .replacingOccurrences(of: "{slug}", with: plan.slug)
            .replacingOccurrences(of: "{description}", with: plan.description)
            .replacingOccurrences(of: "{phase}", with: phase.command)
    }

    /// The prompt that starts a phase: `/office-hours A shared todo app`.
    public func firstPrompt(for phase: PhaseName) -> String {
        phase.command + " " + plan.description
    }

    /// A canned reply as sent: inside the `[EXTERNAL CONTENT]` wrapper.
    public static func wrap(_ reply: String) -> String {
        "[EXTERNAL CONTENT]\n" + reply + "\n[END EXTERNAL CONTENT]"
    }

    /// The arguments (after the binary) of a phase's first turn.
    ///
    /// - Parameters:
    ///   - phase: the phase.
    ///   - maxTurns: `--max-turns`, by default the plan's.
    ///   - systemPromptFile: a file holding ``systemPrompt(for:)``, passed as
    ///     `--system-prompt-file` (no argument size limit); nil passes the text itself.
    public func firstTurn(_ phase: PhaseName, maxTurns: Int? = nil, systemPromptFile: String? = nil) -> [String] {
        ["-p", firstPrompt(for: phase)] + common(maxTurns: maxTurns ?? plan.claude.maxTurns)
            + (systemPromptFile.map { ["--system-prompt-file", $0] } ?? ["--system-prompt", systemPrompt(for: phase)]) + tail()
    }

    /// The arguments of a turn that continues a session with a message.
    public func resume(_ session: String, message: String, maxTurns: Int? = nil) -> [String] {
        ["-p", message, "--resume", session] + common(maxTurns: maxTurns ?? plan.claude.maxTurns) + tail()
    }

    private func common(maxTurns: Int) -> [String] {
        ["--output-format", "stream-json", "--verbose", "--max-turns", String(maxTurns)]
    }

    private func tail() -> [String] {
        var args: [String] = []
        for dir in existingAddDirs() { args += ["--add-dir", dir] }
        if let model = plan.claude.model { args += ["--model", model] }
        if let mode = plan.claude.permissionMode { args += ["--permission-mode", mode] }
        if !plan.claude.allowedTools.isEmpty { args += ["--allowedTools", plan.claude.allowedTools.joined(separator: ",")] }
        if !plan.claude.disallowedTools.isEmpty { args += ["--disallowedTools", plan.claude.disallowedTools.joined(separator: ",")] }
        if plan.claude.skipPermissions { args.append("--dangerously-skip-permissions") }
        return args + plan.claude.extraArgs
    }

    /// `add_dirs` that exist, each once.
    public func existingAddDirs() -> [String] {
        var seen = Set<String>()
        return plan.claude.addDirs.filter { dir in
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else { return false }
            let key = (dir as NSString).standardizingPath
            return seen.insert(key).inserted
        }
    }

    /// The arguments as recorded: the system prompt replaced by its size, secrets redacted.
    public static func recorded(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var skipNext = false
        for (i, arg) in arguments.enumerated() {
            if skipNext {
                skipNext = false
                continue
            }
            if arg == "--system-prompt", i + 1 < arguments.count {
                out += [arg, "<system prompt, \(arguments[i + 1].count) characters>"]
                skipNext = true
                continue
            }
            out.append(Redactor.redact(arg))
        }
        return out
    }
}
