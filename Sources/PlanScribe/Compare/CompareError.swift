/// Why a comparison or a gate could not be made.
public enum CompareError: Error, Equatable, Sendable {
    /// The path does not exist.
    case missing(path: String)
    /// A folder without `summary.json`.
    case notAReport(path: String)
    /// A `summary.json` that cannot be read or is not planscribe's.
    case unreadable(path: String, reason: String)
    /// A `--fail-on` condition planscribe does not know.
    case badGate(String)
}

extension CompareError: PlanScribeError {
    /// Every comparison error is the input's.
    public var isInputError: Bool { true }

    /// The message for the user.
    public var description: String {
        switch self {
        case .missing(let path): return "\(path): no such file or folder"
        case .notAReport(let path): return "\(path): not a planscribe report (it has no summary.json)"
        case .unreadable(let path, let reason): return "\(path): \(reason)"
        case .badGate(let text):
            return "--fail-on \(text): not a condition planscribe knows; use cost>USD, growth>PERCENT%, not-done or denied"
        }
    }
}
