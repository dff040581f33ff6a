/// The files that make up one session: its transcript and its subagents' transcripts.
public struct SessionSource: Sendable, Hashable {
    /// The session's `.jsonl` file.
    public var file: String
    /// Subagent transcripts: `<session>/subagents/agent-*.jsonl`, or the older
    /// `agent-*.jsonl` beside the session files whose lines name this session.
    public var subagentFiles: [String]
    /// The first timestamp in the file, which orders sessions (and decides, for lines two
    /// files share, which one owns them).
    public var firstTimestamp: String?

    /// Creates a source.
    public init(file: String, subagentFiles: [String] = [], firstTimestamp: String? = nil) {
        self.file = file
        self.subagentFiles = subagentFiles
        self.firstTimestamp = firstTimestamp
    }

    /// The session id: the file name without `.jsonl`.
    public var sessionID: String {
        var name = Substring(file.split(separator: "/").last ?? Substring(file))
        if name.hasSuffix(".jsonl") { name = name.dropLast(6) }
        return String(name)
    }
}

/// What earlier sessions already counted, so that a fork or a copied session read in the
/// same run is not counted twice.
public struct DuplicateFilter: Sendable {
    /// The session that owns each line, by the hash of the line's uuid.
    var uuidOwners: [UInt64: String] = [:]
    /// Hashes of the `(message.id, requestId)` keys counted.
    var apiKeys: Set<UInt64> = []
    /// Hashes of the message ids of main-thread calls counted.
    var mainMessageIDs: Set<UInt64> = []

    /// An empty filter.
    public init() {}

    /// True when nothing this filter holds is in `other` (the session it was built from
    /// repeats nothing of the sessions before it).
    func isDisjoint(from other: DuplicateFilter, sidechainMessageIDs: [UInt64]) -> Bool {
        uuidOwners.keys.allSatisfy { other.uuidOwners[$0] == nil }
            && apiKeys.isDisjoint(with: other.apiKeys)
            && sidechainMessageIDs.allSatisfy { !other.mainMessageIDs.contains($0) }
    }

    /// Adds what another filter holds.
    mutating func absorb(_ other: DuplicateFilter) {
        uuidOwners.merge(other.uuidOwners) { old, _ in old }
        apiKeys.formUnion(other.apiKeys)
        mainMessageIDs.formUnion(other.mainMessageIDs)
    }
}
