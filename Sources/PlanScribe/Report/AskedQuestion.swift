import Foundation

/// A question the agent put to the user with the `AskUserQuestion` tool: its header, its text
/// and its options, read from the call's input. In `claude -p` the CLI refuses the tool, so the
/// question reached no one; a report shows it as the question it was, not as a JSON error.
struct AskedQuestion: Equatable {
    var header: String?
    var question: String
    var options: [(label: String, description: String?)]
    var multiSelect: Bool

    static func == (a: AskedQuestion, b: AskedQuestion) -> Bool {
        a.header == b.header && a.question == b.question && a.multiSelect == b.multiSelect
            && a.options.map(\.label) == b.options.map(\.label) && a.options.map(\.description) == b.options.map(\.description)
    }

    /// The questions of an `AskUserQuestion` call; nil for another tool or an input without
    /// any question.
    static func questions(in use: ToolUse) -> [AskedQuestion]? {
        guard use.name == "AskUserQuestion", case .array(let items)? = use.input["questions"] else { return nil }
        let questions = items.compactMap { item -> AskedQuestion? in
            guard let text = item["question"]?.stringValue, !text.isEmpty else { return nil }
            var options: [(String, String?)] = []
            if case .array(let list)? = item["options"] {
                for option in list {
                    if let label = option["label"]?.stringValue { options.append((label, option["description"]?.stringValue)) }
                }
            }
            let multi: Bool
            if case .bool(let b)? = item["multiSelect"] { multi = b } else { multi = false }
            return AskedQuestion(header: item["header"]?.stringValue, question: text, options: options, multiSelect: multi)
        }
        return questions.isEmpty ? nil : questions
    }

    /// What became of the questions, from the call's result: refused by the CLI, answered
    /// (the answer text), or not known.
    static func outcome(of result: ToolResult?) -> String {
        guard let result else { return "No answer is recorded." }
        if result.isError {
            if result.text.contains("AskUserQuestion is disabled") || result.text.contains("No such tool available") {
                return "Not asked: the CLI refuses AskUserQuestion in non-interactive (-p) mode, so the agent went on without an answer."
            }
            return "Not asked: " + Figures.oneLine(result.text, limit: 300)
        }
        return "Answer: " + Figures.oneLine(result.text, limit: 2_000)
    }

    /// The questions as HTML, every text escaped.
    static func html(_ questions: [AskedQuestion], outcome: String) -> String {
        var out = "<div class=\"question\">"
        for q in questions {
            out += "<p class=\"q-head\">Question" + (q.header.map { " · " + HTMLText.escape($0) } ?? "") + (q.multiSelect ? " (several may be chosen)" : "") + "</p>"
            out += "<p>" + HTMLText.escape(q.question) + "</p>"
            if !q.options.isEmpty {
                out += "<ul>"
                for o in q.options {
                    out += "<li><b>" + HTMLText.escape(o.label) + "</b>" + (o.description.map { " — " + HTMLText.escape($0) } ?? "") + "</li>"
                }
                out += "</ul>"
            }
        }
        out += "<p class=\"note\">" + HTMLText.escape(outcome) + "</p></div>\n"
        return out
    }

    /// The questions as Markdown, every text defanged.
    static func markdown(_ questions: [AskedQuestion], outcome: String) -> String {
        func inline(_ text: String, _ limit: Int) -> String {
            Markdown.defanged(Figures.oneLine(text, limit: limit)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var out = ""
        for q in questions {
            out += "- **Question" + (q.header.map { " · " + inline($0, 200) } ?? "") + "**: " + inline(q.question, 2_000) + "\n"
            for o in q.options {
                out += "  - " + inline(o.label, 200) + (o.description.map { " — " + inline($0, 500) } ?? "") + "\n"
            }
        }
        return out + "\n" + inline(outcome, 2_500) + "\n"
    }
}
