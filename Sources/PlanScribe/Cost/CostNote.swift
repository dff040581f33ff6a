/// A reason, seen in a session's transcript, why the CLI's reported figure and the estimate
/// from usage can differ.
public enum CostNote: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The session was compacted: the CLI bills its compaction calls, which write no
    /// transcript line, so the reported figure is higher.
    case compacted
    /// Calls come after the CLI's last cost figure, or a tool call was cut off by the end of
    /// its invocation: an invocation was cut short (or is still running), and the reported
    /// figure leaves out some of its calls.
    case cutShort = "cut_short"
    /// The agent searched the web: the CLI's WebSearch tool makes an API call of its own, which
    /// writes no transcript line, so the reported figure is higher (seen with the real CLI).
    case webSearch = "web_search"

    /// What a reader is told.
    public var explanation: String {
        switch self {
        case .compacted: return "compacted: the CLI also bills compaction calls, which write no transcript line"
        case .cutShort: return "an invocation was cut short or is still running: the CLI's figure leaves out its calls"
        case .webSearch: return "searched the web: the CLI also bills each WebSearch's own call, which writes no transcript line"
        }
    }

    /// Orders notes as they are declared.
    public static func < (a: CostNote, b: CostNote) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
