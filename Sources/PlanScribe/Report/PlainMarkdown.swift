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
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
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
        var lineStart = true
        var spaces = 0
        for (i, b) in bytes.enumerated() {
            switch b {
            case 0x0A:
                lineStart = true
                spaces = 0
                continue
            case 0x00..<0x20, 0x2A, 0x5F, 0x60, 0x5B, 0x5D, 0x3C, 0x26, 0x5C, 0x7E, 0x7C, 0x40:
                // controls and tabs, * _ ` [ ] < & \ ~ | @
                return false
            case 0x3A:  // ":" of a URL an autolink would take
                if i + 1 < bytes.count, bytes[i + 1] == 0x2F { return false }
            case 0x77, 0x57:  // "www." (any case), which an autolink would take
                if i + 3 < bytes.count, bytes[i + 1] | 0x20 == 0x77, bytes[i + 2] | 0x20 == 0x77, bytes[i + 3] == 0x2E { return false }
            default:
                break
            }
            if lineStart {
                if b == 0x20 {
                    spaces += 1
                    if spaces >= 4 { return false }  // indented code, or a lazy line
                    continue
                }
                // # > - + = or a digit could start a heading, quote, list, rule or underline.
                if b == 0x23 || b == 0x3E || b == 0x2D || b == 0x2B || b == 0x3D || (b >= 0x30 && b <= 0x39) { return false }
                lineStart = false
            }
        }
        return true
    }

    /// cmark's escaping of text: `&`, `<`, `>` and `"`.
    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout String) {
        var plain = 0
        for (i, b) in bytes.enumerated() where b == 0x22 || b == 0x3E {
            out += String(decoding: UnsafeBufferPointer(rebasing: bytes[plain..<i]), as: UTF8.self)
            out += b == 0x22 ? "&quot;" : "&gt;"
            plain = i + 1
        }
        out += String(decoding: UnsafeBufferPointer(rebasing: bytes[plain...]), as: UTF8.self)
    }
}
