/// Writes the artifacts section of the built-in phase page the way `phase.html.mustache`
/// renders it, byte for byte; the native library's phase page has `{{{artifacts_html}}}` in
/// place of ``block``. `ArtifactsHTMLTests` and `MessageHTMLTests` compare it with the
/// template.
enum ArtifactsHTML {
    /// The section as the built-in phase page writes it (standalone tag lines included).
    static let block = """
        {{#has_artifacts}}
        <section class="card">
        <h2>Artifacts</h2>
        {{#artifacts}}
        <div class="artifact">
        <h3>{{name}}{{#source}} <span class="note">{{source}}</span>{{/source}}</h3>
        {{#html}}<div class="md">{{{html}}}</div>{{/html}}
        {{#text}}<pre>{{text}}</pre>{{/text}}
        </div>
        {{/artifacts}}
        </section>
        {{/has_artifacts}}

        """

    static func render(_ artifacts: [[String: Any]]) -> String {
        guard !artifacts.isEmpty else { return "" }
        var out = "<section class=\"card\">\n<h2>Artifacts</h2>\n"
        for a in artifacts {
            out += "<div class=\"artifact\">\n<h3>" + TemplateValue.escaped(a["name"])
            if TemplateValue.truthy(a["source"]) { out += " <span class=\"note\">" + TemplateValue.escaped(a["source"]) + "</span>" }
            out += "</h3>\n"
            if TemplateValue.truthy(a["html"]) { out += "<div class=\"md\">" + TemplateValue.raw(a["html"]) + "</div>" }
            out += "\n"
            if TemplateValue.truthy(a["text"]) { out += "<pre>" + TemplateValue.escaped(a["text"]) + "</pre>" }
            out += "\n</div>\n"
        }
        out += "</section>\n"
        return out
    }
}
