/// One message of a phase page as the reader sees it: a bubble with a label and blocks, or a
/// divider. Made by ``ConversationView``; written by ``write(_:)``, or by a user's `message`
/// template from ``context``.
struct MessageBubble: HTMLComponent {
    static let templateName = "message"
    /// A divider line ("conversation compacted") instead of a bubble.
    var isDivider = false
    /// Messages that left the conversation here, folded under `label`, instead of a bubble.
    var branch: [MessageBubble]?
    /// Context the CLI added (hidden behind the page's toggle).
    var isMeta = false
    /// `user`, `assistant` or `meta` (a CSS class); empty for a divider.
    var role: String
    var label: String
    /// The clock time, when the message has one.
    var time: String?
    var model: String?
    /// The estimated cost, when it has usage.
    var cost: String?
    /// The protocol marker badge of a turn's last message: its text and CSS class.
    var marker: (text: String, cssClass: String)?
    /// The bubble's id on the page (`turn-3` for the prompt that starts a phase's third turn),
    /// which the index's decisions link to.
    var anchor: String?
    var blocks: [Block] = []

    /// A piece of a bubble. Every text in it is HTML already (escaped, or cmark's safe output).
    enum Block {
        case text(html: String)
        case pre(html: String)
        case thinking(html: String)
        case tool(ToolCall)
        /// A tool call at detail levels that show only its name and summary.
        case toolName(name: String, summary: String)
    }

    /// A tool call with its input, its result and the subagent it started.
    struct ToolCall {
        var name: String
        var summary: String
        var inputHTML: String
        var result: (html: String, more: String?, isError: Bool)?
        /// What the error badge says: `error`, or `exit 3` for a command that failed.
        var errorLabel = "error"
        /// Where the whole result is when `more` cut it: the phase's Markdown file.
        var moreHref = ""
        var subagent: (title: String, messages: [MessageBubble])?
    }

    func write(_ html: inout HTMLWriter) {
        let m = self
        if m.isDivider {
            html.markup("<div class=\"divider")
            if m.isMeta { html.markup(" meta") }
            html.markup("\">", text: m.label, "</div>\n")
            return
        }
        if let branch = m.branch {
            html.markup("<details class=\"branch\"><summary>", text: m.label, "</summary><div class=\"inner\">\n")
            for inner in branch { html.component(inner) }
            html.markup("</div></details>\n")
            return
        }
        html.markup("<div class=\"msg ", text: m.role, "\"")
        if let anchor = m.anchor {
            html.markup(" id=\"", text: anchor, "\"")
        }
        html.markup(">\n<div class=\"who\"><span>", text: m.label, "</span>")
        for value in [m.time, m.model, m.cost] {
            guard let value else { continue }
            html.markup("<span>", text: value, "</span>")
        }
        if let marker = m.marker {
            html.markup("<span class=\"marker ", text: marker.cssClass, "\">")
            html.text(marker.text)
            html.markup("</span>")
        }
        html.markup("</div>\n<div class=\"body\">\n")
        for block in m.blocks {
            switch block {
            case .text(let text):
                html.markup(text)
            case .pre(let text):
                html.markup("<pre>")
                html.markup(text)
                html.markup("</pre>")
            case .thinking(let text):
                html.markup("<details class=\"thinking\"><summary>Thinking</summary><div class=\"inner\">")
                html.markup(text)
                html.markup("</div></details>")
            case .tool(let call):
                html.markup("<details class=\"tool\"><summary><span class=\"tool-name\">", text: call.name, "</span> ")
                html.text(call.summary)
                if call.result?.isError == true {
                    html.markup(" <span class=\"error\">(", text: call.errorLabel, ")</span>")
                }
                html.markup("</summary><div class=\"inner\">\n")
                if !call.inputHTML.isEmpty {
                    html.markup("<pre>")
                    html.markup(call.inputHTML)
                    html.markup("</pre>\n")
                }
                if let result = call.result {
                    html.markup(result.isError ? "<pre class=\"error\">" : "<pre>")
                    html.markup(result.html)
                    html.markup("</pre>")
                    if let more = result.more {
                        html.markup("<p class=\"more\"><a href=\"", text: call.moreHref, "\">")
                        html.text(more)
                        html.markup("</a>: the whole output is in the phase&#39;s Markdown</p>")
                    }
                    html.markup("\n")
                }
                if let sub = call.subagent {
                    html.markup("<details class=\"subagent\" open><summary>Subagent ", text: sub.title, "</summary><div class=\"inner\">\n")
                    for inner in sub.messages { html.component(inner) }
                    html.markup("</div></details>\n")
                }
                html.markup("</div></details>")
            case .toolName(let name, let summary):
                html.markup("<p class=\"note\"><span class=\"tool-name\">", text: name, "</span> ")
                html.text(summary)
                html.markup("</p>")
            }
            html.markup("\n")
        }
        html.markup("</div>\n</div>\n")
    }

    static func divider(_ label: String) -> MessageBubble {
        MessageBubble(isDivider: true, role: "", label: label)
    }

    static func branch(_ label: String, _ messages: [MessageBubble]) -> MessageBubble {
        MessageBubble(branch: messages, role: "", label: label)
    }

    func templateContext(_ templates: TemplateSet) -> [String: Any] { context }

    /// The bubble as a `message` template reads it: every key present (false when absent),
    /// so that Mustache never falls back to an outer message's value.
    var context: [String: Any] {
        [
            "is_divider": isDivider, "is_branch": branch != nil, "is_bubble": !isDivider && branch == nil,
            "branch_messages": (branch ?? []).map(\.context),
            "is_meta": isMeta, "role": role, "label": label, "time": time ?? false, "model": model ?? false,
            "cost": cost ?? false, "marker": marker?.text ?? false, "marker_class": marker?.cssClass ?? "", "blocks": blocks.map(\.context),
            "anchor": anchor ?? false,
        ]
    }
}

extension MessageBubble.Block {
    var context: [String: Any] {
        var b: [String: Any] = [
            "is_text": false, "is_pre": false, "is_thinking": false, "is_tool": false, "is_tool_name": false,
            "html": "", "text_html": "", "tool_name": "", "tool_summary": "", "tool_input_html": false, "has_result": false,
            "result_html": "", "result_more": false, "more_href": "", "result_is_error": false, "result_status": "", "subagent": false,
        ]
        switch self {
        case .text(let html):
            b["is_text"] = true
            b["html"] = html
        case .pre(let html):
            b["is_pre"] = true
            b["text_html"] = html
        case .thinking(let html):
            b["is_thinking"] = true
            b["html"] = html
        case .toolName(let name, let summary):
            b["tool_name"] = name
            b["tool_summary"] = summary
            b["is_tool_name"] = true
        case .tool(let call):
            b["tool_name"] = call.name
            b["tool_summary"] = call.summary
            b["is_tool"] = true
            b["tool_input_html"] = call.inputHTML
            if let result = call.result {
                b["has_result"] = true
                b["result_html"] = result.html
                b["result_more"] = result.more ?? false
                b["more_href"] = call.moreHref
                b["result_is_error"] = result.isError
                b["result_status"] = call.errorLabel
            }
            if let sub = call.subagent {
                b["subagent"] = ["title": sub.title, "messages": sub.messages.map(\.context)] as [String: Any]
            }
        }
        return b
    }
}
