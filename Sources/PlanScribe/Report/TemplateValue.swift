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

    /// `{{value}}`: the value as text, escaped as every HTML template escapes it
    /// (``HTMLText/escape(_:)``).
    static func escaped(_ value: Any?) -> String {
        HTMLText.escape(raw(value))
    }

    /// ``escaped(_:)-(Any?)`` of a text.
    static func escaped(_ text: String) -> String {
        HTMLText.escape(text)
    }
}
