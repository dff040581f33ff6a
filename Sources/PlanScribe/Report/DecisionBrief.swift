import Foundation

/// A prose decision brief, as gstack's planning skills write one when the CLI refuses
/// `AskUserQuestion` in `-p` mode: `D1 — title`, then `Recommendation: … because …`, the
/// options `A) …` / `B) …` (one marked `(recommended)`), and `Net: …`. Markdown emphasis and
/// heading marks around the parts are allowed.
struct DecisionBrief: Equatable {
    /// `D1`.
    var id: String
    /// What is to be decided.
    var title: String
    /// The recommendation, without its label.
    var recommendation: String?
    /// The options, as written after their letter.
    var options: [String]
    /// The `Net:` line, without its label.
    var net: String?

    /// `D1 — Pricing model`.
    var heading: String { id + " — " + title }

    /// The briefs of a message, in order; empty when it holds none.
    static func all(in text: String) -> [DecisionBrief] {
        guard mayHoldBrief(text) else { return [] }
        var briefs: [DecisionBrief] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = plain(raw)
            if let (id, title) = heading(line) {
                briefs.append(DecisionBrief(id: id, title: title, recommendation: nil, options: [], net: nil))
                continue
            }
            guard !briefs.isEmpty else { continue }
            if let rest = labelled(line, "Recommendation") {
                briefs[briefs.count - 1].recommendation = rest
            } else if let rest = labelled(line, "Net") {
                briefs[briefs.count - 1].net = rest
            } else if let option = option(line) {
                briefs[briefs.count - 1].options.append(option)
            }
        }
        return briefs
    }

    /// False when no `D` is followed by a digit anywhere: no brief (most texts; one pass
    /// over the bytes, so that reports of long runs do not pay for briefs they do not hold).
    static func mayHoldBrief(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count > 1 else { return false }
            for i in 0..<(bytes.count - 1) where bytes[i] == UInt8(ascii: "D") && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39 { return true }
            return false
        }
    }

    /// The line without list, heading and emphasis marks around it.
    private static func plain(_ line: Substring) -> Substring {
        var s = line.drop { $0 == " " || $0 == "#" || $0 == "-" || $0 == "*" || $0 == ">" || $0 == "_" }
        while let last = s.last, last == "*" || last == "_" || last == " " { s = s.dropLast() }
        // `**D1 — Title**` and `**Recommendation:** …`: emphasis inside the line.
        return s.contains("*") ? Substring(s.replacingOccurrences(of: "**", with: "")) : s
    }

    /// `D1 — title` (an em or en dash, or a hyphen between spaces, or a colon).
    private static func heading(_ line: Substring) -> (String, String)? {
        guard line.first == "D" else { return nil }
        let digits = line.dropFirst().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        var rest = line.dropFirst(1 + digits.count).drop { $0 == " " }
        guard let dash = rest.first, dash == "—" || dash == "–" || dash == "-" || dash == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        let title = rest.trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty else { return nil }
        return ("D" + digits, title)
    }

    /// The text after `Label:` at the start of a line.
    private static func labelled(_ line: Substring, _ label: String) -> String? {
        guard line.hasPrefix(label) else { return nil }
        let rest = line.dropFirst(label.count).drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        let text = rest.dropFirst().trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text
    }

    /// `A) text` or `A. text`: the text.
    private static func option(_ line: Substring) -> String? {
        guard let letter = line.first, letter >= "A", letter <= "H" else { return nil }
        let rest = line.dropFirst()
        guard rest.first == ")" || rest.first == "." else { return nil }
        let text = rest.dropFirst().trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : String(letter) + ") " + text
    }
}
