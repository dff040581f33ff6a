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
        // Byte by byte: the tags are ASCII, and a prompt is often long (searching it by
        // Characters, or through Foundation, copied the whole text for each tag).
        let utf8 = text.utf8
        var at = utf8.startIndex
        func skipSpace() {
            while at < utf8.endIndex, [0x20, 0x0A, 0x09, 0x0D].contains(utf8[at]) { at = utf8.index(after: at) }
        }
        // Most prompts are typed text: what does not start with a tag is not one.
        skipSpace()
        guard utf8[at...].starts(with: "<command-".utf8) else { return nil }
        var name: String?
        var args = ""
        while at < utf8.endIndex {
            var matched = false
            for tag in ["command-name", "command-message", "command-args"] where utf8[at...].starts(with: "<\(tag)>".utf8) {
                let body = utf8.index(at, offsetBy: tag.utf8.count + 2)
                let closing = "</\(tag)>"
                guard let after = text[body...].utf8Offset(after: closing) else { return nil }
                let end = utf8.index(body, offsetBy: after)
                let value = trimmed(text[body..<utf8.index(end, offsetBy: -closing.utf8.count)])
                switch tag {
                case "command-name": name = value
                case "command-args": args = value
                default: break
                }
                at = end
                matched = true
            }
            // Other text after the tags (a newer CLI's extra tag) leaves the command as read.
            guard matched else { break }
            skipSpace()
        }
        return name.map { ($0, args) }
    }

    /// The text without white space and newlines at either end (Foundation's set); text that
    /// starts and ends with printable ASCII other than a space has none to lose.
    private static func trimmed(_ text: Substring) -> String {
        func printable(_ byte: UInt8?) -> Bool { byte.map { $0 > 0x20 && $0 < 0x7F } ?? false }
        if printable(text.utf8.first) && printable(text.utf8.last) { return String(text) }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// True for a bash-mode line (`! command` typed in the CLI), recorded as `<bash-input>…`.
    public static func isBashInput(_ text: String) -> Bool {
        text.drop { $0 == " " || $0 == "\n" || $0 == "\t" }.hasPrefix("<bash-input>")
    }

    /// The text of the first `<name>…</name>` in `text`, trimmed; found by bytes, as
    /// ``command(in:)`` finds its tags.
    private static func tag(_ name: String, in text: String) -> String? {
        guard let open = text.utf8Offset(after: "<\(name)>") else { return nil }
        let body = text.utf8.index(text.utf8.startIndex, offsetBy: open)
        let closing = "</\(name)>"
        guard let after = text[body...].utf8Offset(after: closing) else { return nil }
        return trimmed(text[body..<text.utf8.index(body, offsetBy: after - closing.utf8.count)])
    }
}
