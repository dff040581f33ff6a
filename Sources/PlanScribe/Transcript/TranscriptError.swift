/// Why transcripts could not be found or read at all. Problems with single lines are
/// ``Diagnostic``s instead: they never stop the work.
public enum TranscriptError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A path given on the command line does not exist.
    case notFound(path: String)
    /// A file or folder exists but cannot be read.
    case unreadable(path: String, reason: String)
    /// A folder holds no session transcripts (`*.jsonl`).
    case noTranscripts(path: String)
    /// The paths hold only the CLI's stream-json output (`count` files), no transcript.
    case onlyStreamOutput(path: String, count: Int)
    /// `--project` named a working directory with no transcript folder.
    case projectNotFound(workingDirectory: String, expectedFolder: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file or folder"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .noTranscripts(let path):
            return "\(path): no Claude Code transcripts (*.jsonl) here"
        case .onlyStreamOutput(let path, let count):
            return "\(path): no Claude Code transcripts here, only the CLI's stream-json output (\(count == 1 ? "1 file" : "\(count) files"), as planscribe run keeps in run/stream/)"
        case .projectNotFound(let dir, let folder):
            return "no transcripts for project \(dir): expected the folder \(folder)"
        }
    }
}

extension TranscriptError: PlanScribeError {
    /// A path or project that is not there is input; a file that cannot be read is not.
    public var isInputError: Bool {
        if case .unreadable = self { return false }
        return true
    }
}
