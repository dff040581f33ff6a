import Foundation

/// A run as its `summary.json` gives it: what ``RunDiff`` compares and ``Gate`` checks. Read
/// from a report folder or a `summary.json` file (``read(_:)``), or made from transcripts as
/// `render` would write it (``ReportBuilder/snapshot(of:source:)``), so that every side of a
/// comparison comes through the same file format.
public struct RunSnapshot: Sendable, Equatable, Decodable {
    /// One reply a phase got and the question it answered.
    public struct Decision: Sendable, Equatable, Decodable {
        /// The last words of the turn before the reply.
        public var question: String
        /// How the reply came: `canned reply`, `default reply`, `nudge: …`.
        public var label: String
        /// The reply.
        public var reply: String
    }

    /// One phase.
    public struct Phase: Sendable, Equatable, Decodable {
        /// Its place in the run, from 1.
        public var number: Int
        /// Its name (`/office-hours`).
        public var name: String
        /// `done`, `stalled`, `failed`, `not-run` or `conversation`.
        public var outcome: String
        /// Why it ended so.
        public var reason: String
        /// Its turns.
        public var turns: Int
        /// Its API calls.
        public var apiCalls: Int
        /// Its tokens.
        public var usage: TokenUsage
        /// Usage × prices; nil when a model has no price.
        public var estimatedCostUSD: USD?
        /// The CLI's own figure, where it wrote one.
        public var reportedCostUSD: USD?
        /// Seconds from its first to its last message.
        public var durationSeconds: Double?
        /// Tool calls the CLI refused for want of permission.
        public var permissionDenials: [String]
        /// Its replies (a `summary.json` from before planscribe wrote them has none).
        public var decisions: [Decision]

        /// The keys `summary.json` writes (one list, ``RunSummary``'s).
        typealias CodingKeys = RunSummary.PhaseEntry.CodingKeys

        /// Decodes a phase of `summary.json`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            number = try c.decode(Int.self, forKey: .number)
            name = try c.decode(String.self, forKey: .name)
            outcome = try c.decode(String.self, forKey: .outcome)
            reason = try c.decodeIfPresent(String.self, forKey: .reason) ?? ""
            turns = try c.decode(Int.self, forKey: .turns)
            apiCalls = try c.decode(Int.self, forKey: .apiCalls)
            usage = try c.decode(TokenUsage.self, forKey: .usage)
            estimatedCostUSD = try c.decodeIfPresent(USD.self, forKey: .estimatedCostUSD)
            reportedCostUSD = try c.decodeIfPresent(USD.self, forKey: .reportedCostUSD)
            durationSeconds = try c.decodeIfPresent(Double.self, forKey: .durationSeconds)
            permissionDenials = try c.decodeIfPresent([String].self, forKey: .permissionDenials) ?? []
            decisions = try c.decodeIfPresent([Decision].self, forKey: .decisions) ?? []
        }

