import Foundation

/// A run's state: saved to `run/state.json` after every step, under the run's lock, by
/// writing a temporary file and renaming it.
public struct RunState: Codable, Sendable, Equatable {
    /// How the run stands.
    public enum Status: String, Codable, Sendable {
        /// Going on (or crashed while going on).
        case running
        /// Every phase it could run has ended.
        case finished
        /// Stopped by Ctrl-C; `--resume` continues it.
        case interrupted
        /// Stopped because it crossed a budget (the run's, or a phase's with the run going
        /// no further); `--resume --retry` with a larger budget continues it.
        case overBudget = "over_budget"
    }

    /// The schema version of `state.json`.
    public var schemaVersion = 1
    /// The plan's slug.
    public var slug: String
    /// The plan file.
    public var planFile: String
    /// The workspace the CLI ran in.
    public var workspace: String
    /// The `CLAUDE_CONFIG_DIR` used (with `--isolate`), where the transcripts are.
    public var claudeConfigDir: String?
    /// The plan's description the run started with (every phase's first prompt holds it).
    public var description: String?
    /// How the run stands.
    public var status: Status = .running
    /// When it started.
    public var startedAt: String
    /// When it last changed.
    public var updatedAt: String
    /// The CLI's version, once known.
    public var cliVersion: String?
    /// The phases, in plan order.
    public var phases: [PhaseRecord]
    /// How the run was started (absent in runs recorded before planscribe kept it).
    public var settings: RunSettings?
    /// The budget that stopped the run (or, with `--keep-going`, the first phase budget
    /// crossed), when one did.
    public var overBudget: BudgetCrossing?

    enum CodingKeys: String, CodingKey {
        case slug, status, workspace, phases, settings, description
        case overBudget = "over_budget"
        case schemaVersion = "schema_version"
        case planFile = "plan_file"
        case claudeConfigDir = "claude_config_dir"
        case startedAt = "started_at"
        case updatedAt = "updated_at"
        case cliVersion = "cli_version"
    }
}
