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
        if width <= 1 || sources.count <= 1 {
            for source in sources {
                do {
                    try body(.success(reader.assemble(try reader.parse(source), filter: &filter)))
                } catch let error as TranscriptError {
                    try body(.failure(error))
                }
            }
            return
        }
        // How far parsing may run ahead of assembly: a large session holds up the one being
        // assembled, and the other cores keep parsing behind it. Summaries are small (bodies
        // are dropped), so they may run far ahead; full sessions hold every text.
        let slots = Slots(count: sources.count, window: detail == .full ? width * 2 : width * 32)
        let workers = min(width, sources.count)
        for _ in 0..<workers {
            DispatchQueue.global(qos: .userInitiated).async {
                while let index = slots.claim() {
                    let parsed: Result<SessionReader.ParsedSession, TranscriptError>
                    do {
                        parsed = .success(try reader.parse(sources[index]))
                    } catch let error as TranscriptError {
                        parsed = .failure(error)
                    } catch {
                        parsed = .failure(.unreadable(path: sources[index].file, reason: String(describing: error)))
                    }
                    slots.fill(index, parsed)
                }
            }
        }
        defer { slots.cancel() }
        for index in sources.indices {
            switch slots.take(index) {
            case .success(let parsed):
                try body(.success(reader.assemble(parsed, filter: &filter)))
            case .failure(let error):
                try body(.failure(error))
            }
        }
    }

    /// Results by index, handed out in order, with at most `window` parsed ahead.
    private final class Slots: @unchecked Sendable {
        private let condition = NSCondition()
        private var results: [Int: Result<SessionReader.ParsedSession, TranscriptError>] = [:]
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

        func fill(_ index: Int, _ result: Result<SessionReader.ParsedSession, TranscriptError>) {
            condition.lock()
            results[index] = result
            condition.broadcast()
            condition.unlock()
        }

        func take(_ index: Int) -> Result<SessionReader.ParsedSession, TranscriptError> {
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
