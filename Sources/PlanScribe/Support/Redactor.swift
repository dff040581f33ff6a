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
        guard mayContainSecret(text) else { return text }
        return pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: mask)
    }

    /// True when the full expression finds a secret in `text` (the fuzzer checks that the
    /// byte scan never passes over one).
    static func expressionFindsSecret(_ text: String) -> Bool {
        pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// A JSON value with every string redacted.
    public static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(redact(s))
        case .array(let items): return .array(items.map(redact))
        case .object(let members): return .object(members.map { JSONValue.Member(key: $0.key, value: redact($0.value)) })
        default: return value
        }
    }

    /// The first two bytes of every secret shape the scan below knows, as a 65,536-bit set
    /// indexed by `first << 8 | second` (both cases where the shape ignores case).
    private static let candidatePairs: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        func add(_ a: UInt8, _ b: UInt8) {
            let index = Int(a) << 8 | Int(b)
            bits[index >> 6] |= 1 << UInt64(index & 63)
        }
        func anyCase(_ pair: String) {
            let u = Array(pair.lowercased().utf8), v = Array(pair.uppercased().utf8)
            for a in [u[0], v[0]] { for b in [u[1], v[1]] { add(a, b) } }
        }
        for pair in ["sk", "se", "aw", "ac", "au", "ap", "gi", "gh", "xo", "be", "pa", "pw", "pr", "to"] { anyCase(pair) }
        for pair in ["AK", "AS", "AI"] { add(Array(pair.utf8)[0], Array(pair.utf8)[1]) }
        return bits
    }()

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
            let pairs = candidatePairs
            var i = 0
            while i < n {
                // Most positions start no secret: one table lookup on the byte pair rules them out.
                if i + 1 < n {
                    let pair = Int(p[i]) << 8 | Int(p[i + 1])
                    if pairs[pair >> 6] & (1 << UInt64(pair & 63)) == 0 {
                        i += 1
                        continue
                    }
                }
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
                i += 1
            }
            return false
        }
    }
}
