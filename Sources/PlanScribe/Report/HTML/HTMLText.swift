import Mustache

/// Escapes text for HTML element content and attribute values: `&`, `<`, `>`, `"` and `'`.
/// Works on UTF-8 bytes, copying runs that need nothing in one go; used for large texts
/// (tool input and output) that the templates then insert as they are.
enum HTMLText {
    /// The pragma that makes a Mustache template escape `{{value}}` with ``escape(_:)``
    /// (Mustache's own HTML escaping works on Characters, so a quote followed by a combining
    /// mark would pass unescaped); put before every HTML template's text.
    static var mustachePragma: String {
        _ = registered
        return "{{% CONTENT_TYPE: planscribe-html}}"
    }

    private static let registered: Void = MustacheContentTypes.register(MustacheHTML(), named: "planscribe-html")

    private struct MustacheHTML: MustacheContentType {
        func escapeText(_ text: String) -> String { HTMLText.escape(text) }
    }

    static func escape(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes -> String in
            guard let first = bytes.firstOffset(ofAnyOf: [0x26, 0x3C, 0x3E, 0x22, 0x27]) else { return text }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<first]))
            var runStart = first
            for i in first..<bytes.count {
                let b = bytes[i]
                let replacement: StaticString
                switch b {
                case 0x26: replacement = "&amp;"
                case 0x3C: replacement = "&lt;"
                case 0x3E: replacement = "&gt;"
                case 0x22: replacement = "&quot;"
                case 0x27: replacement = "&#39;"
                default: continue
                }
                if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                out.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
                runStart = i + 1
            }
            if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
