import Foundation

/// A range of bytes: in a line while it is walked, in a ``UsageArena`` after.
struct ByteSpan: Sendable, Equatable {
    var start: Int32
    var count: Int32

    init(start: Int, count: Int) {
        self.start = Int32(truncatingIfNeeded: start)
        self.count = Int32(truncatingIfNeeded: count)
    }
}

/// The bytes of the ids and times of one session's files, kept once; nodes refer to them
/// by ``ByteSpan``. Every span holds printable ASCII (what is not goes the full way), so
/// equal bytes are equal strings and byte order is string order.
struct UsageArena {
    private(set) var bytes: [UInt8] = []

    /// Keeps `text` (bytes of a line being walked).
    mutating func keep(_ text: UnsafeRawBufferPointer) -> ByteSpan {
        let span = ByteSpan(start: bytes.count, count: text.count)
        bytes.append(contentsOf: text)
        return span
    }

    /// Keeps a decoded string; nil when it is not printable ASCII.
    mutating func keep(_ text: String) -> ByteSpan? {
        var text = text
        return text.withUTF8 { utf8 in
            for byte in utf8 where byte < 0x20 || byte >= 0x7F { return nil }
            return keep(UnsafeRawBufferPointer(utf8))
        }
    }

    func withBytes<R>(_ span: ByteSpan, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes.withUnsafeBytes { all in
            body(UnsafeRawBufferPointer(rebasing: all[Int(span.start)..<Int(span.start + span.count)]))
        }
    }

    func hash(_ span: ByteSpan) -> UInt64 { withBytes(span) { StableHash.of(bytes: $0) } }

    func string(_ span: ByteSpan) -> String { withBytes(span) { String(decoding: $0, as: UTF8.self) } }

    func equal(_ a: ByteSpan, _ b: ByteSpan) -> Bool {
        guard a.count == b.count else { return false }
        return bytes.withUnsafeBytes { all in
            memcmp(all.baseAddress! + Int(a.start), all.baseAddress! + Int(b.start), Int(a.count)) == 0
        }
    }

    /// True when `a` sorts before or equal to `b`, as strings do.
    func lessOrEqual(_ a: ByteSpan, _ b: ByteSpan) -> Bool {
        bytes.withUnsafeBytes { all in
            let n = Int(min(a.count, b.count))
            let order = n == 0 ? 0 : memcmp(all.baseAddress! + Int(a.start), all.baseAddress! + Int(b.start), n)
            return order < 0 || (order == 0 && a.count <= b.count)
        }
    }
}