        /// A planning phase (not conversation outside any phase).
        public var isPlanning: Bool { outcome != "conversation" }
    }

    /// Where it was read from (a folder, a file, or the transcripts named).
    public var source = ""
    /// A hash of the summary's bytes: what a render's cache key takes from a baseline.
    public var fingerprint = ""
    /// The report's title.
    public var title: String
    /// The phases, in run order.
    public var phases: [Phase]
    /// The whole run's tokens.
    public var usage: TokenUsage
    /// Usage × prices for the whole run; nil when a model has no price.
    public var estimatedCostUSD: USD?
    /// The CLI's figure for the sessions that carry one.
    public var reportedCostUSD: USD?
    /// How many sessions the run has.
    public var sessions: Int
    /// How many of them carry the CLI's figure.
    public var sessionsReported: Int
    /// For a run planscribe drove: `finished`, `failed`, `over_budget`…
    public var runStatus: String?
    /// The time of the run's last message.
    public var end: String?
    /// The gates the report was rendered with, as they were checked then.
    public var gates: [CheckedGate]

    /// A gate as `summary.json` records it.
    public struct CheckedGate: Sendable, Equatable, Decodable {
        /// The gate as written (`cost>5`).
        public var gate: String
        /// True when the run crossed it.
        public var failed: Bool
        /// What was found, in words.
        public var message: String
    }

    /// The keys `summary.json` writes (one list, ``RunSummary``'s).
    typealias CodingKeys = RunSummary.CodingKeys

    /// Decodes `summary.json`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let version = try c.decode(Int.self, forKey: .schemaVersion)
        guard version <= RunSummary.schemaVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .schemaVersion, in: c,
                debugDescription: "schema_version \(version) is newer than this planscribe reads (\(RunSummary.schemaVersion))")
        }
        title = try c.decode(String.self, forKey: .title)
        phases = try c.decode([Phase].self, forKey: .phases)
        usage = try c.decode(TokenUsage.self, forKey: .usage)
        estimatedCostUSD = try c.decodeIfPresent(USD.self, forKey: .estimatedCostUSD)
        reportedCostUSD = try c.decodeIfPresent(USD.self, forKey: .reportedCostUSD)
        sessions = try c.decodeIfPresent([String].self, forKey: .sessions)?.count ?? 0
        sessionsReported = try c.decodeIfPresent(Int.self, forKey: .sessionsReported) ?? 0
        runStatus = try c.decodeIfPresent(String.self, forKey: .runStatus)
        end = try c.decodeIfPresent(String.self, forKey: .end)
        gates = try c.decodeIfPresent([CheckedGate].self, forKey: .gates) ?? []
    }

    /// The run's cost as gates and comparisons count it: the CLI's own figure when every
    /// session carries one (it is what was billed), else the estimate. Nil when neither is
    /// known.
    public var cost: USD? { Self.cost(estimated: estimatedCostUSD, reported: reportedCostUSD, sessions: sessions, sessionsReported: sessionsReported).usd }

    /// Which figure ``cost`` is: `reported` or `estimated`.
    public var costSource: String { Self.cost(estimated: estimatedCostUSD, reported: reportedCostUSD, sessions: sessions, sessionsReported: sessionsReported).source }

    /// The rule of ``cost``, for any total: the CLI's figure when it covers every session,
    /// else the estimate; with the name of the figure taken.
    public static func cost(estimated: USD?, reported: USD?, sessions: Int, sessionsReported: Int) -> (usd: USD?, source: String) {
        if sessions > 0, sessionsReported == sessions, let reported { return (reported, "reported") }
        return (estimated, "estimated")
    }

    /// The snapshot in `data` (the bytes of a `summary.json`).
    ///
    /// - Throws: ``CompareError/unreadable(path:reason:)`` when it is not a planscribe summary.
    public static func decode(_ data: Data, source: String) throws -> RunSnapshot {
        do {
            var snapshot = try JSONDecoder().decode(RunSnapshot.self, from: data)
            snapshot.source = source
            snapshot.fingerprint = String(data.withUnsafeBytes { StableHash.of(bytes: $0) }, radix: 16)
            return snapshot
        } catch let error as DecodingError {
            throw CompareError.unreadable(path: source, reason: Self.describe(error))
        } catch {
            throw CompareError.unreadable(path: source, reason: "not JSON")
        }
    }

    /// Reads a report folder's `summary.json`, or a `summary.json` file.
    ///
    /// - Throws: ``CompareError`` when the path is neither, or the file is not a planscribe summary.
    public static func read(_ path: String) throws -> RunSnapshot {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw CompareError.missing(path: path) }
        let file = isFolder.boolValue ? (path as NSString).appendingPathComponent("summary.json") : path
        guard let data = FileManager.default.contents(atPath: file) else {
            throw isFolder.boolValue ? CompareError.notAReport(path: path) : CompareError.unreadable(path: file, reason: "cannot be read")
        }
        return try decode(data, source: path)
    }

    /// True when `path` is a report folder or a `.json` file (what ``read(_:)`` takes), false
    /// for transcripts.
    public static func isReport(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return path.hasSuffix(".json") }
        if !isFolder.boolValue { return path.hasSuffix(".json") }
        return FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("summary.json"))
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let p = path(context)
            return "not a planscribe summary.json: \(p.isEmpty ? key.stringValue : p + "." + key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "not a planscribe summary.json: \(path(context)) has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : context.debugDescription
        @unknown default:
            return "not a planscribe summary.json"
        }
    }
}
