#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One line handed out by ``LineScanner``: its 1-based number and its bytes, without the
/// line feed (and without a carriage return before it).
///
/// The bytes are only valid inside the closure that receives them.
public struct ScannedLine {
    /// The 1-based line number.
    public let number: Int
    /// The line's bytes, without its line ending.
    public let bytes: UnsafeRawBufferPointer
    /// False for a last line that ended without a line feed.
    public let isTerminated: Bool
    /// For a line longer than the limit: its length in bytes (its bytes are not kept).
    public var oversizedLength: Int? = nil
}

/// Splits a file or a buffer into lines with `memchr`, reading the file in large chunks so
/// that only the line being handled (and one chunk) is in memory.
public enum LineScanner {
    /// The size of each read from disk.
    public static let chunkSize = 1 << 20
    /// The longest line kept by default (64 MiB): longer ones are skipped, not loaded.
    public static let defaultMaxLineBytes = 64 << 20

    /// Reads the file at `path` and calls `body` for every line.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - body: Called once per line, in order; the line's bytes are valid only during the call.
    /// - Returns: how the file changed while it was read, when it did in a way that matters.
    /// - Throws: ``TranscriptError/unreadable(path:reason:)`` when the file cannot be opened or
    ///   read, or whatever `body` throws.
    @discardableResult
    public static func scanFile(
        atPath path: String,
        maxLineBytes: Int = defaultMaxLineBytes,
        _ body: (ScannedLine) throws -> Void
    ) throws -> FileChange? {
        // Non-blocking, so that opening a named pipe does not wait for a writer; only regular
        // files are read (a pipe or a device could block or never end).
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw TranscriptError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw TranscriptError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        if let kind = FileKind.nonRegular(info.st_mode) {
            throw TranscriptError.unreadable(path: path, reason: "not a regular file (\(kind))")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var capacity = chunkSize
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0  // bytes held in buffer
        var lineNumber = 0
        var skipping = 0  // > 0 while passing over an oversized line: its length so far
        var first = true
        var bytesRead = 0
        while true {
            if filled == capacity && filled >= maxLineBytes {
                // Too long to keep: pass over the rest of this line without holding it.
                skipping += filled
                filled = 0
            }
            if filled == capacity {
                // A line longer than the buffer: grow it.
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                bigger.copyMemory(from: buffer, byteCount: filled)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let got = read(fd, buffer + filled, capacity - filled)
            if got < 0 {
                if errno == EINTR { continue }
                throw TranscriptError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            bytesRead += got
            if got == 0 {
                if skipping > 0 {
                    lineNumber += 1
                    try body(ScannedLine(number: lineNumber, bytes: UnsafeRawBufferPointer(start: buffer, count: 0), isTerminated: false, oversizedLength: skipping + filled))
                } else if filled > maxLineBytes {
                    lineNumber += 1
                    try body(ScannedLine(number: lineNumber, bytes: UnsafeRawBufferPointer(start: buffer, count: 0), isTerminated: false, oversizedLength: filled))
                } else if filled > 0 {
                    lineNumber += 1
                    try body(ScannedLine(number: lineNumber, bytes: trimmed(buffer, filled), isTerminated: false))
                }
                return FileChange.detect(fd: fd, path: path, inode: info.st_ino, bytesRead: bytesRead)
            }
            var end = filled + got
            if first {
                first = false
                // A UTF-8 byte order mark at the start of the file is not part of the line.
                if end >= 3 && buffer.load(as: UInt8.self) == 0xEF && buffer.load(fromByteOffset: 1, as: UInt8.self) == 0xBB && buffer.load(fromByteOffset: 2, as: UInt8.self) == 0xBF {
                    memmove(buffer, buffer + 3, end - 3)
                    end -= 3
                }
            }
            var start = 0
            var searchFrom = filled
            while searchFrom < end,
                let hit = memchr(buffer + searchFrom, 0x0A, end - searchFrom)
            {
                let newline = buffer.distance(to: hit)
                lineNumber += 1
                if skipping > 0 {
                    try body(ScannedLine(number: lineNumber, bytes: UnsafeRawBufferPointer(start: buffer, count: 0), isTerminated: true, oversizedLength: skipping + newline - start))
                    skipping = 0
                } else if newline - start > maxLineBytes {
                    try body(ScannedLine(number: lineNumber, bytes: UnsafeRawBufferPointer(start: buffer, count: 0), isTerminated: true, oversizedLength: newline - start))
                } else {
                    try body(ScannedLine(number: lineNumber, bytes: trimmed(buffer + start, newline - start), isTerminated: true))
                }
                start = newline + 1
                searchFrom = start
            }
            let rest = end - start
            if rest > 0 && start > 0 {
                memmove(buffer, buffer + start, rest)
            }
            filled = rest
        }
    }

    /// Calls `body` for every line of an in-memory buffer (stream-json captured from a process,
    /// test input).
    ///
    /// - Parameters:
    ///   - bytes: The buffer to split.
    ///   - body: Called once per line, in order.
    public static func scan(
        _ bytes: UnsafeRawBufferPointer,
        _ body: (ScannedLine) throws -> Void
    ) rethrows {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            if let hit = memchr(base + start, 0x0A, bytes.count - start) {
                let newline = base.distance(to: UnsafeRawPointer(hit))
                try body(ScannedLine(number: lineNumber, bytes: trimmed(base + start, newline - start), isTerminated: true))
                start = newline + 1
            } else {
                try body(ScannedLine(number: lineNumber, bytes: trimmed(base + start, bytes.count - start), isTerminated: false))
                return
            }
        }
    }

    /// Drops a carriage return before the line feed (CRLF files).
    private static func trimmed(_ start: UnsafeRawPointer, _ count: Int) -> UnsafeRawBufferPointer {
        var n = count
        if n > 0 && start.load(fromByteOffset: n - 1, as: UInt8.self) == 0x0D { n -= 1 }
        return UnsafeRawBufferPointer(start: start, count: n)
    }
}

/// How a file changed under the reader: what a live or rotated transcript can do.
public enum FileChange: Sendable, Equatable {
    /// It became shorter than what had been read: it was truncated or rewritten in place, and
    /// the lines read may mix old and new content.
    case truncated(bytesRead: Int, sizeNow: Int)
    /// Another file took its name while it was read: what was read is the old file, whole.
    case replaced

    /// Compares the open file and the path with what was read. A file that only grew is not a
    /// change: its new lines are read next time.
    static func detect(fd: Int32, path: String, inode: ino_t, bytesRead: Int) -> FileChange? {
        var now = stat()
        if fstat(fd, &now) == 0, Int(now.st_size) < bytesRead {
            return .truncated(bytesRead: bytesRead, sizeNow: Int(now.st_size))
        }
        var named = stat()
        if stat(path, &named) == 0, named.st_ino != inode {
            return .replaced
        }
        return nil
    }

    /// A sentence for a diagnostic.
    public var message: String {
        switch self {
        case .truncated(let read, let now):
            return "the file was truncated while it was read (\(Figures.count(read)) bytes read, \(Figures.count(now)) now); read it again for a consistent view"
        case .replaced:
            return "the file was replaced while it was read; this is the file as it was when reading began"
        }
    }
}

/// What a path that is not a regular file is, for messages.
enum FileKind {
    /// `nil` for a regular file, else a short name of what it is.
    static func nonRegular(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a named pipe"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "not a file"
        }
    }

    /// True when `path` (symbolic links followed) is a regular file.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && nonRegular(info.st_mode) == nil
    }
}
