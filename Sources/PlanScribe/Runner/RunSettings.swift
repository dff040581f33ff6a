import Foundation

/// How a run was started, so that `--resume` goes on the same way.
public struct RunSettings: Codable, Sendable, Equatable {
    /// The CLI binary (absolute).
    public var claude: String
    /// Whether the CLI had a config folder of its own in the run folder.
    public var isolate: Bool
    /// Whether a phase that did not end ready let the run go on.
    public var keepGoing: Bool
    /// Whether the stream copies are redacted.
    public var redact: Bool

    /// Creates settings.
    public init(claude: String, isolate: Bool, keepGoing: Bool, redact: Bool) {
        self.claude = claude
        self.isolate = isolate
        self.keepGoing = keepGoing
        self.redact = redact
    }

    enum CodingKeys: String, CodingKey {
        case claude, isolate, redact
        case keepGoing = "keep_going"
    }
}
