/// A plain-text table with aligned columns, for terminal output.
struct TextTable {
    enum Alignment { case left, right }

    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []
    /// Rows after which a rule is drawn (before totals).
    var ruleBefore: Set<Int> = []

    mutating func add(_ row: [String]) { rows.append(row.map(Self.cell)) }

    mutating func addTotal(_ row: [String]) {
        ruleBefore.insert(rows.count)
        rows.append(row.map(Self.cell))
    }

    /// A cell on one line, its control characters made visible, so that columns stay aligned.
    static func cell(_ text: String) -> String {
        let oneLine =
            text.utf8.contains(where: { $0 == 0x0A || $0 == 0x09 })
            ? String(text.map { $0 == "\n" || $0 == "\t" || $0 == "\r\n" ? " " : $0 }) : text
        return Console.visible(oneLine)
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
            }.joined(separator: "  ").droppingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ").droppingTrailingSpaces()
        var out = [line(headers), rule]
        for (i, row) in rows.enumerated() {
            if ruleBefore.contains(i) { out.append(rule) }
            out.append(line(row))
        }
        return out.joined(separator: "\n")
    }
}

extension String {
    /// The string without the spaces at its end (the padding of a last column).
    fileprivate func droppingTrailingSpaces() -> String {
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == 0x20 { end = utf8.index(before: end) }
        return String(self[..<end])
    }
}
