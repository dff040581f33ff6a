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
    /// Other files of the same session id (a copied projects tree) that are not read: the
    /// session is counted once, from `file`.
    public var copies: [String]

    /// Creates a source.
    public init(file: String, subagentFiles: [String] = [], firstTimestamp: String? = nil, copies: [String] = []) {
        self.file = file
        self.subagentFiles = subagentFiles
        self.firstTimestamp = firstTimestamp
        self.copies = copies
    }

    /// The session id: the file name without `.jsonl`.
    public var sessionID: String {
        var name = Paths.fileName(file)
        if name.hasSuffix(".jsonl") { name = name.dropLast(6) }
        return String(name)
    }
}

/// What earlier sessions already counted, so that a fork or a copied session read in the
/// same run is not counted twice.
public struct DuplicateFilter: Sendable {
    /// The session that owns each line, by the hash of the line's uuid (as an index into
    /// `owners`).
    private var uuidOwners = HashedKeyTable()
    private var owners: [String] = []
    private var ownerIndex: [String: UInt32] = [:]
    /// Hashes of the `(message.id, requestId)` keys counted.
    private var apiKeys = HashedKeyTable()
    /// Hashes of the message ids of main-thread calls counted.
    private var mainMessageIDs = HashedKeyTable()
    /// For the main-file lines sessions own, by uuid hash: the CLI's running cost figure
    /// written next after the line, as an index into `figures`.
    private var figureOfUUID = HashedKeyTable()
    private var figures: [Double] = []

    /// An empty filter.
    public init() {}

    /// True when no session owns a line yet (nothing to drop).
    var ownsNoLines: Bool { uuidOwners.count == 0 }

    /// The session that owns the line with this uuid hash.
    func owner(ofUUID hash: UInt64) -> String? {
        uuidOwners[hash].map { owners[Int($0)] }
    }

    /// Records that `session` owns the lines of `nodes`.
    mutating func setOwner(of nodes: [TranscriptFile.Node], to session: String) {
        let owner = index(of: session)
        for i in nodes.indices { uuidOwners.set(nodes[i].uuidHash, owner) }
    }

    /// The CLI's running cost figure its owner wrote next after the line with this uuid hash:
    /// what that session had spent when a fork copied the line.
    func figure(afterUUID hash: UInt64) -> Double? {
        figureOfUUID[hash].map { figures[Int($0)] }
    }

    /// Records the figures written after lines (uuid hashes; nil where none came after).
    mutating func setFigures(_ hashes: [UInt64], _ after: [Double?]) {
        for (hash, figure) in zip(hashes, after) {
            guard let figure else { continue }
            if figures.last != figure { figures.append(figure) }
            figureOfUUID.set(hash, UInt32(figures.count - 1), keepingOld: true)
        }
    }

    private mutating func index(of session: String) -> UInt32 {
        if let i = ownerIndex[session] { return i }
        let i = UInt32(owners.count)
        owners.append(session)
        ownerIndex[session] = i
        return i
    }

    func countsAPIKey(_ hash: UInt64) -> Bool { apiKeys.contains(hash) }
    mutating func addAPIKey(_ hash: UInt64) { apiKeys.set(hash, 0) }
    func countsMainMessageID(_ hash: UInt64) -> Bool { mainMessageIDs.contains(hash) }
    mutating func addMainMessageID(_ hash: UInt64) { mainMessageIDs.set(hash, 0) }

    /// True when nothing this filter holds is in `other` (the session it was built from
    /// repeats nothing of the sessions before it).
    func isDisjoint(from other: DuplicateFilter, sidechainMessageIDs: [UInt64]) -> Bool {
        uuidOwners.isDisjoint(with: other.uuidOwners)
            && apiKeys.isDisjoint(with: other.apiKeys)
            && sidechainMessageIDs.allSatisfy { !other.mainMessageIDs.contains($0) }
    }

    /// Adds what another filter holds (where both hold a line, its owner stays).
    mutating func absorb(_ other: DuplicateFilter) {
        let remap = other.owners.map { index(of: $0) }
        other.uuidOwners.forEach { key, owner in uuidOwners.set(key, remap[Int(owner)], keepingOld: true) }
        other.apiKeys.forEach { key, _ in apiKeys.set(key, 0) }
        other.mainMessageIDs.forEach { key, _ in mainMessageIDs.set(key, 0) }
        other.figureOfUUID.forEach { key, at in
            guard !figureOfUUID.contains(key) else { return }
            if figures.last != other.figures[Int(at)] { figures.append(other.figures[Int(at)]) }
            figureOfUUID.set(key, UInt32(figures.count - 1))
        }
    }
}
