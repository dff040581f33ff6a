/// What Mustache makes of a context value, for the partials planscribe writes natively
/// (``MessageHTML``, ``CostTableHTML``, ``PhaseStripHTML``): they must
/// give the template engine's bytes exactly.
enum TemplateValue {
    /// Mustache's idea of a section that renders: false and nil do not; text, even empty, does.
    static func truthy(_ value: Any?) -> Bool {
        switch value {
        case nil: return false
        case let bool as Bool: return bool
        case let list as [Any]: return !list.isEmpty
        default: return true
        }
    }

    /// `{{{value}}}`: the value as text, unescaped.
    static func raw(_ value: Any?) -> String {
        (value as? String) ?? value.map { "\($0)" } ?? ""
    }

    /// `{{value}}`: Mustache's escaping, which replaces whole Characters (so `"` with a
    /// combining mark stays as it is, exactly as the template engine leaves it).
    static func escaped(_ value: Any?) -> String {
        escaped(raw(value))
    }

    /// ``escaped(_:)-(Any?)`` of a text.
    static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for c in text {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
