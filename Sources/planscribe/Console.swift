import Foundation
import PlanScribe

/// Where the command line's output goes: results to stdout, everything else to stderr.
///
/// Everything printed passes through ``visible(_:)``: a transcript's text (a prompt, a model
/// name, an unknown line type) must not be able to move the cursor, retitle the terminal or
/// write to the clipboard through escape sequences.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((visible(text) + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((visible(text) + "\n").utf8))
    }

    /// One warning per model the price table does not know.
    static func warnUnpriced(_ models: [String]) {
        for model in models {
            error("warning: no price for model \(model): its tokens are counted, its cost is unknown (add it with --prices FILE)")
        }
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        out(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// `text` with every control character but line feed and tab written out as `\x1B`
    /// (C0, DEL, and the C1 range U+0080–U+009F, which some terminals also obey), and the
    /// bidirectional controls shown as `[U+202E]` (``BidiControls``), as the reports show them.
    static func visible(_ text: String) -> String {
        guard text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 0x0A && v != 0x09) || (v >= 0x7F && v <= 0x9F) {
                let hex = String(v, radix: 16, uppercase: true)
                out.append(contentsOf: ("\\x" + (hex.count == 1 ? "0" + hex : hex)).unicodeScalars)
            } else if BidiControls.isControl(scalar) {
                out.append(contentsOf: BidiControls.shown(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
