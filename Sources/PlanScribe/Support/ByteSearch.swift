#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension StringProtocol {
    /// The UTF-8 offset just after the first occurrence of a needle (see
    /// ``Swift/UnsafeRawBufferPointer/offset(after:)``; Foundation's `range(of:)` compares
    /// Characters and is slow on long text).
    func utf8Offset(after needle: String) -> Int? {
        let found: Int?? = utf8.withContiguousStorageIfAvailable { hay in
            needle.utf8.withContiguousStorageIfAvailable { pin in
                UnsafeRawBufferPointer(hay).offset(after: UnsafeRawBufferPointer(pin))
            } ?? nil
        }
        if let found { return found }
        // Not contiguous (a bridged string): copy once.
        return String(self).utf8Offset(after: needle)
    }
}

extension UnsafeRawBufferPointer {
    /// The offset just after the first occurrence of `needle`, found with `memchr` and
    /// `memcmp`. `memchr` looks for the needle's least common byte (one that is not a
    /// lower-case letter or a space), so that "agentId: " stops at each "I", not at each "a".
    func offset(after needle: UnsafeRawBufferPointer) -> Int? {
        guard let h = baseAddress, let p = needle.baseAddress, !needle.isEmpty, needle.count <= count else { return nil }
        let anchor = needle.firstIndex { !($0 >= 0x61 && $0 <= 0x7A) && $0 != 0x20 } ?? 0
        let byte = Int32(needle[anchor])
        // Candidate starts run from 0 to last; the anchor sits `anchor` bytes in.
        var at = anchor
        let end = count - needle.count + anchor
        while at <= end, let hit = memchr(h + at, byte, end - at + 1) {
            let offset = h.distance(to: UnsafeRawPointer(hit))
            let start = offset - anchor
            if memcmp(h + start, p, needle.count) == 0 { return start + needle.count }
            at = offset + 1
        }
        return nil
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
    /// The offset of the first byte that is one of `bytes` (at most eight), looking at sixteen
    /// bytes at a time with vector compares: texts of megabytes usually hold none of the few
    /// bytes that HTML escaping or Markdown checks look for.
    func firstOffset(ofAnyOf bytes: [UInt8]) -> Int? {
        guard let base = baseAddress else { return nil }
        precondition(!bytes.isEmpty && bytes.count <= 8)
        var needles = SIMD8<UInt8>(repeating: bytes[0])
        for (i, b) in bytes.enumerated() { needles[i] = b }
        var at = 0
        while at + 16 <= count {
            let block = UnsafeRawPointer(base + at).loadUnaligned(as: SIMD16<UInt8>.self)
            var hits = SIMDMask<SIMD16<Int8>>(repeating: false)
            for i in 0..<8 { hits .|= block .== SIMD16(repeating: needles[i]) }
            let words = unsafeBitCast(hits, to: SIMD2<UInt64>.self)
            if words[0] != 0 { return at + words[0].trailingZeroBitCount / 8 }
            if words[1] != 0 { return at + 8 + words[1].trailingZeroBitCount / 8 }
            at += 16
        }
        while at < count {
            if bytes.contains(base[at]) { return at }
            at += 1
        }
        return nil
    }

    /// The offset of the first `byte` from `start` on, found with `memchr`.
    func firstOffset(of byte: UInt8, from start: Int = 0) -> Int? {
        guard let base = baseAddress, start < count, let hit = memchr(base + start, Int32(byte), count - start) else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
    }

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
            bytes.forEachOffset(of: 0x0A) {
                offsets.append($0); return true
            }
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
