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
            out += "</summary><div class=\"inner\">"
            for inner in branch { render(inner, into: &out) }
            out += "</div></details>\n"
            return
        }
        out += "\n<div class=\"msg "
        escape(m.role, &out)
        out += "\">\n<div class=\"who\"><span>"
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
            // The partial's five block lines, each ending in a line break whether it shows
            // or not.
            switch block {
            case .text(let html):
                out += html
                out += "\n\n\n\n\n"
            case .pre(let html):
                out += "\n<pre>"
                out += html
                out += "</pre>\n\n\n\n"
            case .thinking(let html):
                out += "\n\n<details class=\"thinking\"><summary>Thinking</summary><div class=\"inner\">"
                out += html
                out += "</div></details>\n\n\n"
            case .tool(let call):
                out += "\n\n\n<details class=\"tool\"><summary><span class=\"tool-name\">"
                escape(call.name, &out)
                out += "</span> "
                escape(call.summary, &out)
                if call.result?.isError == true { out += " <span class=\"error\">(error)</span>" }
                out += "</summary><div class=\"inner\">\n<pre>"
                out += call.inputHTML
                out += "</pre>\n"
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
                }
                out += "\n"
                if let sub = call.subagent {
                    out += "<details class=\"subagent\" open><summary>Subagent "
                    escape(sub.title, &out)
                    out += "</summary><div class=\"inner\">\n"
                    for inner in sub.messages { render(inner, into: &out) }
                    out += "\n</div></details>"
                }
                out += "\n</div></details>\n\n"
            case .toolName(let name, let summary):
                out += "\n\n\n\n<p class=\"note\"><span class=\"tool-name\">"
                escape(name, &out)
                out += "</span> "
                escape(summary, &out)
                out += "</p>\n"
            }
        }
        out += "</div>\n</div>\n"
    }

    private static func escape(_ text: String, _ out: inout String) {
        out += HTMLText.escape(text)
    }
}
