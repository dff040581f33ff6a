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

    /// A message as written inside the `[EXTERNAL CONTENT]` wrapper ``wrap(_:)`` adds, or nil
    /// when it is not so wrapped.
    public static func unwrap(_ message: String) -> String? {
        let head = "[EXTERNAL CONTENT]\n", tail = "\n[END EXTERNAL CONTENT]"
        guard message.hasPrefix(head), message.hasSuffix(tail), message.count >= head.count + tail.count else { return nil }
        return String(message.dropFirst(head.count).dropLast(tail.count))
    }

    /// The arguments (after the binary) of a phase's first turn.
    ///
    /// - Parameters:
    ///   - phase: the phase, with its `claude` settings.
    ///   - maxTurns: `--max-turns`, by default the phase's.
    ///   - systemPromptFile: a file holding ``systemPrompt(for:)``, passed as
    ///     `--system-prompt-file` (no argument size limit); nil passes the text itself.
    public func firstTurn(_ phase: Plan.PhasePlan, maxTurns: Int? = nil, systemPromptFile: String? = nil) -> [String] {
        ["-p", firstPrompt(for: phase.name)] + common(maxTurns: maxTurns ?? phase.claude.maxTurns)
            + (systemPromptFile.map { ["--system-prompt-file", $0] } ?? ["--system-prompt", systemPrompt(for: phase.name)]) + tail(phase.claude)
    }

    /// The arguments of a turn that continues a phase's session with a message.
    public func resume(_ session: String, message: String, phase: Plan.PhasePlan, maxTurns: Int? = nil) -> [String] {
        ["-p", message, "--resume", session] + common(maxTurns: maxTurns ?? phase.claude.maxTurns) + tail(phase.claude)
    }

    private func common(maxTurns: Int) -> [String] {
        ["--output-format", "stream-json", "--verbose", "--max-turns", String(maxTurns)]
    }

    private func tail(_ claude: Plan.ClaudeSettings) -> [String] {
        var args: [String] = []
        for dir in existingAddDirs() { args += ["--add-dir", dir] }
        if let model = claude.model { args += ["--model", model] }
        if let mode = claude.permissionMode { args += ["--permission-mode", mode] }
        if !claude.allowedTools.isEmpty { args += ["--allowedTools", claude.allowedTools.joined(separator: ",")] }
        if !claude.disallowedTools.isEmpty { args += ["--disallowedTools", claude.disallowedTools.joined(separator: ",")] }
        if claude.skipPermissions { args.append("--dangerously-skip-permissions") }
        return args + claude.extraArgs
    }

    /// The default folders and `add_dirs` that exist, each once.
    public func existingAddDirs() -> [String] {
        var seen = Set<String>()
        return (plan.claude.defaultAddDirs + plan.claude.addDirs).filter { dir in
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
