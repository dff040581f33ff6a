import Foundation

/// What `cost --json` prints: the rows of one grouping, the total, and the models without a
/// price.
public struct CostReport: Sendable, Encodable {
    /// The version of this layout.
    public var schemaVersion = 1
    /// How the rows are grouped.
    public var by: CostGrouping
    /// The rows.
    public var rows: [CostRow]
    /// The sum over every row.
    public var total: CostRow
    /// Models that had no price.
    public var unpricedModels: [String]

    enum CodingKeys: String, CodingKey {
        case by, rows, total
        case schemaVersion = "schema_version"
        case unpricedModels = "unpriced_models"
    }

    /// Creates the report of a ledger's rows.
    public init(by: CostGrouping, rows: [CostRow], total: CostRow, unpricedModels: [String]) {
        self.by = by
        self.rows = rows
        self.total = total
        self.unpricedModels = unpricedModels
    }

    /// The report as `JSONEncoder` writes it with `.prettyPrinted`, `.sortedKeys` and
    /// `.withoutEscapingSlashes`, byte for byte, written directly: the encoder took a tenth of
    /// `cost`'s time on a gigabyte of transcripts (thousands of session rows).
    public var prettyJSON: String {
        var out = PrettyJSONWriter()
        out.open("{")
        out.key("by", first: true)
        out.string(by.rawValue)
        out.key("rows")
        out.open("[")
        for (i, row) in rows.enumerated() {
            if i > 0 { out.comma() }
            out.newline()
            out.row(row)
        }
        out.close("]", empty: rows.isEmpty)
        out.key("schema_version")
        out.raw(String(schemaVersion))
        out.key("total")
        out.row(total)
        out.key("unpriced_models")
        out.strings(unpricedModels)
        out.close("}", empty: false)
        return out.text
    }
}

/// Writes JSON laid out as `JSONEncoder`'s `.prettyPrinted`: two spaces per level, `" : "`
/// after keys, an empty list as an opening and a closing line around a blank one.
private struct PrettyJSONWriter {
    var text = ""
    private var depth = 0

    mutating func newline() {
        text += "\n"
        text += String(repeating: "  ", count: depth)
    }

    mutating func open(_ bracket: String) {
        text += bracket
        depth += 1
    }

    mutating func close(_ bracket: String, empty: Bool) {
        depth -= 1
        if empty { text += "\n" }
        newline()
        text += bracket
    }

    mutating func comma() { text += "," }

    /// A key of an object, after a comma unless it is the first.
    mutating func key(_ name: String, first: Bool = false) {
        if !first { text += "," }
        newline()
        string(name)
        text += " : "
    }

    mutating func raw(_ value: String) { text += value }

    mutating func string(_ value: String) {
        text += "\""
        var plainStart = value.utf8.startIndex
        for index in value.utf8.indices {
            let byte = value.utf8[index]
            let escape: String
            switch byte {
            case 0x22: escape = "\\\""
            case 0x5C: escape = "\\\\"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case 0x08: escape = "\\b"
            case 0x0C: escape = "\\f"
            case 0x00..<0x20:
                let hex = String(byte, radix: 16)
                escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: continue
            }
            text += value[plainStart..<index]
            text += escape
            plainStart = value.utf8.index(after: index)
        }
        text += value[plainStart...]
        text += "\""
    }

    mutating func strings(_ values: [String]) {
        open("[")
        for (i, value) in values.enumerated() {
            if i > 0 { comma() }
            newline()
            string(value)
        }
        close("]", empty: values.isEmpty)
    }

    mutating func usd(_ value: USD?) {
        guard let value else { return raw("null") }
        raw(value.decimalText)
    }

    /// A ``CostRow`` with its keys sorted, as its `encode(to:)` gives them.
    mutating func row(_ row: CostRow) {
        open("{")
        key("calls", first: true)
        raw(String(row.estimate.calls))
        key("differs")
        raw(row.differs ? "true" : "false")
        key("estimated_cost_usd")
        usd(row.estimate.completeCost)
        key("key")
        string(row.key)
        key("notes")
        strings(row.notes.map(\.rawValue))
        key("reported_cost_usd")
        usd(row.reported)
        if row.sessions > 0 {
            key("sessions")
            raw(String(row.sessions))
            key("sessions_reported")
            raw(String(row.sessionsReported))
        }
        key("unpriced_models")
        strings(row.estimate.unpricedModels)
        key("usage")
        let usage = row.estimate.usage
        open("{")
        key("cache_read", first: true)
        raw(String(usage.cacheRead))
        key("cache_write_1h")
        raw(String(usage.cacheWrite1h))
        key("cache_write_5m")
        raw(String(usage.cacheWrite5m))
        key("input")
        raw(String(usage.input))
        key("output")
        raw(String(usage.output))
        close("}", empty: false)
        close("}", empty: false)
    }
}

extension USD {
    /// The amount in dollars as `Decimal` writes it (how it is encoded): no exponent, no
    /// trailing zeros after the point.
    var decimalText: String {
        let (whole, fraction) = picodollars.magnitude.quotientAndRemainder(dividingBy: 1_000_000_000_000)
        var text = picodollars < 0 ? "-" + String(whole) : String(whole)
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 12 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }
}
