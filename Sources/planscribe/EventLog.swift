import Foundation
import PlanScribe

/// `--events FILE`: every runner event appended as one JSON object per line, with the time
/// it happened (`time`, ISO 8601), flushed as it is written so that a follower sees it at once.
final class EventLog: @unchecked Sendable {
    struct Failure: PlanScribeError {
        var description: String
        var isInputError: Bool { false }
    }

    private let handle: FileHandle
    private let lock = NSLock()

    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path), !FileManager.default.createFile(atPath: path, contents: nil) {
            throw Failure(description: "cannot create the events file \(path)")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw Failure(description: "cannot write the events file \(path)") }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    func write(_ event: RunnerEvent) {
        var object = event.json
        lock.lock()
        defer { lock.unlock() }
        object["time"] = Timestamp.now()
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0A)
        handle.write(line)
    }

    deinit { try? handle.close() }
}
