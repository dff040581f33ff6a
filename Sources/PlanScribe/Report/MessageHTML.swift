/// Writes a message context the way the built-in `message.mustache` partial renders it, byte
/// for byte, without Mustache's per-key lookups (a third of render time on large runs).
/// `MessageHTMLTests` renders every fixture both ways and compares the pages.
enum MessageHTML {
    static func render(_ m: [String: Any]) -> String {
        var out = ""
        render(m, into: &out)
        return out
    }

    /// The messages one after the other, as `{{#messages}}{{> message}}{{/messages}}` writes
    /// them: the built-in page puts nothing between two messages.
    static func render(_ messages: [[String: Any]]) -> String {
        var out = ""
        for m in messages { render(m, into: &out) }
        return out
    }

    private static func render(_ m: [String: Any], into out: inout String) {
        if truthy(m["is_divider"]) {
            out += "<div class=\"divider" + (truthy(m["is_meta"]) ? " meta" : "") + "\">" + escaped(m["label"]) + "</div>"
        }
        out += "\n"
        guard !truthy(m["is_divider"]) else { return }
        out += "<div class=\"msg " + escaped(m["role"]) + "\">\n"
        out += "<div class=\"who\"><span>" + escaped(m["label"]) + "</span>"
        for key in ["time", "model", "cost"] where truthy(m[key]) {
            out += "<span>" + escaped(m[key]) + "</span>"
        }
        if truthy(m["marker"]) {
            out += "<span class=\"marker " + escaped(m["marker_class"]) + "\">" + escaped(m["marker"]) + "</span>"
        }
        out += "</div>\n<div class=\"body\">\n"
        for b in (m["blocks"] as? [[String: Any]]) ?? [] {
            if truthy(b["is_text"]) { out += raw(b["html"]) }
            out += "\n"
            if truthy(b["is_pre"]) { out += "<pre>" + raw(b["text_html"]) + "</pre>" }
            out += "\n"
            if truthy(b["is_thinking"]) {
                out += "<details class=\"thinking\"><summary>Thinking</summary><div class=\"inner\">" + raw(b["html"]) + "</div></details>"
            }
            out += "\n"
            if truthy(b["is_tool"]) {
                out += "<details class=\"tool\"><summary><span class=\"tool-name\">" + escaped(b["tool_name"]) + "</span> " + escaped(b["tool_summary"])
                if truthy(b["result_is_error"]) { out += " <span class=\"error\">(error)</span>" }
                out += "</summary><div class=\"inner\">\n"
                if truthy(b["tool_input_html"]) { out += "<pre>" + raw(b["tool_input_html"]) + "</pre>" }
                out += "\n"
                if truthy(b["has_result"]) {
                    out += "<pre" + (truthy(b["result_is_error"]) ? " class=\"error\"" : "") + ">" + raw(b["result_html"]) + "</pre>"
                    if truthy(b["result_more"]) { out += "<p class=\"more\">" + escaped(b["result_more"]) + "</p>" }
                }
                out += "\n"
                if truthy(b["subagent"]), let sub = b["subagent"] as? [String: Any] {
                    out += "<details class=\"subagent\" open><summary>Subagent " + escaped(sub["title"]) + "</summary><div class=\"inner\">\n"
                    for inner in (sub["messages"] as? [[String: Any]]) ?? [] { render(inner, into: &out) }
                    out += "\n</div></details>"
                }
                out += "\n</div></details>"
            }
            out += "\n"
            if truthy(b["is_tool_name"]) {
                out += "<p class=\"note\"><span class=\"tool-name\">" + escaped(b["tool_name"]) + "</span> " + escaped(b["tool_summary"]) + "</p>"
            }
            out += "\n"
        }
        out += "</div>\n</div>\n"
    }

    private static func truthy(_ value: Any?) -> Bool { TemplateValue.truthy(value) }
    private static func raw(_ value: Any?) -> String { TemplateValue.raw(value) }
    private static func escaped(_ value: Any?) -> String { TemplateValue.escaped(value) }
}
