#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension StringProtocol {
    /// The UTF-8 offset just after the first occurrence of a needle, found with `memchr` and
    /// `memcmp` (Foundation's `range(of:)` bridges through NSString and is slow on long text).
    func utf8Offset(after needle: String) -> Int? {
        let found: Int?? = utf8.withContiguousStorageIfAvailable { hay in
            needle.utf8.withContiguousStorageIfAvailable { pin -> Int? in
                guard let h = hay.baseAddress, let p = pin.baseAddress, pin.count <= hay.count else { return nil }
                let first = Int32(p.pointee)
                var at = 0
                let last = hay.count - pin.count
                while at <= last, let hit = memchr(h + at, first, last - at + 1) {
                    let offset = UnsafeRawPointer(h).distance(to: UnsafeRawPointer(hit))
                    if memcmp(hit, p, pin.count) == 0 { return offset + pin.count }
                    at = offset + 1
                }
                return nil
            } ?? nil
        }
        if let found { return found }
        // Not contiguous (a bridged string): copy once.
        return String(self).utf8Offset(after: needle)
    }
}

extension String {
    /// The pieces of the text between occurrences of `separator`, compared byte for byte
    /// (`components(separatedBy:)` compares Characters and was a tenth of render time on
    /// long Markdown). Only for separators that begin and end with a character no other can
    /// join to (a control character), where bytes and Characters agree.
    func utf8Pieces(separatedBy separator: String) -> [Substring] {
        var pieces: [Substring] = []
        var rest = self[...]
        while let after = rest.utf8Offset(after: separator) {
            let end = rest.utf8.index(rest.utf8.startIndex, offsetBy: after - separator.utf8.count)
            pieces.append(rest[..<end])
            rest = rest[rest.utf8.index(rest.utf8.startIndex, offsetBy: after)...]
        }
        pieces.append(rest)
        return pieces
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Calls `body` with the offset of each `byte` from `start` on, found with `memchr`, until
    /// `body` returns false.
    func forEachOffset(of byte: UInt8, from start: Int = 0, _ body: (Int) -> Bool) {
        guard let base = baseAddress else { return }
        var at = start
        while at < count, let hit = memchr(base + at, Int32(byte), count - at) {
            let offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
            guard body(offset) else { return }
            at = offset + 1
        }
    }
}

extension String {
    /// The lines of the text split at `\n` (a `\r` before it is kept), as UTF-8 slices: much
    /// faster than splitting Characters on long tool output.
    var utf8Lines: [Substring] {
        var offsets: [Int] = []
        var copy = self
        copy.withUTF8 { bytes in
            bytes.forEachOffset(of: 0x0A) { offsets.append($0); return true }
        }
        var lines: [Substring] = []
        lines.reserveCapacity(offsets.count + 1)
        var start = utf8.startIndex
        for offset in offsets {
            let end = utf8.index(utf8.startIndex, offsetBy: offset)
            lines.append(self[start..<end])
            start = utf8.index(after: end)
        }
        lines.append(self[start..<endIndex])
        return lines
    }
}
