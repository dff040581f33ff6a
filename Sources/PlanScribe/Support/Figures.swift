import Foundation

/// How numbers and times read in tables and reports.
public enum Figures {
    /// `value` with `places` digits after the point, as `String(format: "%.Nf")` writes it:
    /// C's `vsnprintf`, which that goes through CoreFoundation to reach, costing ten times as
    /// much (a chart's coordinates were 2 % of a render).
    public static func fixed(_ value: Double, places: Int) -> String {
        let format = "%.\(places)f"
        // Below 1e15, the digits, a sign, the point and up to 12 places fit the buffer.
        guard value.isFinite, value.magnitude < 1e15, (0...12).contains(places) else { return String(format: format, value) }
        return format.withCString { format in
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buffer in
                let written = withVaList([value]) { vsnprintf(buffer.baseAddress!, 32, format, $0) }
                return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: Int(written)), as: UTF8.self)
            }
        }
    }

    /// `n` with at least two digits, as `String(format: "%02d")` writes it.
    public static func twoDigits(_ n: Int) -> String {
        n >= 0 && n < 10 ? "0\(n)" : "\(n)"
    }

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
        // Characters, gathered as UTF-8 bytes (appending to a String one Character at a time
        // was a tenth of render); `ends` marks where each one ends, for the cut.
        var out: [UInt8] = []
        var ends: [Int] = []
        var space = false
        for ch in text {
            if ch.isNewline {
                space = !ends.isEmpty
                continue
            }
            if space {
                out.append(0x20)
                ends.append(out.count)
                space = false
            }
            out.append(contentsOf: ch.utf8)
            ends.append(out.count)
            if ends.count > limit { break }
        }
        if ends.count <= limit { return String(decoding: out, as: UTF8.self) }
        return String(decoding: out[..<ends[max(1, limit - 1) - 1]], as: UTF8.self) + "…"
    }

    /// ``oneLine(_:limit:)`` of text that is printable ASCII, tabs and ASCII line breaks up to
    /// where it is cut (a byte a Character; a run of line breaks one space, none at the ends):
    /// worked out on bytes. Nil for other text.
    private static func asciiOneLine(_ text: String, limit: Int) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(min(text.utf8.count, limit + 1))
        var space = false
        var more = false
        for b in text.utf8 {
            if b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C {
                space = !out.isEmpty
                continue
            }
            guard b >= 0x20 && b < 0x7F || b == 0x09 else { return nil }
            if space {
                out.append(0x20)
                space = false
            }
            out.append(b)
            if out.count > limit {
                more = true
                break
            }
        }
        if !more { return String(decoding: out, as: UTF8.self) }
        return String(decoding: out.prefix(max(1, limit - 1)), as: UTF8.self) + "…"
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
