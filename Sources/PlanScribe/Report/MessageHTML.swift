/// Writes message bubbles the way the built-in `message.mustache` partial renders their
/// ``MessageBubble/context``, byte for byte, without Mustache's per-key lookups (a third of
/// render time on large runs). `MessageHTMLTests` renders every fixture both ways and
/// compares the pages.
enum MessageHTML {
    /// The messages one after the other, as `{{#messages}}{{> message}}{{/messages}}` writes
    /// them: the built-in page puts nothing between two messages.
    static func render(_ messages: [MessageBubble]) -> String {
        var out = ""
        for m in messages { render(m, into: &out) }
        return out
    }

    /// One message, as ``render(_:)`` writes it in a list.
    static func render(_ m: MessageBubble) -> String {
        var out = ""
        render(m, into: &out)
        return out
    }

    private static func render(_ m: MessageBubble, into out: inout String) {
        if m.isDivider {
            out += "<div class=\"divider"
            if m.isMeta { out += " meta" }
            out += "\">"
            escape(m.label, &out)
            out += "</div>\n"
            return
        }
        if let branch = m.branch {
            out += "<details class=\"branch\"><summary>"
            escape(m.label, &out)
            out += "</summary><div class=\"inner\">\n"
            for inner in branch { render(inner, into: &out) }
            out += "</div></details>\n"
            return
        }
        out += "<div class=\"msg "
        escape(m.role, &out)
        out += "\""
        if let anchor = m.anchor {
            out += " id=\""
            escape(anchor, &out)
            out += "\""
        }
        out += ">\n<div class=\"who\"><span>"
        escape(m.label, &out)
        out += "</span>"
        for value in [m.time, m.model, m.cost] {
            guard let value else { continue }
            out += "<span>"
            escape(value, &out)
            out += "</span>"
        }
        if let marker = m.marker {
            out += "<span class=\"marker "
            escape(marker.cssClass, &out)
            out += "\">"
            escape(marker.text, &out)
            out += "</span>"
        }
        out += "</div>\n<div class=\"body\">\n"
        for block in m.blocks {
            switch block {
            case .text(let html):
                out += html
            case .pre(let html):
                out += "<pre>"
                out += html
                out += "</pre>"
            case .thinking(let html):
                out += "<details class=\"thinking\"><summary>Thinking</summary><div class=\"inner\">"
                out += html
                out += "</div></details>"
            case .tool(let call):
                out += "<details class=\"tool\"><summary><span class=\"tool-name\">"
                escape(call.name, &out)
                out += "</span> "
                escape(call.summary, &out)
                if call.result?.isError == true {
                    out += " <span class=\"error\">("
                    escape(call.errorLabel, &out)
                    out += ")</span>"
                }
                out += "</summary><div class=\"inner\">\n"
                if !call.inputHTML.isEmpty {
                    out += "<pre>"
                    out += call.inputHTML
                    out += "</pre>\n"
                }
                if let result = call.result {
                    out += result.isError ? "<pre class=\"error\">" : "<pre>"
                    out += result.html
                    out += "</pre>"
                    if let more = result.more {
                        out += "<p class=\"more\"><a href=\""
                        escape(call.moreHref, &out)
                        out += "\">"
                        escape(more, &out)
                        out += "</a>: the whole output is in the phase&#39;s Markdown</p>"
                    }
                    out += "\n"
                }
                if let sub = call.subagent {
                    out += "<details class=\"subagent\" open><summary>Subagent "
                    escape(sub.title, &out)
                    out += "</summary><div class=\"inner\">\n"
                    for inner in sub.messages { render(inner, into: &out) }
                    out += "</div></details>\n"
                }
                out += "</div></details>"
            case .toolName(let name, let summary):
                out += "<p class=\"note\"><span class=\"tool-name\">"
                escape(name, &out)
                out += "</span> "
                escape(summary, &out)
                out += "</p>"
            }
            // Each block is one line, as in the partial.
            out += "\n"
        }
        out += "</div>\n</div>\n"
    }

    private static func escape(_ text: String, _ out: inout String) {
        out += HTMLText.escape(text)
    }
}
