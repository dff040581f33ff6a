import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one invocation of the CLI amounted to.
public struct InvocationOutcome: Sendable, Equatable {
    /// The exit code, when the process exited.
    public var exitCode: Int32?
    /// The signal that ended it, when one did.
    public var signal: Int32?
    /// True when planscribe ended it for taking too long.
    public var timedOut = false
    /// True when planscribe ended it because the run was interrupted.
    public var interrupted = false
    /// The session id (from `system/init` or the result).
    public var sessionID: String?
    /// The last `result` event.
    public var result: ResultEvent?
    /// The CLI version and model from `system/init`.
    public var cliVersion: String?
    /// The model from `system/init`.
    public var model: String?
    /// The last assistant text of the main thread (the fallback when there is no result).
    public var lastAssistantText: String?
    /// The CLI's own API retries during the invocation.
    public var apiRetries = 0
    /// Lines of stdout that were not JSON events, with the reason.
    public var badLines: [String] = []
    /// The last part of stderr.
    public var stderrTail = ""

    /// The agent's final text: the result's, else the last assistant text.
    public var finalText: String? { result?.text ?? lastAssistantText }

    /// Why planscribe ended the CLI on seeing an event (a phase command it did not load).
    public var stopReason: String?

    /// A one-line reason when the invocation failed, nil when it succeeded.
    public var failure: String? {
        if let stopReason { return stopReason }
        if interrupted { return "interrupted" }
        if timedOut { return "timed out" }
        if let result {
            if !result.isError { return nil }
            if let status = result.apiErrorStatus { return "API error \(status): " + Figures.oneLine(result.text ?? "", limit: 200) }
            let detail = result.errors.first ?? result.text ?? ""
            return (result.subtype ?? "error") + (detail.isEmpty ? "" : ": " + Figures.oneLine(detail, limit: 200))
        }
        var reason = signal.map { "the CLI was killed by signal \($0)" } ?? "the CLI exited with code \(exitCode ?? -1) without a result"
        let tail = stderrTail.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | ")
        if !tail.isEmpty { reason += ": " + Figures.oneLine(Redactor.redact(tail), limit: 300) }
        return reason
    }
}

/// Splits stdout into lines across read buffers and decodes each as an event.
struct StreamSplitter {
    let onEvent: @Sendable (StreamEvent) -> Void
    let raw: FileHandle?
    /// Whether the copy in `raw` has its secrets redacted (line by line, as lines complete).
    let redactsRaw: Bool
    var pending: [UInt8] = []
    var outcome = InvocationOutcome()

    init(onEvent: @escaping @Sendable (StreamEvent) -> Void, raw: FileHandle?, redactsRaw: Bool = false) {
        self.onEvent = onEvent
        self.raw = raw
        self.redactsRaw = redactsRaw
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        if let raw, bytes.count > 0, !redactsRaw { raw.write(Data(bytes)) }
        var start = 0
        while start < bytes.count, let base = bytes.baseAddress, let hit = memchr(base + start, 0x0A, bytes.count - start) {
            let end = base.distance(to: UnsafeRawPointer(hit))
            if pending.isEmpty {
                line(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            } else {
                pending.append(contentsOf: bytes[start..<end])
                let whole = pending
                pending.removeAll(keepingCapacity: true)
                whole.withUnsafeBytes { line($0) }
            }
            start = end + 1
        }
        if start < bytes.count { pending.append(contentsOf: bytes[start...]) }
    }

    mutating func finish() {
        guard !pending.isEmpty else { return }
        let rest = pending
        pending = []
        rest.withUnsafeBytes { bytes in
            // A last line without a newline: the stream stopped mid-line.
            if case .failure(let error) = StreamEventDecoder.decode(bytes) {
                copy(bytes, newline: false)
                outcome.badLines.append("last line cut off (\(error.reason))")
            } else {
                line(bytes)
            }
        }
    }

    /// A session id names a transcript file and goes back to the CLI on `--resume`: only
    /// plain names (letters, digits, `-`, `_`; a UUID) are taken.
    private mutating func checked(_ session: String?) -> String? {
        guard let session else { return nil }
        let plain =
            !session.isEmpty && session.utf8.count <= 128
            && session.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F
            }
        if !plain { outcome.badLines.append("session id ignored (not a plain name): " + Figures.oneLine(session, limit: 80)) }
        return plain ? session : nil
    }

    /// Writes a line to the raw copy, redacted, when the copy is kept line by line.
    private func copy(_ bytes: UnsafeRawBufferPointer, newline: Bool) {
        guard redactsRaw, let raw else { return }
        var out = Data(Redactor.redactedJSONLine(bytes) ?? Array(bytes))
        if newline { out.append(0x0A) }
        raw.write(out)
    }

    private mutating func line(_ bytes: UnsafeRawBufferPointer) {
        copy(bytes, newline: true)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
        switch StreamEventDecoder.decode(bytes) {
        case .failure(let error):
            let preview = Figures.oneLine(Redactor.redact(String(decoding: bytes.prefix(120), as: UTF8.self)), limit: 80)
            outcome.badLines.append("\(error.reason): \(preview)")
        case .success(let event):
            switch event {
            case .started(let session, let model, let version, _):
                outcome.sessionID = outcome.sessionID ?? checked(session)
                outcome.model = outcome.model ?? model
                outcome.cliVersion = outcome.cliVersion ?? version
            case .assistant(let text, let fromSubagent, _):
                if !fromSubagent, !text.isEmpty { outcome.lastAssistantText = text }
            case .apiRetry:
                outcome.apiRetries += 1
            case .result(let result):
                outcome.result = result
                if let session = checked(result.sessionID) { outcome.sessionID = session }
            case .other:
                break
            }
            onEvent(event)
        }
    }
}
