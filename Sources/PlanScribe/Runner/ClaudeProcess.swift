import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the CLI could not be started at all.
public enum ClaudeProcessError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No executable at the path, or none named `claude` on PATH.
    case notFound(String)
    /// The executable could not be launched.
    case launchFailed(String, reason: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .notFound(let what):
            return
                "the Claude Code CLI was not found (\(what)). Install it (npm install -g @anthropic-ai/claude-code, or pip install claude-agent-sdk, whose wheel carries it at claude_agent_sdk/_bundled/claude), then put it on PATH, set PLANSCRIBE_CLAUDE, or pass --claude PATH"
        case .launchFailed(let path, let reason):
            return "cannot start \(path): \(reason)"
        }
    }
}

/// Runs the Claude Code CLI once: stdout decoded event by event as it arrives (and copied
/// raw to a file), stderr kept (its last 64 KB), the whole process group ended on a timeout
/// or when the calling task is cancelled.
public struct ClaudeProcess: Sendable {
    /// The CLI binary.
    public var binary: String
    /// The environment of the child process.
    public var environment: [String: String]
    /// Whether the copy of its output (`run/stream/*.jsonl`) has API keys, tokens and
    /// passwords replaced by `[REDACTED]` (``Redactor``); on by default.
    public var redactsRawOutput = true

    /// Creates a runner for a binary.
    public init(binary: String, environment: [String: String]) {
        self.binary = binary
        self.environment = environment
    }

