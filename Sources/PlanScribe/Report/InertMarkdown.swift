/// Decides from its bytes alone whether Markdown from a transcript can go into a Markdown
/// report as it is written: whether, wherever it is put (after any other such text, inside a
/// block quote), it can hold no raw HTML, no image and no link but a safe one, and no code
/// fence left open. Such text skips cmark's parse and Markdown writer, the slowest part of a
/// report.
///
/// The rules, each a superset of what could go wrong:
/// - no NUL or carriage return anywhere (cmark rewrites them);
/// - a code fence opens only at the start of a line (no indentation: indented, it may
///   belong to a list item or be code) and is closed before the text ends; a backtick
///   fence's info has no backtick. Inside a fence anything goes: it is code wherever the
///   text is put;
/// - outside fences: no `<` (HTML, autolinks), no `![` (images), no `]:` (link reference
///   definitions, which would reach other texts), no three backticks or tildes in a row
///   (a fence this scan does not follow);
/// - with a `[` outside fences (a link may form): no `&` (an entity may spell a scheme),
///   no `\:` (an escaped colon) and no `javascript:`, `vbscript:`, `file:` or `data:` in
///   any case, so no link can point anywhere but where ``Markdown/isSafeURL(_:)`` allows.
enum InertMarkdown {
    /// True when `bytes` may be kept as written.
    static func isInert(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Most prose has none of these bytes: one vector pass decides.
        guard bytes.firstOffset(ofAnyOf: [0x3C, 0x5B, 0x60, 0x7E, 0x00, 0x0D]) != nil else { return true }
        if bytes.firstOffset(ofAnyOf: [0x00, 0x0D]) != nil { return false }
        var fence: Fence?
        var bracket = false
        var mayHideScheme = false
        var start = 0
        while start <= bytes.count {
            let end = bytes.firstOffset(of: 0x0A, from: start) ?? bytes.count
            let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
            start = end + 1
            if let open = fence {
                if open.isClosed(by: line) { fence = nil }
                continue
            }
            switch Fence.opening(line) {
            case .opens(let opened):
                fence = opened
                continue
            case .refuse:
                return false
            case .none:
                break
            }
            // Only these bytes matter outside fences: jump from one to the next.
            var i = 0
            while i < line.count, let found = UnsafeBufferPointer(rebasing: line[i...]).firstOffset(ofAnyOf: [0x3C, 0x5B, 0x5D, 0x26, 0x3A, 0x60, 0x7E]) {
                i += found
                switch line[i] {
                case 0x3C: return false  // <
                case 0x5B:  // [
                    if i > 0 && line[i - 1] == 0x21 { return false }  // ![
                    bracket = true
                case 0x5D:  // ]:
                    if i + 1 < line.count && line[i + 1] == 0x3A { return false }
                case 0x26: mayHideScheme = true  // &
                case 0x3A:  // :
                    if i > 0 && line[i - 1] == 0x5C { mayHideScheme = true }
                    if endsWithScheme(line, before: i) { mayHideScheme = true }
                default:  // ` or ~: three in a row would be a fence this scan does not follow
                    let b = line[i]
                    var run = 1
                    while i + run < line.count && line[i + run] == b { run += 1 }
                    if run >= 3 { return false }
                    i += run - 1
                }
                i += 1
            }
        }
        return fence == nil && !(bracket && mayHideScheme)
    }

    /// Whether the letters just before `colon` are a scheme that can run script or read
    /// files (any case).
    private static func endsWithScheme(_ line: UnsafeBufferPointer<UInt8>, before colon: Int) -> Bool {
        for scheme in schemes where colon >= scheme.count {
            var matches = true
            for (k, letter) in scheme.enumerated() where line[colon - scheme.count + k] | 0x20 != letter {
                matches = false
                break
            }
            if matches { return true }
        }
        return false
    }

    /// ``Markdown/unsafeSchemes`` without their colons.
    private static let schemes: [[UInt8]] = Markdown.unsafeSchemes.map { Array($0.utf8.dropLast()) }

    /// An open code fence: its character and length.
    struct Fence {
        var byte: UInt8
        var count: Int

        enum Opening {
            case none
            case opens(Fence)
            /// Looks like a fence but is not one this scan follows.
            case refuse
        }

        /// A fence opening at the very start of a line: three or more backticks (whose
        /// info has no backtick) or tildes.
        static func opening(_ line: UnsafeBufferPointer<UInt8>) -> Opening {
            guard let first = line.first, first == 0x60 || first == 0x7E else { return .none }
            var n = 0
            while n < line.count, line[n] == first { n += 1 }
            guard n >= 3 else { return .none }
            if first == 0x60, line[n...].contains(0x60) { return .refuse }
            return .opens(Fence(byte: first, count: n))
        }

        /// A closing fence: up to three spaces, at least as many of the same character,
        /// then only spaces and tabs.
        func isClosed(by line: UnsafeBufferPointer<UInt8>) -> Bool {
            var i = 0
            while i < line.count, i < 3, line[i] == 0x20 { i += 1 }
            var n = 0
            while i < line.count, line[i] == byte {
                i += 1
                n += 1
            }
            guard n >= count else { return false }
            return line[i...].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        }
    }
}
