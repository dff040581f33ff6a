import Foundation

/// Removes secrets from text that planscribe records or shows: Anthropic, OpenAI, AWS,
/// GitHub, Slack and Google keys, bearer tokens, private key blocks and `password=`-style
/// assignments become `[REDACTED]`.
///
/// Texts are first scanned byte by byte for the start of a secret; only texts that hold one
/// go through the regular expression, so long tool output costs a single pass.
public enum Redactor {
    /// The replacement.
    public static let mask = "[REDACTED]"

    /// Every secret shape, in one expression so that a text is searched once.
    private static let pattern: NSRegularExpression = {
        let parts = [
            #"sk-ant-[A-Za-z0-9_\-]{8,}"#,
            #"sk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}"#,
            #"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"#,
            #"(?i:aws_secret_access_key)\s*[=:]\s*['"]?[A-Za-z0-9/+=]{40}"#,
            #"\bgh[pousr]_[A-Za-z0-9]{30,}"#,
            #"\bgithub_pat_[A-Za-z0-9_]{30,}"#,
            #"\bxox[abposr]-[A-Za-z0-9-]{10,}"#,
            #"\bAIza[0-9A-Za-z_\-]{35}"#,
            #"(?i:\bbearer)\s+[A-Za-z0-9._\-+/=]{16,}"#,
            #"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"#,
            #"(?i:\b(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|token))\s*['"]?\s*[=:]\s*['"]?[^\s'"]{4,}"#,
        ]
        return try! NSRegularExpression(pattern: parts.map { "(?:" + $0 + ")" }.joined(separator: "|"))
    }()

    /// The text with every secret replaced by `[REDACTED]`.
    public static func redact(_ text: String) -> String {
        redacted(text) ?? text
    }

