import Dispatch
import Foundation

/// Reads many sessions fast: files are parsed on every core, sessions are assembled (and
/// de-duplicated against each other) one at a time in their start order, and handed on in
/// that order. At most a few sessions are in memory at once.
public enum SessionPipeline {
    /// Reads the sessions and calls `body` with each, oldest first.
    ///
    /// - Parameters:
    ///   - sources: sessions in run order (from ``TranscriptLocator/locate(_:)``).
    ///   - detail: how much of each message to keep.
    ///   - redactSecrets: replace secrets in every text (see ``Redactor``).
    ///   - maxLineBytes: lines longer than this are skipped with a diagnostic.
    ///   - width: how many files are parsed at once; by default the number of cores.
    ///   - body: called in order with each session, or the error that made its file unreadable.
    /// - Throws: what `body` throws (the remaining work is abandoned).
    public static func forEach(
        _ sources: [SessionSource], detail: ReadDetail = .full, redactSecrets: Bool = true,
        maxLineBytes: Int = LineScanner.defaultMaxLineBytes,
        width: Int = ProcessInfo.processInfo.activeProcessorCount,
        _ body: (Result<Session, TranscriptError>) throws -> Void
    ) throws {
        var configured = SessionReader(detail: detail, redactSecrets: redactSecrets)
        configured.maxLineBytes = maxLineBytes
        let reader = configured
        var filter = DuplicateFilter()
        // How far parsing may run ahead of assembly: a large session holds up the one being
        // assembled, and the other cores keep parsing behind it. Summaries are small (bodies
        // are dropped), so they may run far ahead; full sessions hold every text.
        try inOrder(
            count: sources.count, width: width, window: detail == .full ? width * 2 : width * 32,
            work: { index in parse(sources[index], with: reader) }
        ) { _, parsed in
            switch parsed {
            case .success(let parsed):
                try body(.success(reader.assemble(parsed, filter: &filter)))
            case .failure(let error):
                try body(.failure(error))
            }
        }
    }

    private static func parse(_ source: SessionSource, with reader: SessionReader) -> Result<SessionReader.ParsedSession, TranscriptError> {
        do {
            return .success(try reader.parse(source))
        } catch let error as TranscriptError {
            return .failure(error)
        } catch {
            return .failure(.unreadable(path: source.file, reason: String(describing: error)))
        }
    }

    /// Runs `work` for every index on `width` threads, at most `window` ahead of the one
    /// handed on, and calls `body` with each result in index order on the calling thread.
    private static func inOrder<Value>(
        count: Int, width: Int, window: Int, work: @escaping @Sendable (Int) -> Value,
        _ body: (Int, Value) throws -> Void
    ) throws {
        if width <= 1 || count <= 1 {
            for index in 0..<count { try body(index, work(index)) }
            return
        }
        let slots = Slots<Value>(count: count, window: window)
        for _ in 0..<min(width, count) {
            DispatchQueue.global(qos: .userInitiated).async {
                while let index = slots.claim() { slots.fill(index, work(index)) }
            }
        }
        defer { slots.cancel() }
        for index in 0..<count { try body(index, slots.take(index)) }
    }

    /// Results by index, handed out in order, with at most `window` parsed ahead.
    private final class Slots<Value>: @unchecked Sendable {
        private let condition = NSCondition()
        private var results: [Int: Value] = [:]
        private var nextClaim = 0
        private var nextTake = 0
        private var cancelled = false
        private let count: Int
        private let window: Int

        init(count: Int, window: Int) {
            self.count = count
            self.window = window
        }

        func claim() -> Int? {
            condition.lock()
            defer { condition.unlock() }
            while !cancelled && nextClaim < count && nextClaim >= nextTake + window { condition.wait() }
            guard !cancelled, nextClaim < count else { return nil }
            nextClaim += 1
            return nextClaim - 1
        }

        func fill(_ index: Int, _ result: Value) {
            condition.lock()
            results[index] = result
            condition.broadcast()
            condition.unlock()
        }

        func take(_ index: Int) -> Value {
            condition.lock()
            defer { condition.unlock() }
            while results[index] == nil { condition.wait() }
            nextTake = index + 1
            condition.broadcast()
            return results.removeValue(forKey: index)!
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
