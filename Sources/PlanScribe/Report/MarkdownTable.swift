/// Markdown table cells that transcript text cannot break.
enum MarkdownTable {
    static func costHeader(_ first: String) -> String {
        "| \(first) | calls | input | output | cache write | cache read | estimated | reported |\n|---|--:|--:|--:|--:|--:|--:|--:|\n"
    }

    static func row(_ cells: [String]) -> String {
        "| " + cells.map(escape).joined(separator: " | ") + " |"
    }

    /// Transcript text as one line of literal table-cell text: every ASCII punctuation mark
    /// backslash-escaped (CommonMark shows such a mark as itself), so that no link, image,
    /// emphasis, HTML, entity or autolink can form from it.
    static func literal(_ text: String) -> String {
        let line = Figures.oneLine(text, limit: 240)
        func isPunctuation(_ byte: UInt8) -> Bool {
            (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte) || (0x5B...0x60).contains(byte) || (0x7B...0x7E).contains(byte)
        }
        guard line.utf8.contains(where: isPunctuation) else { return line }
        var out = [UInt8]()
        out.reserveCapacity(line.utf8.count + 16)
        for byte in line.utf8 {
            // ASCII punctuation: ! through /, : through @, [ through `, { through ~.
            if isPunctuation(byte) { out.append(0x5C) }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One line, pipes and HTML-significant characters escaped.
    static func escape(_ text: String) -> String {
        // Short printable ASCII with nothing to escape (most labels) is its own cell.
        if text.utf8.count <= 200, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x7C && $0 != 0x3C && $0 != 0x3E && $0 != 0x26 }) {
            return text
        }
        var out = ""
        for ch in Figures.oneLine(text, limit: 200) {
            switch ch {
            case "|": out += "\\|"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.append(ch)
            }
        }
        return out
    }
}
