/// A report's `index.html`: gates, the phase strip, search, decisions, the comparison with the
/// baseline, the cost table and chart, the run's facts and the links to every file.
struct IndexPage: HTMLComponent {
    static let templateName = "index.html"

    /// A decision of a phase: the question and the reply, linked to its turn.
    struct Decision {
        var question: String
        var label: String
        var answer: String
        var href: String
        /// A prose brief's recommendation and options, when the question was one.
        var brief: (recommendation: String?, options: String?)?
    }

    /// A phase's decisions.
    struct DecisionPhase {
        var number: Int
        var name: String
        var href: String
        var items: [Decision]
    }

    /// The search box, the turns' text it searches and the script.
    struct Search {
        /// The inert `<template>` of every turn's text (``SearchIndex/html``).
        var dataHTML: String
        var script: String
        var note: String?
    }

    /// One phase's bar in the chart, with its mix of tokens; figures as SVG writes them.
    struct Bar {
        struct Mix {
            var cssClass: String
            var x: String
            var y: String
            var width: String
            var title: String
        }

        var name: String
        var labelY: String
        var x: String
        var barY: String
        var barWidth: String
        var valueX: String
        var valueY: String
        var cost: String
        var mix: [Mix]
    }

    /// The bar chart of estimated cost per phase.
    struct Chart {
        var width: String
        var height: String
        var bars: [Bar]
    }

    var frame: PageFrame
    var gates: [Gate.Result]
    var strip: PhaseStripView
    var search: Search?
    var decisions: [DecisionPhase]
    /// Said when the index lists only the first decisions.
    var decisionsMore: String?
    /// The comparison with the baseline: its "before" side and its table (cmark's safe HTML).
    var baseline: (before: String, html: String)?
    var cost: CostTableView
    var chart: Chart?
    var facts: [(term: String, value: String)]

    func templateContext(_ templates: TemplateSet) -> [String: Any] {
        var context = frame.templateContext(templates)
        context["gates"] = gates.map { ["gate": $0.gate.description, "failed": $0.failed, "message": $0.message] as [String: Any] }
        context["has_gates"] = !gates.isEmpty
        context["strip"] = strip.context
        context["strip_html"] = HTMLWriter.html(of: strip, templates)
        context["search"] = search.map { ["data_html": $0.dataHTML, "script": $0.script, "note": $0.note ?? false] as [String: Any] } ?? false
        context["decisions"] = decisions.map { p in
            [
                "number": p.number, "name": p.name, "href": p.href,
                "items": p.items.map { item in
                    [
                        "question": item.question, "label": item.label, "answer": item.answer, "href": item.href,
                        "brief": item.brief.map { ["recommendation": $0.recommendation ?? false, "options": $0.options ?? false] as [String: Any] } ?? false,
                    ] as [String: Any]
                },
            ] as [String: Any]
        }
        context["has_decisions"] = !decisions.isEmpty
        context["decisions_more"] = decisionsMore ?? false
        context["baseline"] = baseline.map { ["before": $0.before, "html": $0.html] as [String: Any] } ?? false
        context["cost"] = cost.context
        context["cost_table_html"] = HTMLWriter.html(of: cost, templates)
        context["chart"] =
            chart.map { chart in
                [
                    "width": chart.width, "height": chart.height,
                    "bars": chart.bars.map { bar in
                        [
                            "name": bar.name, "label_y": bar.labelY, "x": bar.x, "bar_y": bar.barY, "bar_width": bar.barWidth, "value_x": bar.valueX,
                            "value_y": bar.valueY, "cost": bar.cost,
                            "mix": bar.mix.map { ["class": $0.cssClass, "x": $0.x, "y": $0.y, "width": $0.width, "title": $0.title] },
                        ] as [String: Any]
                    },
                ] as [String: Any]
            } ?? false
        context["facts"] = facts.map { ["term": $0.term, "value": $0.value] }
        return context
    }

