/// How numbers and times read in tables and reports.
public enum Figures {
    /// 1234567 → "1,234,567".
    public static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        out.reserveCapacity(digits.count + digits.count / 3)
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// "1 file", "3 files"; "1 reply", "2 replies" with an explicit plural.
    public static func plural(_ n: Int, _ noun: String, _ plural: String? = nil) -> String {
        "\(count(n)) " + (n == 1 ? noun : plural ?? noun + "s")
    }

    /// Text on one line, at most `limit` characters (an ellipsis marks a cut).
    /// Line breaks (runs of them) become one space, and only the Characters that can be
    /// shown are looked at: a prompt of megabytes costs no more than a short one.
    public static func oneLine(_ text: String?, limit: Int) -> String {
        guard let text else { return "" }
        if let short = asciiOneLine(text, limit: limit) { return short }
        var out = ""
        var taken = 0
        var space = false
        var more = false
        for ch in text {
            if ch.isNewline {
                space = taken > 0
                continue
            }
            if space {
                out.append(" ")
                taken += 1
                space = false
            }
            out.append(ch)
            taken += 1
            if taken > limit {
                more = true
                break
            }
        }
        return !more && out.count <= limit ? out : String(out.prefix(max(1, limit - 1))) + "…"
    }

    /// ``oneLine(_:limit:)`` of text whose first `limit + 1` bytes are printable ASCII or
    /// tabs (a byte a Character, no line break among them): the text itself, or its first
    /// `limit - 1` bytes and an ellipsis. Nil for other text.
    private static func asciiOneLine(_ text: String, limit: Int) -> String? {
        let bytes = text.utf8
        var n = 0
        for b in bytes {
            guard b >= 0x20 && b < 0x7F || b == 0x09 else { return nil }
            n += 1
            if n > limit { break }
        }
        if n <= limit { return text }
        return String(text.utf8.prefix(max(1, limit - 1)))! + "…"
    }

    /// "2026-11-25T11:39:29.057Z" → "2026-11-25 11:39".
    public static func minute(_ stamp: String?) -> String {
        guard let stamp, stamp.count >= 16 else { return stamp ?? "" }
        return stamp.prefix(10) + " " + stamp.dropFirst(11).prefix(5)
    }

    /// "2026-11-25T11:39:29.057Z" → "11:39:29".
    public static func clock(_ stamp: String?) -> String {
        guard let stamp, stamp.count >= 19 else { return "" }
        return String(stamp.dropFirst(11).prefix(8))
    }

    /// The clock time, with the date in front when the stamp is not on `day` (`YYYY-MM-DD`):
    /// a session that crosses midnight says so.
    public static func clock(_ stamp: String?, onDay day: String?) -> String {
        guard let stamp, stamp.count >= 19 else { return "" }
        guard let day, stamp.prefix(10) != day else { return clock(stamp) }
        return stamp.prefix(10) + " " + clock(stamp)
    }

    /// "2026-11-25T11:39:29.057Z" → "2026-11-25 11:39:29 UTC".
    public static func second(_ stamp: String?) -> String {
        guard let stamp, stamp.count >= 19 else { return stamp ?? "" }
        return stamp.prefix(10) + " " + stamp.dropFirst(11).prefix(8) + " UTC"
    }
}
