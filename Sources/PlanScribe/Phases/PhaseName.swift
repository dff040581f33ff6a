import Foundation

/// The name of a planning phase, normalised: `office-hours`, `/office-hours` and
/// ` /Office-Hours ` are the same phase.
public struct PhaseName: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The normalised name without the slash: lower case, `[a-z0-9][a-z0-9:_-]*`.
    public let slug: String

    /// Normalises a phase name; nil when nothing is left or it holds characters a slash
    /// command cannot have.
    ///
    /// - Parameter raw: a name as a person or a plan writes it.
    public init?(_ raw: String) {
        var s = Substring(raw.trimmingCharacters(in: .whitespacesAndNewlines))
        if s.hasPrefix("/") { s = s.dropFirst() }
        let lower = s.lowercased()
        guard let first = lower.unicodeScalars.first, Self.isAlnum(first),
            lower.unicodeScalars.allSatisfy({ Self.isAlnum($0) || $0 == "-" || $0 == "_" || $0 == ":" })
        else { return nil }
        slug = lower
    }

    /// The slash command: `/office-hours`.
    public var command: String { "/" + slug }

    /// The slash command.
    public var description: String { command }

    /// Orders by name.
    public static func < (a: PhaseName, b: PhaseName) -> Bool { a.slug < b.slug }

    /// Encodes as the slash command.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(command)
    }

    /// Decodes from any spelling `init?(_:)` accepts.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let raw = try c.decode(String.self)
        guard let name = PhaseName(raw) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a phase name: \(raw)")
        }
        self = name
    }

    private static func isAlnum(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0x61 && s.value <= 0x7A)
    }

    /// Claude Code's own commands: a prompt starting with one of these is not a phase.
    public static let builtInCommands: Set<String> = [
        "add-dir", "agents", "btw", "bug", "clear", "compact", "config", "context", "cost", "doctor",
        "exit", "export", "help", "hooks", "ide", "init", "login", "logout", "mcp", "memory", "model",
        "permissions", "release-notes", "resume", "rewind", "status", "statusline", "terminal-setup",
        "upgrade", "usage", "vim",
    ]

    /// The phase a prompt starts, if it starts with a slash command that is not built in:
    /// `/office-hours A todo app`, or the command tags the CLI records for a skill or custom
    /// command (``PromptText/command(in:)``).
    ///
    /// - Parameter prompt: the prompt's text.
    public static func startedBy(prompt: String) -> PhaseName? {
        let text = prompt.drop { $0 == " " || $0 == "\n" || $0 == "\t" }
        var word: Substring
        if text.hasPrefix("<command-") {
            guard let command = PromptText.command(in: String(text)) else { return nil }
            word = Substring(command.name)
        } else if text.hasPrefix("/") {
            word = text.prefix { !$0.isWhitespace }
        } else {
            return nil
        }
        guard word.hasPrefix("/"), let name = PhaseName(String(word)), !builtInCommands.contains(name.slug) else { return nil }
        return name
    }
}
