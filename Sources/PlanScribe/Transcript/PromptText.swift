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
        if let command = command(in: text) {
            return command.args.isEmpty ? command.name : command.name + " " + command.args
        }
        if let command = tag("bash-input", in: text) {
            return "! " + command
        }
        return text
    }

    /// The slash command a prompt records, when the prompt starts with the CLI's command tags:
    /// `<command-name>/office-hours</command-name>`, with `<command-message>` and
    /// `<command-args>` in any order, white space between, args left out when there are none
    /// (a skill or custom command run with `claude -p "/office-hours A todo app"` writes the
    /// message first; interactive sessions write the name first).
    ///
    /// - Parameter text: a prompt's recorded text.
    /// - Returns: the name as written (`/office-hours`) and the arguments (possibly empty).
    public static func command(in text: String) -> (name: String, args: String)? {
        // Most prompts are typed text: what does not start with a tag is not one, found in
        // the first bytes rather than by Characters.
        guard text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }) == 0x3C else { return nil }
        var rest = Substring(text)
        var name: String?
        var args = ""
        func skipSpace() { rest = rest.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" } }
        skipSpace()
        guard rest.hasPrefix("<command-") else { return nil }
        while !rest.isEmpty {
            var matched = false
            for tag in ["command-name", "command-message", "command-args"] where rest.hasPrefix("<\(tag)>") {
                let body = rest.dropFirst(tag.count + 2)
                guard let close = body.range(of: "</\(tag)>") else { return nil }
                let value = String(body[..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
                switch tag {
                case "command-name": name = value
                case "command-args": args = value
                default: break
                }
                rest = body[close.upperBound...]
                matched = true
            }
            // Other text after the tags (a newer CLI's extra tag) leaves the command as read.
            guard matched else { break }
            skipSpace()
        }
        return name.map { ($0, args) }
    }

    /// True for a bash-mode line (`! command` typed in the CLI), recorded as `<bash-input>…`.
    public static func isBashInput(_ text: String) -> Bool {
        text.drop { $0 == " " || $0 == "\n" || $0 == "\t" }.hasPrefix("<bash-input>")
    }

    private static func tag(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else {
            return nil
        }
        return String(text[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
