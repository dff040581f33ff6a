/// One message of a phase page as the reader sees it: a bubble with a label and blocks, or a
/// divider. Made by ``ConversationView``; written by ``MessageHTML`` (the built-in partial,
/// natively) or handed to Mustache as ``context`` (a user's `message` template).
struct MessageBubble {
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

    static func divider(_ label: String) -> MessageBubble {
        MessageBubble(isDivider: true, role: "", label: label)
    }

    static func branch(_ label: String, _ messages: [MessageBubble]) -> MessageBubble {
        MessageBubble(branch: messages, role: "", label: label)
    }

    /// The bubble as the `message` template reads it: every key present (false when
    /// absent), so that Mustache never falls back to an outer message's value.
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
