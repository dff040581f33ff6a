import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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
        Self.cutTornTail(of: invocationsPath)
    }

    /// Cuts a last line without its newline off the file: the start of a record that a run
    /// killed while writing it left (SIGKILL may cut a write where it crosses a page). Left
    /// there, it would swallow the next record appended. Its invocation had not finished, so
    /// a resumed run makes it again.
    static func cutTornTail(of path: String) {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let end = lseek(fd, 0, SEEK_END)
        var last: UInt8 = 0
        guard end > 0, pread(fd, &last, 1, end - 1) == 1, last != 0x0A else { return }
        // The end of the last whole line: found from the end, a block at a time.
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var keep: off_t = 0
        var at = end
        search: while at > 0 {
            let from = max(0, at - off_t(buffer.count))
            let count = Int(at - from)
            guard buffer.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, count, from) }) == count else { return }
            for i in stride(from: count - 1, through: 0, by: -1) where buffer[i] == 0x0A {
                keep = from + off_t(i) + 1
                break search
            }
            at = from
        }
        if ftruncate(fd, keep) == 0 { fsync(fd) }
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

extension RunRecordError: PlanScribeError {
    /// The run folder is busy or unwritable.
    public var isInputError: Bool { false }
}
