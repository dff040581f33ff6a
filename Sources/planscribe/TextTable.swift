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
        Console.visible(text.replacing(/[\n\t]/, with: " "))
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
