/// Writes the HTML of Markdown that is only paragraphs of plain text (most prompts and much
/// of the thinking in a transcript) the way cmark-gfm does, byte for byte, without a parser:
/// `<p>` per paragraph, soft breaks as line feeds, two trailing spaces as `<br />`, and
/// `&`, `<`, `>`, `"` escaped. Text that could mean anything more is left to cmark:
/// `MarkdownTests` and the Markdown fuzzer compare every text this accepts with cmark.
enum PlainMarkdown {
    /// The HTML, or nil when the text may hold more than plain paragraphs.
    static func html(_ markdown: String) -> String? {
        var copy = markdown
        return copy.withUTF8 { bytes -> String? in
            guard isPlain(bytes) else { return nil }
            var out = ""
            out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
            var inParagraph = false
            var pendingBreak = ""
            var start = 0
            while start < bytes.count {
                let end = bytes.firstOffset(of: 0x0A, from: start) ?? bytes.count
                var first = start
                while first < end, bytes[first] == 0x20 { first += 1 }
                var last = end
                while last > first, bytes[last - 1] == 0x20 { last -= 1 }
                if first == end {
                    // A blank line ends the paragraph.
                    if inParagraph { out += "</p>\n" }
                    inParagraph = false
                } else {
                    out += inParagraph ? pendingBreak : "<p>"
                    inParagraph = true
                    escape(UnsafeBufferPointer(rebasing: bytes[first..<last]), into: &out)
                    pendingBreak = end - last >= 2 ? "<br />\n" : "\n"
                }
                start = end + 1
            }
            if inParagraph { out += "</p>\n" }
            return out
        }
    }

    /// No byte that Markdown, GitHub's extensions or cmark's line handling give a meaning
    /// to, and no line that could start a block other than a paragraph.
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while start < bytes.count {
            let end = bytes.firstOffset(of: 0x0A, from: start) ?? bytes.count
            // Up to three spaces, then a byte that cannot open a heading, quote, list, rule,
            // underline, table delimiter row (":-" is one, pipes or not) or indented code.
            var first = start
            while first < end, bytes[first] == 0x20 { first += 1 }
            if first - start >= 4 { return false }
            if first < end {
                let b = bytes[first]
                if b == 0x23 || b == 0x3E || b == 0x2D || b == 0x2B || b == 0x3D || b == 0x3A || (b >= 0x30 && b <= 0x39) { return false }
            }
            guard isPlainText(UnsafeBufferPointer(rebasing: bytes[first..<end])) else { return false }
            start = end + 1
        }
        return true
    }

    /// Within a line: no control character or tab, none of `* _ \` [ ] < & \\ ~ | @`, no
    /// `:/` and no `www.` (in any case) that an autolink would take. Sixteen bytes at a
    /// time; `:` and `.` are looked at one by one.
    private static func isPlainText(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = line.baseAddress else { return true }
        func allowed(_ i: Int) -> Bool {
            let b = line[i]
            switch b {
            case 0x00..<0x20, 0x2A, 0x5F, 0x60, 0x5B, 0x5D, 0x3C, 0x26, 0x5C, 0x7E, 0x7C, 0x40: return false
            case 0x3A: return !(i + 1 < line.count && line[i + 1] == 0x2F)
            case 0x2E: return !(i >= 3 && line[i - 3] | 0x20 == 0x77 && line[i - 2] | 0x20 == 0x77 && line[i - 1] | 0x20 == 0x77)
            default: return true
            }
        }
        var i = 0
        while i + 16 <= line.count {
            let block = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
            func eq(_ byte: UInt8) -> SIMDMask<SIMD16<Int8>> { block .== SIMD16(repeating: byte) }
            var hits = block .< SIMD16(repeating: 0x20)
            hits .|= eq(0x2A) .| eq(0x5F) .| eq(0x60) .| eq(0x5B) .| eq(0x5D) .| eq(0x3C) .| eq(0x26)
            hits .|= eq(0x5C) .| eq(0x7E) .| eq(0x7C) .| eq(0x40) .| eq(0x3A) .| eq(0x2E)
            var words = unsafeBitCast(hits, to: SIMD2<UInt64>.self)
            for w in 0..<2 {
                while words[w] != 0 {
                    let bit = words[w].trailingZeroBitCount
                    if !allowed(i + w * 8 + bit / 8) { return false }
                    words[w] &= ~(0xFF << UInt64(bit & ~7))
                }
            }
            i += 16
        }
        while i < line.count {
            if !allowed(i) { return false }
            i += 1
        }
        return true
    }

    /// cmark's escaping of text, for text ``isPlain(_:)`` accepted: it holds no `&` or `<`,
    /// so only `>` and `"` are left to escape.
    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout String) {
        var plain = 0
        while let found = UnsafeBufferPointer(rebasing: bytes[plain...]).firstOffset(ofAnyOf: [0x22, 0x3E]) {
            let i = plain + found
            out += String(decoding: UnsafeBufferPointer(rebasing: bytes[plain..<i]), as: UTF8.self)
            out += bytes[i] == 0x22 ? "&quot;" : "&gt;"
            plain = i + 1
        }
        out += String(decoding: UnsafeBufferPointer(rebasing: bytes[plain...]), as: UTF8.self)
    }
}
