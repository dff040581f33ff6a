import Foundation

/// How much of a conversation a report shows.
public enum ReportDetail: String, Sendable, CaseIterable, Codable {
    /// Everything: thinking, tool inputs and results, subagents, CLI context (behind a toggle).
    case full
    /// Prompts, replies, assistant text and the names of the tools called.
    case conversation
    /// Each phase's prompts and replies and its final assistant message.
    case decisions
}

/// Choices that shape a report.
public struct ReportOptions: Sendable {
    /// How much to show.
    public var detail: ReportDetail = .full
    /// Markdown files from an artifacts folder (for example `~/.gstack/projects/<slug>/`),
    /// listed and rendered on the page of the phase their name mentions (see
    /// ``ExternalArtifact/load(folder:)``).
    public var externalArtifacts: [ExternalArtifact] = []
    /// Replace secrets in external artifacts with `[REDACTED]` (transcript text is redacted
    /// when it is read; see ``SessionReader/redactSecrets``).
    public var redactSecrets = true
    /// A generation time to print in the reports; nil keeps them deterministic.
    public var stamp: String?
    /// Lines of tool output shown in HTML before "N more lines" (Markdown keeps it whole).
    public var htmlOutputLines = 40
    /// The most conversation HTML one phase page holds, in bytes: a longer conversation goes
    /// on over further pages (`01-office-hours-2.html`…), cut between messages.
    public var pageBytes = 1_200_000
    /// How many phase pages are made at once (by default one per core); the files are the
    /// same whatever the number.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount

    /// An earlier run to compare with (`--baseline`): the index, report.md, the job summary
    /// and summary.json show what changed.
    public var baseline: RunSnapshot?
    /// Conditions that fail the report's CI job (`--fail-on`): checked, shown on the index,
    /// in report.md and the job summary, a failed test case each in junit.xml.
    public var gates: [Gate] = []

    /// Default options.
    public init() {}
}
