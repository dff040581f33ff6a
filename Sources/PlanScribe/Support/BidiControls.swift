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

    /// The text with every control shown; nil when it has none (the common case, found by
    /// looking at the bytes that can start one: 0xD8 and 0xE2).
    public static func shown<Text: StringProtocol>(in text: Text) -> String? {
        guard text.utf8.contains(where: { $0 == 0xE2 || $0 == 0xD8 }) else { return nil }
        guard text.unicodeScalars.contains(where: isControl) else { return nil }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) { out.append(contentsOf: shown(scalar).unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }
}
