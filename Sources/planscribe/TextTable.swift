/// A plain-text table with aligned columns, for terminal output.
struct TextTable {
    enum Alignment { case left, right }

    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []
    /// Rows after which a rule is drawn (before totals).
    var ruleBefore: Set<Int> = []

    mutating func add(_ row: [String]) { rows.append(row) }

    mutating func addTotal(_ row: [String]) {
        ruleBefore.insert(rows.count)
        rows.append(row)
    }

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return alignments[i] == .right ? pad + cell : cell + pad
            }.joined(separator: "  ").replacing(/\s+$/, with: "")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ").replacing(/\s+$/, with: "")
        var out = [line(headers), rule]
        for (i, row) in rows.enumerated() {
            if ruleBefore.contains(i) { out.append(rule) }
            out.append(line(row))
        }
        return out.joined(separator: "\n")
    }
}

enum Format {
    /// 1234567 → "1,234,567".
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// "1 file", "3 files".
    static func plural(_ n: Int, _ noun: String) -> String {
        "\(count(n)) \(noun)\(n == 1 ? "" : "s")"
    }

    /// A prompt on one line, at most `limit` characters.
    static func short(_ text: String?, limit: Int = 48) -> String {
        guard let text else { return "" }
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }

    /// "2026-11-25T11:39:29.057Z" → "2026-11-25 11:39".
    static func time(_ stamp: String?) -> String {
        guard let stamp, stamp.count >= 16 else { return stamp ?? "" }
        return stamp.prefix(10) + " " + stamp.dropFirst(11).prefix(5)
    }
}
