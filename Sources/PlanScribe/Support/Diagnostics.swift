/// A problem found while reading input, tied to the file and line it concerns.
///
/// Diagnostics never stop the work: the reader records them and goes on with the next line.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable, Codable {
        /// Something was skipped or guessed; the rest of the result is sound.
        case warning
        /// Input could not be used at all (for example a file that cannot be opened).
        case error
    }

    /// How serious it is.
    public var severity: Severity
    /// The file it concerns.
    public var file: String
    /// The 1-based line number, when the problem belongs to one line.
    public var line: Int?
    /// What is wrong, written for the person who has to act on it.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity, file: String, line: Int? = nil, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: severity: message`, the form compilers use, so editors can jump to it.
    public var description: String {
        if let line {
            return "\(file):\(line): \(severity.rawValue): \(message)"
        }
        return "\(file): \(severity.rawValue): \(message)"
    }
}

/// What reading one file amounted to: counts that a summary line can report.
public struct FileReadReport: Sendable, Hashable, Codable {
    /// The file read.
    public var file: String
    /// Lines seen, blank ones included.
    public var lines = 0
    /// Lines decoded into the model.
    public var decoded = 0
    /// Lines of known kinds that planscribe deliberately does not render (request records,
    /// prompt snapshots, queue operations, …), recognised without decoding their bodies.
    public var skipped = 0
    /// Lines that could not be used (bad JSON, invalid UTF-8, a field of the wrong type).
    public var malformed = 0
    /// Line types planscribe does not know, with how often each occurred.
    public var unknownTypes: [String: Int] = [:]
    /// True when the last line had no newline and did not parse: a file still being written.
    public var truncatedLastLine = false
    /// The problems, one per line concerned.
    public var diagnostics: [Diagnostic] = []

    /// Creates an empty report for a file.
    public init(file: String) {
        self.file = file
    }

    /// True when nothing at all went wrong.
    public var isClean: Bool {
        malformed == 0 && unknownTypes.isEmpty && !truncatedLastLine && diagnostics.isEmpty
    }

    /// One line that sums the file up, for the default (non-verbose) output.
    public var summary: String {
        var parts = ["\(lines) lines", "\(decoded) read", "\(skipped) skipped"]
        if malformed > 0 { parts.append("\(malformed) malformed") }
        if !unknownTypes.isEmpty {
            let names = unknownTypes.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
            parts.append("unknown types: " + names.joined(separator: ", "))
        }
        if truncatedLastLine { parts.append("last line truncated (file still being written?)") }
        let others = diagnostics.filter { $0.line == nil }.map(\.message)
        parts.append(contentsOf: others)
        return "\(file): " + parts.joined(separator: "; ")
    }

    mutating func warn(line: Int?, _ message: String) {
        diagnostics.append(Diagnostic(.warning, file: file, line: line, message: message))
    }

    mutating func fail(line: Int?, _ message: String) {
        diagnostics.append(Diagnostic(.error, file: file, line: line, message: message))
    }
}