    /// The text with its secrets replaced, or nil when the byte scan finds none to look for
    /// (the text stays as it is).
    static func redacted(_ text: String) -> String? {
        guard mayContainSecret(text) else { return nil }
        return pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: mask)
    }

    /// True when the full expression finds a secret in `text` (the fuzzer checks that the
    /// byte scan never passes over one).
    static func expressionFindsSecret(_ text: String) -> Bool {
        pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// One line of JSON (a stream-json event) with every secret in its strings replaced, still
    /// valid JSON: a line that holds a secret is decoded, redacted string by string and written
    /// again (keys sorted); a line that is not JSON is redacted as text. Nil when the line holds
    /// no secret (keep it as it is).
    public static func redactedJSONLine(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard mayContainSecret(text), expressionFindsSecret(text) else { return nil }
        if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(redact(value)) { return [UInt8](data) }
        }
        return Array(redact(text).utf8)
    }

    /// A JSON value with every string redacted.
    public static func redact(_ value: JSONValue) -> JSONValue {
        redacted(value) ?? value
    }

    /// The value with the secrets in its strings replaced (keys are not redacted), or nil when
    /// no string may hold one. Each string is scanned once; only the arrays and objects on the
    /// way to a changed string are rebuilt.
    static func redacted(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .string(let s):
            return redacted(s).map(JSONValue.string)
        case .array(var items):
            var changed = false
            for i in items.indices {
                guard let item = redacted(items[i]) else { continue }
                items[i] = item
                changed = true
            }
            return changed ? .array(items) : nil
        case .object(var members):
            var changed = false
            for i in members.indices {
                guard let member = redacted(members[i].value) else { continue }
                members[i].value = member
                changed = true
            }
            return changed ? .object(members) : nil
        default:
            return nil
        }
    }

    /// One pass over the bytes for the start of a secret, each candidate checked just enough
    /// to rule out ordinary words ("task-", "tokens", "the secret garden").
    static func mayContainSecret(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { bytes -> Bool in
            let n = bytes.count
            guard n >= 8, let p = bytes.baseAddress else { return false }
            func lower(_ i: Int) -> UInt8 { p[i] >= 0x41 && p[i] <= 0x5A ? p[i] | 0x20 : p[i] }
            func isWord(_ b: UInt8) -> Bool {
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
            }
            func run(from i: Int) -> Int {
                var j = i
                while j < n, isWord(p[j]) { j += 1 }
                return j - i
            }
            func starts(_ i: Int, _ word: StaticString, caseSensitive: Bool = false) -> Bool {
                let w = word.utf8Start
                guard i + word.utf8CodeUnitCount <= n else { return false }
                for k in 0..<word.utf8CodeUnitCount where (caseSensitive ? p[i + k] : lower(i + k)) != w[k] { return false }
                return true
            }
            /// White space as the expression's `\s` sees it: ASCII space, tab, line breaks,
            /// and (taken as possible, to stay on the safe side) any byte of a non-ASCII character.
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) || b >= 0x80 }
            /// After a keyword: optional white space and quotes, then `=` or `:`.
            func assignment(after j: Int) -> Bool {
                var k = j
                while k < n, isSpace(p[k]) || p[k] == 0x22 || p[k] == 0x27 { k += 1 }
                return k < n && (p[k] == 0x3D || p[k] == 0x3A)
            }
            /// Whether a secret may start at `i`.
            func startsSecret(_ i: Int) -> Bool {
                switch lower(i) {
                case 0x73:  // s
                    if starts(i, "sk-"), run(from: i + 3) >= 8 { return true }
                    if starts(i, "secret"), assignment(after: i + 6) { return true }
                case 0x61:  // a
                    if starts(i, "AKIA", caseSensitive: true) || starts(i, "ASIA", caseSensitive: true) || starts(i, "AIza", caseSensitive: true) {
                        if run(from: i + 4) >= 16 { return true }
                    }
                    if starts(i, "aws_secret") || starts(i, "access_token") || starts(i, "auth_token") { return true }
                    if starts(i, "api_key") || starts(i, "api-key") || starts(i, "apikey") { return true }
                case 0x67:  // g
                    if starts(i, "github_pat_") { return true }
                    if starts(i, "gh"), i + 3 < n, "pousr".utf8.contains(p[i + 2]), p[i + 3] == 0x5F, run(from: i + 4) >= 30 { return true }
                case 0x78:  // x
                    if starts(i, "xox"), i + 4 < n, p[i + 4] == 0x2D { return true }
                case 0x62:  // b
                    if starts(i, "bearer"), i + 6 < n, isSpace(p[i + 6]) { return true }
                case 0x70:  // p
                    if starts(i, "password"), assignment(after: i + 8) { return true }
                    if starts(i, "passwd"), assignment(after: i + 6) { return true }
                    if starts(i, "pwd"), assignment(after: i + 3) { return true }
                    if starts(i, "private key") { return true }
                case 0x74:  // t
                    if starts(i, "token"), assignment(after: i + 5) { return true }
                default:
                    break
                }
                return false
            }
            // Sixteen positions at a time: vector compares find where a secret's first three
            // bytes are, and only those positions are checked one by one.
            /// The positions whose byte in `word` (eight lanes from `first`) is 0xFF.
            func anyStartsSecret(_ word: UInt64, from first: Int) -> Bool {
                var hits = word
                while hits != 0 {
                    let bit = hits.trailingZeroBitCount
                    if startsSecret(first + bit / 8) { return true }
                    hits &= ~(0xFF << UInt64(bit & ~7))
                }
                return false
            }
            var i = 0
            while i + 18 <= n {
                let (low, high) = candidateMask(UnsafeRawPointer(p + i))
                if anyStartsSecret(low, from: i) || anyStartsSecret(high, from: i + 8) { return true }
                i += 16
            }
            // The tail, under eighteen bytes: every position is checked.
            while i < n {
                if startsSecret(i) { return true }
                i += 1
            }
            return false
        }
    }

    /// Byte k (of the two words, low first) is 0xFF when the three bytes at `k` (k < 16;
    /// 18 bytes are read) begin a secret
    /// shape, ignoring case: sk- sec · aws acc aut api aki asi aiz · git gh[pousr] · xox ·
    /// bea · pas pwd pri · tok. Prose is full of "to", "se" and "pa"; three bytes rule out
    /// nearly all of them.
    @inline(__always)
    private static func candidateMask(_ at: UnsafeRawPointer) -> (UInt64, UInt64) {
        let fold = SIMD16<UInt8>(repeating: 0x20)
        let b0 = at.loadUnaligned(as: SIMD16<UInt8>.self) | fold
        let b1 = (at + 1).loadUnaligned(as: SIMD16<UInt8>.self) | fold
        let b2 = (at + 2).loadUnaligned(as: SIMD16<UInt8>.self) | fold
        typealias Mask = SIMDMask<SIMD16<Int8>>
        func x(_ c: UInt8) -> Mask { b0 .== SIMD16(repeating: c) }
        func y(_ c: UInt8) -> Mask { b1 .== SIMD16(repeating: c) }
        func z(_ c: UInt8) -> Mask { b2 .== SIMD16(repeating: c) }
        let yi = y(0x69), yo = y(0x6F), ye = y(0x65), yw = y(0x77)
        var m = x(0x73) .& ((y(0x6B) .& z(0x2D)) .| (ye .& z(0x63)))
        m .|= x(0x61)
            .& ((yw .& z(0x73)) .| (y(0x63) .& z(0x63)) .| (y(0x75) .& z(0x74)) .| (y(0x70) .& z(0x69))
                .| (y(0x6B) .& z(0x69)) .| (y(0x73) .& z(0x69)) .| (yi .& z(0x7A)))
        m .|= x(0x67) .& ((yi .& z(0x74)) .| (y(0x68) .& (z(0x70) .| z(0x6F) .| z(0x75) .| z(0x73) .| z(0x72))))
        m .|= x(0x78) .& yo .& z(0x78)
        m .|= x(0x62) .& ye .& z(0x61)
        m .|= x(0x70) .& ((y(0x61) .& z(0x73)) .| (yw .& z(0x64)) .| (y(0x72) .& z(0x69)))
        m .|= x(0x74) .& yo .& z(0x6B)
        // The mask as two words of 0x00 / 0xFF bytes (SIMD's any() and lane reads go
        // through memory and a call).
        let words = unsafeBitCast(m, to: SIMD2<UInt64>.self)
        return (words[0], words[1])
    }
}
