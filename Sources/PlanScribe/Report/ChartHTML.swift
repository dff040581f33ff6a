/// Writes the chart section of the built-in index page (the estimated cost per phase, as an
/// inline SVG) the way `index.html.mustache` renders it, byte for byte; the native library's
/// index has `{{{chart_html}}}` in place of ``block``. `ChartHTMLTests` and
/// `MessageHTMLTests` compare it with the template.
enum ChartHTML {
    /// The section as the built-in index writes it (standalone tag lines included).
    static let block = """
        {{#chart}}
        <section class="card">
        <h2>Estimated cost per phase</h2>
        <svg class="chart" viewBox="0 0 {{width}} {{height}}" role="img" aria-label="Estimated cost per phase, with the mix of tokens">
        {{#bars}}
        <text class="label" x="0" y="{{label_y}}">{{name}}</text>
        <rect class="bar" x="{{x}}" y="{{bar_y}}" width="{{bar_width}}" height="14" rx="2"/>
        <text class="value" x="{{value_x}}" y="{{value_y}}">{{cost}}</text>
        {{#mix}}<rect class="{{class}}" x="{{x}}" y="{{y}}" width="{{width}}" height="5"><title>{{title}}</title></rect>{{/mix}}
        {{/bars}}
        </svg>
        <div class="legend"><span class="l-in">input</span><span class="l-out">output</span><span class="l-cw">cache write</span><span class="l-cr">cache read</span><span>thin bars: share of each phase's tokens</span></div>
        </section>
        {{/chart}}

        """

    /// The section for a chart context (`width`, `height`, `bars`), or nothing for `false`.
    static func render(_ chart: Any?) -> String {
        guard TemplateValue.truthy(chart), let chart = chart as? [String: Any] else { return "" }
        var out = "<section class=\"card\">\n<h2>Estimated cost per phase</h2>\n<svg class=\"chart\" viewBox=\"0 0 "
        out += TemplateValue.escaped(chart["width"]) + " " + TemplateValue.escaped(chart["height"])
        out += "\" role=\"img\" aria-label=\"Estimated cost per phase, with the mix of tokens\">\n"
        for bar in chart["bars"] as? [[String: Any]] ?? [] {
            // A key a bar lacks is looked up in the chart around it, as Mustache does.
            func value(_ key: String) -> String { TemplateValue.escaped(bar[key] ?? chart[key]) }
            out += "<text class=\"label\" x=\"0\" y=\"" + value("label_y") + "\">" + value("name") + "</text>\n"
            out += "<rect class=\"bar\" x=\"" + value("x") + "\" y=\"" + value("bar_y") + "\" width=\"" + value("bar_width") + "\" height=\"14\" rx=\"2\"/>\n"
            out += "<text class=\"value\" x=\"" + value("value_x") + "\" y=\"" + value("value_y") + "\">" + value("cost") + "</text>\n"
            for mix in bar["mix"] as? [[String: Any]] ?? [] {
                func m(_ key: String) -> String { TemplateValue.escaped(mix[key] ?? bar[key] ?? chart[key]) }
                out += "<rect class=\"" + m("class") + "\" x=\"" + m("x") + "\" y=\"" + m("y") + "\" width=\"" + m("width")
                out += "\" height=\"5\"><title>" + m("title") + "</title></rect>"
            }
            out += "\n"
        }
        out += "</svg>\n<div class=\"legend\"><span class=\"l-in\">input</span><span class=\"l-out\">output</span><span class=\"l-cw\">cache write</span><span class=\"l-cr\">cache read</span><span>thin bars: share of each phase's tokens</span></div>\n</section>\n"
        return out
    }
}
