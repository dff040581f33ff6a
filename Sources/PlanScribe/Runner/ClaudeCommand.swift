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
    public func firstTurn(_ phase: PhaseName, maxTurns: Int? = nil) -> [String] {
        ["-p", firstPrompt(for: phase)] + common(maxTurns: maxTurns ?? plan.claude.maxTurns)
            + ["--system-prompt", systemPrompt(for: phase)] + tail()
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

/// Removes secrets from text that planscribe records or shows: API keys, tokens and
/// `password=`-style assignments become `[REDACTED]`.
public enum Redactor {
    private static let patterns: [NSRegularExpression] = [
        #"sk-ant-[A-Za-z0-9_\-]{8,}"#,
        #"sk-(?:proj-)?[A-Za-z0-9_\-]{20,}"#,
        #"(?:AKIA|ASIA)[0-9A-Z]{16}"#,
        #"gh[pousr]_[A-Za-z0-9]{30,}"#,
        #"github_pat_[A-Za-z0-9_]{30,}"#,
        #"xox[abposr]-[A-Za-z0-9-]{10,}"#,
        #"AIza[0-9A-Za-z_\-]{35}"#,
        #"(?i)bearer\s+[A-Za-z0-9._\-+/=]{16,}"#,
        #"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"#,
        #"(?i)\b(password|passwd|secret|api[_-]?key|token)\s*[=:]\s*[^\s'"]{4,}"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    /// The text with every secret replaced by `[REDACTED]`.
    public static func redact(_ text: String) -> String {
        var out = text
        for pattern in patterns {
            out = pattern.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: "[REDACTED]")
        }
        return out
    }
}
