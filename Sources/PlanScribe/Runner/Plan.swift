import Foundation

/// A planning run described in YAML: the project, the phases to run, and the canned replies
/// that answer the agent's questions.
public struct Plan: Sendable {
    /// A canned reply: used in order, or first when its pattern matches the agent's question.
    public struct Reply: Sendable, Hashable {
        /// The text sent to the agent.
        public var text: String
        /// A regular expression; when set, the reply answers the first question it matches,
        /// before the ordered replies.
        public var when: String?
    }

    /// One phase of the plan.
    public struct PhasePlan: Sendable {
        /// The phase.
        public var name: PhaseName
        /// Its canned replies.
        public var replies: [Reply]
        /// How many replies (canned, default or nudges) the phase may use before it stalls.
        public var maxReplies: Int
        /// The line of the plan file that defines it.
        public var line: Int
        /// How many nudges in a row (turns without a marker) before the phase stalls.
        public var maxNudges = 2
        /// Sent as a plain prompt: the phase is not a skill or command the CLI must have loaded.
        public var plain = false
        /// How the CLI is invoked for this phase: the plan's `claude` settings with the
        /// phase's own `claude` overrides applied.
        public var claude = ClaudeSettings()
        /// What this phase may spend.
        public var budget = Budget()

        /// The replies as a run records them, to tell whether they changed: `reply` or
        /// `when <pattern>: reply`.
        public var replyRecord: [String] {
            replies.map { reply in reply.when.map { "when \($0): " + reply.text } ?? reply.text }
        }
    }

    /// Limits on what a run or a phase may spend. Crossing one ends the running CLI, saves
    /// the state and renders the report (exit code 4).
    public struct Budget: Sendable, Hashable {
        /// Dollars, counted from the CLI's own figures and, while an invocation runs, from the
        /// usage its stream shows (``StreamSpend``).
        public var maxCostUSD: Double?
        /// Seconds of wall time: for a phase, its invocations summed (across resumes); for the
        /// run, from the start of this `planscribe run` (each `--resume` starts the clock again).
        public var timeLimitSeconds: Int?

        /// Creates a budget (no limits by default).
        public init(maxCostUSD: Double? = nil, timeLimitSeconds: Int? = nil) {
            self.maxCostUSD = maxCostUSD
            self.timeLimitSeconds = timeLimitSeconds
        }

        /// True when it sets no limit.
        public var isEmpty: Bool { maxCostUSD == nil && timeLimitSeconds == nil }
    }

    /// How the Claude Code CLI is invoked.
    public struct ClaudeSettings: Sendable, Hashable {
        /// `--model`, when set.
        public var model: String?
        /// `--max-turns` of every invocation.
        public var maxTurns = 20
        /// `--max-turns` of the one retry after `error_max_turns`.
        public var retryMaxTurns = 30
        /// Seconds one invocation may take before its process group is ended.
        public var timeoutSeconds = 600
        /// `--add-dir` folders (those that exist).
        public var addDirs: [String] = []
        /// Whether planscribe adds its default folders (``defaultAddDirs``); `default_add_dirs`.
        public var usesDefaultAddDirs = true
        /// The folders planscribe adds before ``addDirs``: gstack's notes for the project and
        /// the user's skills folder, those that exist (see the README's plan format).
        public var defaultAddDirs: [String] = []
        /// `--permission-mode`: by default `acceptEdits`, so that a phase can write its notes
        /// in the workspace (the CLI denies every write in `-p` mode otherwise); nil when the
        /// plan skips permissions instead.
        public var permissionMode: String? = "acceptEdits"
        /// `--allowedTools`: tools the CLI may use without asking (`Bash`, `Bash(git *)`, …).
        public var allowedTools: [String] = []
        /// `--disallowedTools`: tools the CLI must not use.
        public var disallowedTools: [String] = []
        /// A tool call the CLI refused for want of permission fails the phase.
        public var failOnPermissionDenial = false
        /// `--dangerously-skip-permissions`.
        public var skipPermissions = false
        /// More arguments passed through as they are.
        public var extraArgs: [String] = []

        /// True when the CLI is told to skip its permission checks (`--dangerously-skip-permissions`
        /// or `permission_mode: bypassPermissions`), which it refuses as root unless `IS_SANDBOX`
        /// is set.
        public var bypassesPermissions: Bool { skipPermissions || permissionMode == "bypassPermissions" }
    }

    /// The plan file.
    public var file: String
    /// `[a-z0-9][a-z0-9-]*`: names the output folder.
    public var slug: String
    /// What is being planned; follows the phase command in the first prompt.
    public var description: String
    /// The working directory of every invocation.
    public var workspace: String
    /// The system prompt template file; nil for the built-in prompt
    /// (``StarterFiles/planningPrompt``).
    public var systemPromptFile: String?
    /// The phases, in order.
    public var phases: [PhasePlan]
    /// The reply used when no canned reply is left.
    public var defaultReply: String?
    /// How to invoke the CLI (each phase has its own copy, with its overrides).
    public var claude: ClaudeSettings
    /// What the whole run may spend.
    public var budget = Budget()

    /// The slug pattern.
    public static let slugPattern = "^[a-z0-9][a-z0-9-]{0,63}$"

    /// The system prompt template: the file's text, or the built-in prompt.
    ///
    /// - Throws: ``PlanError`` when the file cannot be read.
    public func systemPromptTemplate() throws -> String {
        guard let systemPromptFile else { return StarterFiles.planningPrompt }
        guard let data = FileManager.default.contents(atPath: systemPromptFile) else {
            throw PlanError(file: systemPromptFile, line: nil, field: nil, message: "cannot read the system prompt")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension Plan {
    /// Reads and validates a plan file. Nothing runs on a bad plan.
    ///
    /// - Parameters:
    ///   - path: the YAML file.
    ///   - environment: for `~` and the workspace root (`PLANSCRIBE_WORKSPACE_ROOT`).
    ///   - currentDirectory: where relative paths in the plan may also be found.
    /// - Throws: ``PlanError`` naming the file, line and field.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment, currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlanError(file: path, line: nil, field: nil, message: FileManager.default.fileExists(atPath: path) ? "cannot read the plan file" : "no such plan file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PlanError(file: path, line: nil, field: nil, message: "the plan file is not UTF-8 text")
        }
        return try parse(text, file: path, environment: environment, currentDirectory: currentDirectory)
    }

    /// Parses and validates plan text (see ``load(path:environment:currentDirectory:)``).
    public static func parse(_ text: String, file: String, environment: [String: String] = ProcessInfo.processInfo.environment, currentDirectory: String = FileManager.default.currentDirectoryPath)
        throws -> Plan
    {
        try PlanReader(file: file, environment: environment, currentDirectory: currentDirectory).read(text)
    }
}
