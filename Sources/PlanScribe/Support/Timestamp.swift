import Foundation

/// Checks and reads the ISO 8601 times transcripts carry (`2026-01-01T12:00:00.123Z`, or with an offset
/// such as `+02:00`) without a date formatter, which is slow to create; and writes the current
/// time the way planscribe's records carry it.
public enum Timestamp {
    /// Now, as planscribe writes times into its records: `2026-12-03T10:17:36.123Z`.
    public static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    /// Seconds since 1970, or nil when the text is not such a time.
    static func seconds(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { b -> Double? in
            guard b.count >= 19 else { return nil }
            func number(_ from: Int, _ count: Int) -> Int? {
                var value = 0
                for i in from..<from + count {
                    guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                    value = value * 10 + Int(b[i] - 0x30)
                }
                return value
            }
            guard b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x20, b[13] == 0x3A, b[16] == 0x3A,
                let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
                let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
                (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
            else { return nil }
            var i = 19
            var fraction = 0.0
            if i < b.count && b[i] == 0x2E {
                i += 1
                var scale = 0.1
                while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                    fraction += Double(b[i] - 0x30) * scale
                    scale /= 10
                    i += 1
                }
            }
            var offset = 0
            if i < b.count && (b[i] == 0x2B || b[i] == 0x2D) {
                guard i + 6 == b.count, b[i + 3] == 0x3A, let h = number(i + 1, 2), let m = number(i + 4, 2) else { return nil }
                offset = (h * 60 + m) * 60 * (b[i] == 0x2B ? 1 : -1)
            } else if !(i + 1 == b.count && (b[i] == 0x5A || b[i] == 0x7A)) {
                return nil
            }
            // Days from the civil date (Howard Hinnant's algorithm).
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            let days = era * 146_097 + dayOfEra - 719_468
            return Double(days * 86_400 + hour * 3_600 + minute * 60 + second - offset) + fraction
        }
    }

    /// `YYYY-MM-DDTHH:MM` at the start: what the CLI writes, and what ordering by text needs.
    static func looksLikeISO8601(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { looksLikeISO8601(utf8: $0) }
    }

    /// ``looksLikeISO8601(_:)`` of a text's UTF-8 bytes.
    static func looksLikeISO8601<Bytes: Collection<UInt8>>(utf8: Bytes) -> Bool {
        var digits = 0
        for (i, byte) in utf8.prefix(16).enumerated() {
            switch i {
            case 4, 7: guard byte == 0x2D else { return false }
            case 10: guard byte == 0x54 || byte == 0x20 else { return false }
            case 13: guard byte == 0x3A else { return false }
            default:
                guard byte >= 0x30 && byte <= 0x39 else { return false }
                digits += 1
            }
        }
        return digits == 12
    }
}
