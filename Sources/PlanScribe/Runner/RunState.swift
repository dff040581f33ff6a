import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the runner does next in a phase; persisted before it starts, so that a run resumed
/// after a crash repeats only the invocation that was interrupted.
public struct PendingStep: Codable, Sendable, Equatable {
    /// Why this invocation is made.
    public enum Kind: String, Codable, Sendable {
        /// The phase's first turn.
        case start
        /// A canned reply (or the default reply).
        case reply
        /// A request for the missing PHASE_STATUS marker.
        case nudge
        /// The one retry after `error_max_turns`, with the larger turn budget.
        case retry
    }

    /// Why.
    public var kind: Kind

    /// Creates a step.
    public init(kind: Kind, message: String? = nil, replyIndex: Int? = nil, question: String? = nil) {
        self.kind = kind
        self.message = message
        self.replyIndex = replyIndex
        self.question = question
    }
    /// The message sent (nil for `start`, whose prompt comes from the plan).
    public var message: String?
    /// Which canned reply (index into the phase's replies), nil for the default reply.
    public var replyIndex: Int?
    /// The question it answers (the agent's last text, shortened).
    public var question: String?

    enum CodingKeys: String, CodingKey {
        case kind, message, question
        case replyIndex = "reply_index"
    }
}

/// One phase's progress in a run.
public struct PhaseRecord: Codable, Sendable, Equatable {
    /// Where the phase stands.
    public enum Status: String, Codable, Sendable {
        /// Not started.
        case pending
        /// Started, not finished (or interrupted).
        case running
        /// Reached `ready_to_advance`.
        case done
        /// Waiting for input with no reply left, or out of its reply budget.
        case stalled
        /// An API error, a timeout, a crash of the CLI, or out of turns after the retry.
        case failed
    }

    /// The phase command.
    public var name: String
    /// Where it stands.
    public var status: Status = .pending
    /// The session it runs in.
    public var sessionID: String?
    /// The step to take next (while running).
    public var next: PendingStep?
    /// Canned replies used, by index.
    public var usedReplies: [Int] = []
    /// Replies of any kind sent (canned, default, nudges): the budget `max_replies` bounds.
    public var repliesSent = 0
    /// Whether the `error_max_turns` retry was used.
    public var retried = false
    /// Invocations made.
    public var invocations = 0
    /// The CLI's cost of the phase's invocations, summed.
    public var costUSD: Double = 0
    /// The session's cumulative cost after the last invocation (to take differences).
    public var sessionTotalUSD: Double?
    /// Why it ended the way it did.
    public var reason: String?
    /// When it started and finished (ISO 8601).
    public var startedAt: String?
    /// When it finished.
    public var finishedAt: String?
    /// Nudges sent since the agent last ended a turn with a marker (absent: none).
    public var nudgesInARow: Int?
    /// The estimated cost of invocations the CLI gave no figure for (ended before their
    /// result, without a `cost-state` line), from their streams; absent when none.
    public var unreportedUSD: Double?
    /// The wall time of its invocations, summed (what a phase's `time_limit_s` bounds).
    public var seconds: Double?
    /// The budget that stopped it, when one did.
    public var overBudget: String?
    /// The canned replies the phase started with (``Plan/PhasePlan/replyRecord``): a phase
    /// under way goes on only with the same ones.
    public var replies: [String]?

    /// What the phase has cost: the CLI's figures and the estimates where it gave none.
    public var spentUSD: Double { costUSD + (unreportedUSD ?? 0) }

    enum CodingKeys: String, CodingKey {
        case name, status, next, retried, invocations, reason, seconds
        case replies
        case unreportedUSD = "unreported_usd"
        case overBudget = "over_budget"
        case nudgesInARow = "nudges_in_a_row"
        case sessionID = "session_id"
        case usedReplies = "used_replies"
        case repliesSent = "replies_sent"
        case costUSD = "cost_usd"
        case sessionTotalUSD = "session_total_usd"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    /// Creates a pending record.
    public init(name: String) {
        self.name = name
    }
}

/// A run's state: saved to `run/state.json` after every step, under the run's lock, by
/// writing a temporary file and renaming it.
public struct RunState: Codable, Sendable, Equatable {
    /// How the run stands.
    public enum Status: String, Codable, Sendable {
        /// Going on (or crashed while going on).
        case running
        /// Every phase it could run has ended.
        case finished
        /// Stopped by Ctrl-C; `--resume` continues it.
        case interrupted
        /// Stopped because it crossed a budget (the run's, or a phase's with the run going
        /// no further); `--resume --retry` with a larger budget continues it.
        case overBudget = "over_budget"
    }