    func write(_ html: inout HTMLWriter) {
        frame.writeTop(&html)
        if !gates.isEmpty {
            html.markup("<section class=\"card gates\">\n<h2>Gates</h2>\n<ul class=\"gates\">\n")
            for gate in gates {
                let word = gate.failed ? "failed" : "passed"
                html.markup("<li class=\"\(word)\"><span class=\"badge \(gate.failed ? "failed" : "done")\">\(word)</span> <code>", text: gate.gate.description, "</code> ")
                html.text(gate.message)
                html.markup("</li>\n")
            }
            html.markup("</ul>\n</section>\n")
        }
        html.markup("<section class=\"card\">\n<h2>Phases</h2>\n")
        html.component(strip)
        html.markup("</section>\n")
        if let search {
            html.markup(
                "<section class=\"card search\" id=\"search\" hidden>\n<h2><label for=\"search-input\">Search</label></h2>\n"
                    + "<input type=\"search\" id=\"search-input\" placeholder=\"words from any turn of this report\" autocomplete=\"off\" spellcheck=\"false\">\n"
                    + "<p class=\"note\" id=\"search-status\" aria-live=\"polite\"></p>\n<ol class=\"search-results\" id=\"search-results\"></ol>\n")
            if let note = search.note {
                html.markup("<p class=\"note\">", text: note, "</p>\n")
            }
            html.markup("</section>\n")
        }
        if !decisions.isEmpty { writeDecisions(&html) }
        if let baseline {
            html.markup("<section class=\"card diff\">\n<h2>Compared with the baseline</h2>\n<p class=\"note\">before: ", text: baseline.before, " · after: this run</p>\n<div class=\"table-wrap\">\n")
            html.markup(baseline.html)
            html.markup("\n</div>\n</section>\n")
        }
        html.markup("<section class=\"card\">\n<h2>Cost per phase</h2>\n")
        html.component(cost)
        html.markup("</section>\n")
        if let chart { write(chart, &html) }
        html.markup("<section class=\"card\">\n<h2>Run</h2>\n<dl class=\"facts\">\n")
        for fact in facts {
            html.markup("<dt>", text: fact.term, "</dt><dd>")
            html.text(fact.value)
            html.markup("</dd>\n")
        }
        html.markup("</dl>\n</section>\n<section class=\"card\">\n<h2>Pages</h2>\n<ul class=\"phases-list\">\n")
        for item in strip.items {
            html.markup("<li><a href=\"", text: item.href, "\">\(item.number). ")
            html.text(item.name)
            html.markup("</a> <span class=\"badge ", text: item.outcome, "\">")
            html.text(item.outcomeLabel)
            html.markup("</span> <span class=\"why\">", text: item.reason, "</span> · <a href=\"")
            html.text(item.markdownHref)
            html.markup("\">Markdown</a></li>\n")
        }
        html.markup(
            "<li><a href=\"report.md\">report.md</a> · <a href=\"summary.json\">summary.json</a> · <a href=\"junit.xml\">junit.xml</a> · <a href=\"job-summary.md\">job-summary.md</a></li>\n</ul>\n</section>\n"
        )
        frame.writeBottom(&html) { html in
            guard let search else { return }
            html.piece(search.dataHTML)
            html.markup("\n<script>")
            html.markup(search.script)
            html.markup("</script>\n")
        }
    }

    private func writeDecisions(_ html: inout HTMLWriter) {
        html.markup("<section class=\"card\">\n<h2>Decisions</h2>\n")
        for phase in decisions {
            html.markup("<h3><a href=\"", text: phase.href, "\">\(phase.number). ")
            html.text(phase.name)
            html.markup("</a></h3>\n<dl class=\"decisions\">\n")
            for item in phase.items {
                html.markup("<dt>", text: item.question, "</dt>\n")
                if let brief = item.brief {
                    html.markup("<dd class=\"brief\">")
                    if let recommendation = brief.recommendation {
                        html.markup("Recommendation: ")
                        html.text(recommendation)
                    }
                    if let options = brief.options {
                        html.markup("<br>Options: ")
                        html.text(options)
                    }
                    html.markup("</dd>\n")
                }
                html.markup("<dd><span class=\"how\">", text: item.label, "</span> ")
                html.text(item.answer)
                html.markup(" <a class=\"turn\" href=\"", text: item.href, "\">turn</a></dd>\n")
            }
            html.markup("</dl>\n")
        }
        if let more = decisionsMore {
            html.markup("<p class=\"note\">", text: more, "</p>\n")
        }
        html.markup("</section>\n")
    }

    private func write(_ chart: Chart, _ html: inout HTMLWriter) {
        html.markup("<section class=\"card\">\n<h2>Estimated cost per phase</h2>\n<div class=\"chart-wrap\">\n<svg class=\"chart\" viewBox=\"0 0 ", text: chart.width, " ")
        html.text(chart.height)
        html.markup("\" role=\"img\" aria-label=\"Estimated cost per phase, with the mix of tokens\">\n")
        for bar in chart.bars {
            html.markup(
                "<text class=\"label\" x=\"0\" y=\"\(bar.labelY)\">", text: bar.name,
                "</text>\n<rect class=\"bar\" x=\"\(bar.x)\" y=\"\(bar.barY)\" width=\"\(bar.barWidth)\" height=\"14\" rx=\"2\"/>\n")
            html.markup("<text class=\"value\" x=\"\(bar.valueX)\" y=\"\(bar.valueY)\">", text: bar.cost, "</text>\n")
            for mix in bar.mix {
                html.markup("<rect class=\"\(mix.cssClass)\" x=\"\(mix.x)\" y=\"\(mix.y)\" width=\"\(mix.width)\" height=\"5\"><title>", text: mix.title, "</title></rect>")
            }
            html.markup("\n")
        }
        html.markup(
            "</svg>\n</div>\n<div class=\"legend\"><span class=\"l-in\">input</span><span class=\"l-out\">output</span><span class=\"l-cw\">cache write</span><span class=\"l-cr\">cache read</span><span>thin bars: share of each phase's tokens</span></div>\n</section>\n"
        )
    }
}