    /// The binary to use: `explicit`, else `$PLANSCRIBE_CLAUDE`, else `claude` on `PATH`.
    ///
    /// - Throws: ``ClaudeProcessError/notFound(_:)``.
    public static func locate(explicit: String?, environment: [String: String]) throws -> String {
        func executable(_ path: String) -> Bool {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue && FileManager.default.isExecutableFile(atPath: path)
        }
        if let explicit {
            // Relative to the current folder, not to the workspace the CLI runs in.
            let absolute = (Paths.absolute(explicit) as NSString).standardizingPath
            guard executable(absolute) else { throw ClaudeProcessError.notFound("no executable at \(explicit)") }
            return absolute
        }
        if let fromEnv = environment["PLANSCRIBE_CLAUDE"], !fromEnv.isEmpty {
            guard executable(fromEnv) else { throw ClaudeProcessError.notFound("PLANSCRIBE_CLAUDE=\(fromEnv) is not an executable") }
            return fromEnv
        }
        for dir in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = String(dir) + "/claude"
            if executable(candidate) { return candidate }
        }
        throw ClaudeProcessError.notFound("no claude on PATH")
    }

    /// Runs the CLI once.
    ///
    /// - Parameters:
    ///   - arguments: the arguments after the binary.
    ///   - workingDirectory: the child's working directory.
    ///   - timeout: how long it may run before its process group is ended.
    ///   - rawOutput: a file to copy stdout into: byte for byte, or line by line with secrets
    ///     redacted when ``redactsRawOutput`` is set.
    ///   - onStart: called with the child's pid once it runs.
    ///   - stopWhen: called with each event; a reason it returns ends the CLI's process group at
    ///     once and becomes the outcome's failure.
    ///   - onEvent: called for each event, in order, as it arrives.
    /// - Returns: the outcome; a failure of the CLI is an outcome, not an error.
    /// - Throws: ``ClaudeProcessError`` when the CLI cannot be started.
    public func run(
        arguments: [String], workingDirectory: String, timeout: Duration, rawOutput: String?,
        onStart: (@Sendable (pid_t) -> Void)? = nil,
        stopWhen: (@Sendable (StreamEvent) -> String?)? = nil,
        onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async throws -> InvocationOutcome {
        var options = PlatformOptions()
        options.createSession = true  // its own process group, so that ending it ends its children
        let configuration = Configuration(
            executable: .path(FilePath(binary)), arguments: Arguments(arguments),
            environment: .custom(Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) })),
            workingDirectory: FilePath(workingDirectory), platformOptions: options)
        let raw: FileHandle?
        if let rawOutput {
            _ = FileManager.default.createFile(atPath: rawOutput, contents: nil)
            raw = FileHandle(forWritingAtPath: rawOutput)
        } else {
            raw = nil
        }
        defer { try? raw?.close() }
        var outcome: InvocationOutcome
        let status: TerminationStatus
        do {
            let result = try await Subprocess.run(configuration, input: .none, output: .sequence, error: .sequence) { execution in
                let pid = execution.processIdentifier.value
                onStart?(pid)
                let ender = GroupEnder(pid: pid)
                defer { ender.exited() }
                return try await withTaskCancellationHandler {
                    try await Self.collect(execution, ender: ender, timeout: timeout, raw: raw, redactsRaw: redactsRawOutput, stopWhen: stopWhen, onEvent: onEvent)
                } onCancel: {
                    ender.end()
                }
            }
            outcome = result.closureResult
            status = result.terminationStatus
        } catch let error as SubprocessError {
            throw ClaudeProcessError.launchFailed(binary, reason: String(describing: error))
        }
        switch status {
        case .exited(let code): outcome.exitCode = code
        case .signaled(let signal): outcome.signal = signal
        }
        if Task.isCancelled { outcome.interrupted = true }
        return outcome
    }

    private enum Part: Sendable {
        case stdout(InvocationOutcome)
        case stderr(String)
        case timedOut
        case timerStopped
    }

    private static func collect(
        _ execution: Execution<NoInput, SequenceOutput, SequenceOutput>, ender: GroupEnder, timeout: Duration, raw: FileHandle?,
        redactsRaw: Bool, stopWhen: (@Sendable (StreamEvent) -> String?)?, onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async throws -> InvocationOutcome {
        try await withThrowingTaskGroup(of: Part.self) { group in
            group.addTask {
                let stop = LockedValue<String?>(nil)  // the reason a stopWhen check gave, set once
                let events: @Sendable (StreamEvent) -> Void = { event in
                    onEvent(event)
                    if let stopWhen, stop.value == nil, let reason = stopWhen(event) {
                        stop.value = reason
                        ender.end()
                    }
                }
                var splitter = StreamSplitter(onEvent: events, raw: raw, redactsRaw: redactsRaw)
                for try await buffer in execution.standardOutput {
                    buffer.withUnsafeBytes { splitter.feed($0) }
                }
                splitter.finish()
                var outcome = splitter.outcome
                outcome.stopReason = stop.value
                return .stdout(outcome)
            }
            group.addTask {
                var tail = [UInt8]()
                for try await buffer in execution.standardError {
                    buffer.withUnsafeBytes { tail.append(contentsOf: $0) }
                    if tail.count > 128 * 1024 { tail.removeFirst(tail.count - 64 * 1024) }
                }
                if tail.count > 64 * 1024 { tail.removeFirst(tail.count - 64 * 1024) }
                return .stderr(String(decoding: tail, as: UTF8.self))
            }
            group.addTask {
                do {
                    try await Task.sleep(for: timeout)
                } catch {
                    return .timerStopped
                }
                ender.end()
                return .timedOut
            }
            var outcome = InvocationOutcome()
            var stderr = ""
            var timedOut = false
            var pipesOpen = 2
            while pipesOpen > 0, let part = try await group.next() {
                switch part {
                case .stdout(let o): outcome = o; pipesOpen -= 1
                case .stderr(let s): stderr = s; pipesOpen -= 1
                case .timedOut: timedOut = true
                case .timerStopped: break
                }
            }
            group.cancelAll()
            while let part = try await group.next() {
                if case .timedOut = part { timedOut = true }
            }
            outcome.stderrTail = stderr
            outcome.timedOut = timedOut
            return outcome
        }
    }
}

/// Ends the CLI's process group the way it can save its work: SIGTERM (on which it writes the
/// session's running cost, its `cost-state` line, and exits), then SIGKILL after a grace
/// period unless the process has exited by then.
final class GroupEnder: @unchecked Sendable {
    /// How long the CLI has between SIGTERM and SIGKILL.
    static let grace: Double = 3
    private let pid: pid_t
    private let lock = NSLock()
    private var done = false
    private var ending = false

    init(pid: pid_t) { self.pid = pid }

    /// Sends SIGTERM to the group now and SIGKILL after the grace period (once).
    func end() {
        lock.lock()
        defer { lock.unlock() }
        guard !done, !ending else { return }
        ending = true
        kill(-pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.grace) { [self] in
            lock.lock()
            defer { lock.unlock() }
            if !done { kill(-pid, SIGKILL) }
        }
    }

    /// The process has exited and been reaped: its id may be reused, so no signal follows.
    func exited() {
        lock.lock()
        done = true
        lock.unlock()
    }
}

extension ClaudeProcessError: PlanScribeError {
    /// The CLI is missing or cannot start.
    public var isInputError: Bool { false }
}