    /// The schema version of `state.json`.
    public var schemaVersion = 1
    /// The plan's slug.
    public var slug: String
    /// The plan file.
    public var planFile: String
    /// The workspace the CLI ran in.
    public var workspace: String
    /// The `CLAUDE_CONFIG_DIR` used (with `--isolate`), where the transcripts are.
    public var claudeConfigDir: String?
    /// The plan's description the run started with (every phase's first prompt holds it).
    public var description: String?
    /// How the run stands.
    public var status: Status = .running
    /// When it started.
    public var startedAt: String
    /// When it last changed.
    public var updatedAt: String
    /// The CLI's version, once known.
    public var cliVersion: String?
    /// The phases, in plan order.
    public var phases: [PhaseRecord]
    /// How the run was started (absent in runs recorded before planscribe kept it).
    public var settings: RunSettings?
    /// The budget that stopped the run (or, with `--keep-going`, the first phase budget
    /// crossed), when one did.
    public var overBudget: BudgetCrossing?

    enum CodingKeys: String, CodingKey {
        case slug, status, workspace, phases, settings, description
        case overBudget = "over_budget"
        case schemaVersion = "schema_version"
        case planFile = "plan_file"
        case claudeConfigDir = "claude_config_dir"
        case startedAt = "started_at"
        case updatedAt = "updated_at"
        case cliVersion = "cli_version"
    }
}

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

/// One line of `run/invocations.jsonl`: everything about one invocation of the CLI.
public struct InvocationRecord: Codable, Sendable, Equatable {
    /// Creates a record.
    public init(index: Int, phase: String, kind: PendingStep.Kind, replyIndex: Int?, question: String?, argv: [String], startedAt: String, durationMs: Int, exitCode: Int32?, signal: Int32?, timedOut: Bool, interrupted: Bool, subtype: String?, isError: Bool?, sessionID: String?, usage: TokenUsage?, costUSD: Double?, sessionTotalUSD: Double?, marker: String?, failure: String?, apiRetries: Int, streamFile: String, permissionDenials: [String]? = nil) {
        self.permissionDenials = permissionDenials
        self.index = index
        self.phase = phase
        self.kind = kind
        self.replyIndex = replyIndex
        self.question = question
        self.argv = argv
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.interrupted = interrupted
        self.subtype = subtype
        self.isError = isError
        self.sessionID = sessionID
        self.usage = usage
        self.costUSD = costUSD
        self.sessionTotalUSD = sessionTotalUSD
        self.marker = marker
        self.failure = failure
        self.apiRetries = apiRetries
        self.streamFile = streamFile
    }

    /// 1-based position in the run.
    public var index: Int
    /// The phase command.
    public var phase: String
    /// Why the invocation was made.
    public var kind: PendingStep.Kind
    /// The canned reply sent (its index in the plan), nil for others.
    public var replyIndex: Int?
    /// The question the reply answered (the agent's last text, shortened and redacted).
    public var question: String?
    /// The arguments, system prompt replaced by its size, secrets redacted.
    public var argv: [String]
    /// When it started (ISO 8601).
    public var startedAt: String
    /// How long it took.
    public var durationMs: Int
    /// The exit code, when the CLI exited.
    public var exitCode: Int32?
    /// The signal that ended the CLI, when one did.
    public var signal: Int32?
    /// True when planscribe ended it for taking too long.
    public var timedOut: Bool
    /// True when the run was interrupted during it.
    public var interrupted: Bool
    /// The result's subtype.
    public var subtype: String?
    /// The result's success flag (false is success).
    public var isError: Bool?
    /// The session it ran in.
    public var sessionID: String?
    /// Its tokens.
    public var usage: TokenUsage?
    /// The cost of this invocation alone (difference of the session's cumulative totals).
    public var costUSD: Double?
    /// The session's cumulative total the CLI reported.
    public var sessionTotalUSD: Double?
    /// The PHASE_STATUS marker its final text ended with.
    public var marker: String?
    /// Why it failed, when it did.
    public var failure: String?
    /// The CLI's own API retries during it.
    public var apiRetries: Int
    /// Its raw stream-json, relative to the run folder.
    public var streamFile: String
    /// The tools whose calls the CLI refused for want of permission (its result's
    /// `permission_denials`), one per refused call; absent in older records.
    public var permissionDenials: [String]?
    /// Where ``costUSD`` comes from: `result` (the result event), `cost_state` (the CLI ended
    /// without a result, and its transcript's last `cost-state` line gave the session's total),
    /// nil when the CLI gave no figure.
    public var costSource: String?
    /// The API calls the stream showed, and their estimated cost from the stream's usage
    /// (``StreamSpend``): what budgets counted while it ran.
    public var streamAPICalls: Int?
    /// See ``streamAPICalls``.
    public var streamEstimateUSD: Double?

