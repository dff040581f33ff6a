/// A tool call's input as a reader takes it in, for the common tools: an edit as the lines it
/// removes and adds, a write as the file and its content, a command as a shell line, a read as
/// the file and its range, a search as its pattern and place, a to-do list as a checklist, a
/// fetch as its address and what it looks for, a web search as its query, a subagent as its
/// kind, task and prompt.
/// Other tools (and inputs of an unexpected shape) are shown as JSON. Plain text: the page
/// escapes it.
enum ToolInputView {
    static func text(_ use: ToolUse) -> String? {
        let input = use.input
        func string(_ key: String) -> String? { input[key]?.stringValue }
        func int(_ key: String) -> Int? {
            if case .int(let i)? = input[key] { return i }
            return nil
        }
        switch use.name {
        case "Edit":
            guard let path = string("file_path"), let old = string("old_string"), let new = string("new_string") else { return nil }
            return "edit " + path + (input["replace_all"] == .bool(true) ? " (every occurrence)" : "") + "\n" + diff(old, new)
        case "MultiEdit":
            guard let path = string("file_path"), case .array(let edits)? = input["edits"] else { return nil }
            var out = "edit " + path + " (\(Figures.plural(edits.count, "change")))"
            for edit in edits {
                guard let old = edit["old_string"]?.stringValue, let new = edit["new_string"]?.stringValue else { return nil }
                out += "\n" + diff(old, new)
            }
            return out
        case "Write":
            guard let path = string("file_path"), let content = string("content") else { return nil }
            return "write " + path + "\n\n" + content
        case "Bash":
            guard let command = string("command") else { return nil }
            return (string("description").map { "# " + Figures.oneLine($0, limit: 200) + "\n" } ?? "") + "$ " + command
        case "Read":
            guard let path = string("file_path") else { return nil }
            var range = ""
            if let offset = int("offset") { range = " from line \(offset)" }
            if let limit = int("limit") { range += ", \(Figures.plural(limit, "line"))" }
            return "read " + path + range
        case "Grep", "Glob":
            guard let pattern = string("pattern") else { return nil }
            return (use.name == "Grep" ? "search for " : "files matching ") + pattern + (string("path").map { " in " + $0 } ?? "")
                + (string("glob").map { " (files " + $0 + ")" } ?? "")
        case "TodoWrite":
            guard case .array(let todos)? = input["todos"] else { return nil }
            return todos.map { todo in
                let mark: String
                switch todo["status"]?.stringValue {
                case "completed": mark = "[x]"
                case "in_progress": mark = "[~]"
                default: mark = "[ ]"
                }
                return mark + " " + (todo["content"]?.stringValue ?? "")
            }.joined(separator: "\n")
        case "WebFetch":
            guard let url = string("url") else { return nil }
            return "fetch " + url + (string("prompt").map { "\nlooking for: " + $0 } ?? "")
        case "WebSearch":
            guard let query = string("query") else { return nil }
            func domains(_ key: String) -> String? {
                guard case .array(let list)? = input[key] else { return nil }
                let names = list.compactMap(\.stringValue)
                return names.isEmpty ? nil : names.joined(separator: ", ")
            }
            return "search the web for " + query + (domains("allowed_domains").map { "\nonly on: " + $0 } ?? "")
                + (domains("blocked_domains").map { "\nnot on: " + $0 } ?? "")
        case "Agent", "Task":
            guard let prompt = string("prompt") else { return nil }
            let who = string("subagent_type").map { "subagent " + $0 } ?? "subagent"
            return who + (string("description").map { ": " + $0 } ?? "") + (input["run_in_background"] == .bool(true) ? " (in the background)" : "") + "\n\n" + prompt
        default:
            return nil
        }
    }

    /// The lines an edit removes (`- `) and adds (`+ `).
    private static func diff(_ old: String, _ new: String) -> String {
        let removed = old.split(separator: "\n", omittingEmptySubsequences: false).map { "- " + $0 }
        let added = new.split(separator: "\n", omittingEmptySubsequences: false).map { "+ " + $0 }
        return (removed + added).joined(separator: "\n")
    }
}
