#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Unicode controls that reorder text around them (the embeddings, overrides and
/// isolates, the marks): in a transcript's file name or text, `notes\u{202E}dm.exe` shows as
/// "notesexe.md", and an override left open spills into the label planscribe writes after it.
/// Every page and terminal line shows them instead, as `[U+202E]`, so that they act on nothing.
public enum BidiControls {
    /// U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// How a control is shown: `[U+202E]`.
    public static func shown(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "[U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
    }

    /// The text with every control shown; nil when it has none (the common case, found in
    /// the UTF-8 bytes: `E2 80 8E`, `E2 80 8F`, `E2 80 AA`…`AE`, `E2 81 A6`…`A9`, `D8 9C`).
    public static func shown<Text: StringProtocol>(in text: Text) -> String? {
        let found = text.utf8.withContiguousStorageIfAvailable(containsControl) ?? Array(text.utf8).withUnsafeBufferPointer(containsControl)
        guard found else { return nil }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) { out.append(contentsOf: shown(scalar).unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// Whether UTF-8 bytes hold a control: `memchr` finds each `E2` and `D8`, the bytes after
    /// it say.
    static func containsControl(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let count = bytes.count
        var i = 0
        while i < count, let hit = memchr(base + i, 0xE2, count - i) {
            let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            if at + 2 < count {
                let (b1, b2) = (bytes[at + 1], bytes[at + 2])
                if b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (0xAA...0xAE).contains(b2)) { return true }
                if b1 == 0x81 && (0xA6...0xA9).contains(b2) { return true }
            }
            i = at + 1
        }
        i = 0
        while i < count, let hit = memchr(base + i, 0xD8, count - i) {
            let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            if at + 1 < count && bytes[at + 1] == 0x9C { return true }
            i = at + 1
        }
        return false
    }
}