    enum CodingKeys: String, CodingKey {
        case index, phase, kind, question, argv, subtype, usage, marker, failure, signal, interrupted
        case costSource = "cost_source"
        case streamAPICalls = "stream_api_calls"
        case streamEstimateUSD = "stream_estimate_usd"
        case permissionDenials = "permission_denials"
        case replyIndex = "reply_index"
        case startedAt = "started_at"
        case durationMs = "duration_ms"
        case exitCode = "exit_code"
        case timedOut = "timed_out"
        case isError = "is_error"
        case sessionID = "session_id"
        case costUSD = "cost_usd"
        case sessionTotalUSD = "session_total_usd"
        case apiRetries = "api_retries"
        case streamFile = "stream_file"
    }

    /// Every field, absent ones as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(phase, forKey: .phase)
        try c.encode(kind, forKey: .kind)
        try c.encode(replyIndex, forKey: .replyIndex)
        try c.encode(question, forKey: .question)
        try c.encode(argv, forKey: .argv)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(durationMs, forKey: .durationMs)
        try c.encode(exitCode, forKey: .exitCode)
        try c.encode(signal, forKey: .signal)
        try c.encode(timedOut, forKey: .timedOut)
        try c.encode(interrupted, forKey: .interrupted)
        try c.encode(subtype, forKey: .subtype)
        try c.encode(isError, forKey: .isError)
        try c.encode(sessionID, forKey: .sessionID)
        try c.encode(usage, forKey: .usage)
        try c.encode(costUSD, forKey: .costUSD)
        try c.encode(sessionTotalUSD, forKey: .sessionTotalUSD)
        try c.encode(marker, forKey: .marker)
        try c.encode(failure, forKey: .failure)
        try c.encode(apiRetries, forKey: .apiRetries)
        try c.encode(streamFile, forKey: .streamFile)
        try c.encode(permissionDenials ?? [], forKey: .permissionDenials)
        try c.encode(costSource, forKey: .costSource)
        try c.encode(streamAPICalls, forKey: .streamAPICalls)
        try c.encode(streamEstimateUSD, forKey: .streamEstimateUSD)
    }
}

/// Why a run record cannot be used.
public enum RunRecordError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Another planscribe holds the run's lock.
    case busy(folder: String)
    /// A file of the record cannot be read or written.
    case io(path: String, reason: String)
    /// `state.json` is not what planscribe writes.
    case invalidState(path: String, reason: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .busy(let folder): return "another planscribe run is using \(folder) (its lock is held); wait for it to finish, or stop it first"
        case .io(let path, let reason): return "\(path): \(reason)"
        case .invalidState(let path, let reason): return "\(path): not a planscribe run state (\(reason)); start over with --restart"
        }
    }
}

/// The run folder (`output/<slug>/run/`): the exclusive lock, `state.json`,
/// `invocations.jsonl` and the raw stream-json of every invocation.
public final class RunRecord: @unchecked Sendable {
    /// The folder.
    public let folder: String
    private let lockDescriptor: Int32

