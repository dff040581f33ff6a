import Foundation

/// How a prompt reads to a person: the CLI records slash commands and shell escapes as
/// tags (`<command-name>/model</command-name>…`, `<bash-input>ls</bash-input>`); this gives
/// `/model …` and `! ls` instead.
public enum PromptText {
    /// The prompt as typed.
    ///
    /// - Parameter text: a prompt's recorded text.
    public static func plain(_ text: String) -> String {
        guard text.utf8.contains(0x3C) else { return text }  // no tag without "<"
        if let name = tag("command-name", in: text) {
            let args = tag("command-args", in: text) ?? ""
            return args.isEmpty ? name : name + " " + args
        }
        if let command = tag("bash-input", in: text) {
            return "! " + command
        }
        return text
    }

    private static func tag(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else {
            return nil
        }
        return String(text[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
