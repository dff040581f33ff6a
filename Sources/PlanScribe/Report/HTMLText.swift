/// Escapes text for HTML element content and attribute values: `&`, `<`, `>`, `"` and `'`.
/// Works on UTF-8 bytes, copying runs that need nothing in one go; used for large texts
/// (tool input and output) that the templates then insert as they are.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes -> String in
            var needs = false
            for b in bytes where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 {
                needs = true
                break
            }
            if !needs { return text }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8)
            var runStart = 0
            for (i, b) in bytes.enumerated() {
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