    /// Opens (creating) the folder and takes its lock, without waiting.
    ///
    /// - Throws: ``RunRecordError/busy(folder:)`` when another run holds it.
    public init(folder: String) throws {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(atPath: folder + "/stream", withIntermediateDirectories: true)
        } catch {
            // Say why: the nearest existing folder above it, and what the system said.
            var above = (folder as NSString).deletingLastPathComponent
            while !above.isEmpty, above != "/", !FileManager.default.fileExists(atPath: above) { above = (above as NSString).deletingLastPathComponent }
            var isDir: ObjCBool = false
            let why: String
            if !above.isEmpty, FileManager.default.fileExists(atPath: above, isDirectory: &isDir), !isDir.boolValue {
                why = "\(above) is a file, not a folder"
            } else if !above.isEmpty, !FileManager.default.isWritableFile(atPath: above) {
                why = "\(above) is not writable"
            } else {
                why = (error as NSError).localizedDescription
            }
            throw RunRecordError.io(path: folder, reason: "cannot create the run folder: " + why)
        }
        let fd = open(folder + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunRecordError.io(path: folder + "/lock", reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw RunRecordError.busy(folder: folder)
        }
        lockDescriptor = fd
        // With the lock held, temporary files are what a killed run left behind.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.contains(".tmp-") {
            unlink(folder + "/" + name)
        }
    }

    deinit {
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }

    var statePath: String { folder + "/state.json" }
    var invocationsPath: String { folder + "/invocations.jsonl" }

    /// The saved state, or nil when there is none.
    public func loadState() throws -> RunState? {
        guard let data = FileManager.default.contents(atPath: statePath) else { return nil }
        do {
            return try JSONDecoder().decode(RunState.self, from: data)
        } catch {
            throw RunRecordError.invalidState(path: statePath, reason: String(describing: error).prefix(120).description)
        }
    }

    /// Saves the state: a temporary file, flushed, renamed over `state.json`.
    public func save(_ state: RunState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(state) + Data("\n".utf8)
        try Self.atomicWrite(data, to: statePath)
    }

    /// The invocations recorded so far.
    public func loadInvocations() -> [InvocationRecord] {
        guard let data = FileManager.default.contents(atPath: invocationsPath) else { return [] }
        var out: [InvocationRecord] = []
        data.withUnsafeBytes { bytes in
            LineScanner.scan(bytes) { line in
                if let record = try? JSONDecoder().decode(InvocationRecord.self, from: Data(line.bytes)) { out.append(record) }
            }
        }
        return out
    }

    /// Appends one invocation's line (one write, flushed).
    public func append(_ record: InvocationRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(record)
        line.append(0x0A)
        let fd = open(invocationsPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunRecordError.io(path: invocationsPath, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(fd) == 0 else { throw RunRecordError.io(path: invocationsPath, reason: "short write") }
    }

    var childPath: String { folder + "/child" }

    /// Notes the CLI process of the invocation in progress (`pid start-time`), so that a run
    /// killed outright (kill -9, power loss) can have it ended when it is resumed.
    public func recordChild(_ pid: pid_t) {
        guard let started = Self.startTime(of: pid) else { return }
        try? Self.atomicWrite(Data("\(pid) \(started)\n".utf8), to: childPath)
    }

    /// Forgets the CLI process: its invocation is over.
    public func clearChild() {
        unlink(childPath)
    }

    /// Ends the CLI process a killed run left running, when there is one: its whole process
    /// group, politely first. A recorded pid that now belongs to another process (its start
    /// time differs) is left alone.
    ///
    /// - Returns: the pid it ended, or nil.
    public func endOrphanedChild() -> pid_t? {
        defer { clearChild() }
        guard let text = try? String(contentsOfFile: childPath, encoding: .utf8) else { return nil }
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count == 2, let pid = pid_t(parts[0]), pid > 1, let started = UInt64(parts[1]),
            Self.startTime(of: pid) == started
        else { return nil }
        kill(-pid, SIGTERM)
        for _ in 0..<30 where Self.startTime(of: pid) == started {
            usleep(100_000)
        }
        if Self.startTime(of: pid) == started { kill(-pid, SIGKILL) }
        return pid
    }

    /// When a process started, in clock ticks since boot (`/proc/PID/stat` field 22); nil when
    /// it does not exist (or there is no /proc to ask).
    static func startTime(of pid: pid_t) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (name) ": field 3 (state) is the first; field 22 is the twentieth.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z" else { return nil }  // a zombie has ended
        return UInt64(fields[19])
    }

    /// Removes everything but the lock (for `--restart`).
    public func clear() throws {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name != "lock" {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
        try FileManager.default.createDirectory(atPath: folder + "/stream", withIntermediateDirectories: true)
    }

    static func atomicWrite(_ data: Data, to path: String) throws {
        let temp = path + ".tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunRecordError.io(path: temp, reason: String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temp, path) == 0 else {
            unlink(temp)
            throw RunRecordError.io(path: path, reason: "cannot replace the file")
        }
    }
}
