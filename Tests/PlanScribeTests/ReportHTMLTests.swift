import Foundation
import Mustache
import Testing

@testable import PlanScribe

/// The HTML writer's components as a page shows them, byte for byte (golden files under
/// `Golden/html/`), for every shape they take: links, figures that differ, coverage, unpriced
/// models, the current phase, and hostile names (markup, quotes, a quote with a combining
/// mark).
struct HTMLComponentTests {
    static let hostile = "<script>alert('x')</script> & \"q\u{301}\" é"

    @Test func costTablesAreWrittenAsTheGoldenFilesSay() throws {
        let templates = try TemplateSet.load()
        func row(_ name: String, href: String?, differs: Bool, reported: String, why: [String] = [], coverage: String? = nil) -> CostTableView.Row {
            CostTableView.Row(
                name: name, href: href, calls: "1,204", input: "12", output: "3,400", cacheWrite: "0", cacheRead: "98,765", estimated: "$1.25",
                reported: reported, differs: differs, why: why, coverage: coverage)
        }
        let hostile = Self.hostile
        let tables = [
            CostTableView(firstHeader: "turn", rows: [], total: row("phase total", href: nil, differs: false, reported: "–"), unpriced: nil),
            CostTableView(
                firstHeader: "phase",
                rows: [row("1. a", href: "phases/01-a.html", differs: true, reported: "$1.30", why: ["compacted"]), row(hostile, href: "x\"y.html", differs: false, reported: "–")],
                total: row("total", href: nil, differs: true, reported: "$9.99", why: ["compacted", "cut short"], coverage: "(4 of 9 sessions)"), unpriced: "claude-x, <b>"),
            CostTableView(
                firstHeader: hostile, rows: [row(hostile, href: nil, differs: true, reported: hostile, why: [hostile])],
                total: row(hostile, href: nil, differs: false, reported: "–", coverage: hostile), unpriced: hostile),
        ]
        try Golden.check("html/cost-tables.html", tables.map { HTMLWriter.html(of: $0, templates) }.joined(separator: "<!-- next -->\n"))
        let scan = HTMLScan(HTMLWriter.html(of: tables[2], templates))
        #expect(scan.dangers() == [])
        #expect(scan.text.contains(hostile))
    }

    @Test func phaseStripsAreWrittenAsTheGoldenFilesSay() throws {
        let templates = try TemplateSet.load()
        let hostile = "<img src=x onerror=alert(1)> & \"q\u{301}\" 'é'"
        func item(_ number: Int, _ name: String, _ outcome: String, _ label: String, _ href: String, current: Bool) -> PhaseStripView.Item {
            PhaseStripView.Item(number: number, name: name, outcome: outcome, outcomeLabel: label, reason: "r", href: href, markdownHref: "x", current: current)
        }
        let strips = [
            PhaseStripView(items: []),
            PhaseStripView(items: [
                item(1, "/office-hours", "done", "done", "../phases/01-office-hours.html", current: true),
                item(2, hostile, "failed", hostile, "a\"b.html", current: false),
                item(12, "/plan-eng-review", "not-run", "not run", "c.html", current: false),
            ]),
        ]
        try Golden.check("html/phase-strips.html", strips.map { HTMLWriter.html(of: $0, templates) }.joined(separator: "<!-- next -->\n"))
        let scan = HTMLScan(HTMLWriter.html(of: strips[1], templates))
        #expect(scan.dangers() == [])
        #expect(scan.text.contains(hostile))
    }
}

/// A user's template replaces one page or component and reads the same model planscribe
/// writes from; everything it does not replace is written as without it.
struct TemplateOverrideTests {
    @Test func aComponentTemplateReplacesJustThatComponent() throws {
        let scratch = ScratchFolder()
        _ = scratch.write(
            "t/message.mustache", lines: [#"<div class="mine {{role}}"{{#anchor}} id="{{anchor}}"{{/anchor}}>{{label}}: {{#blocks}}{{#is_tool}}[{{tool_name}}]{{/is_tool}}{{/blocks}}</div>"#])
        _ = scratch.write("t/cost-table.mustache", lines: ["<p class=\"mine-cost\">{{cost.first_header}}: {{cost.total.name}} {{cost.total.estimated}} ({{#cost.rows}}{{name}};{{/cost.rows}})</p>"])
        _ = scratch.write("t/head.mustache", lines: ["<head><title>mine: {{page_title}}</title><style>{{{css}}}</style></head>"])
        let templates = try TemplateSet.load(overrides: scratch.path + "/t")
        #expect(templates.sources["message"] == scratch.path + "/t/message.mustache")
        #expect(templates.sources["phase.html"] == nil)
        let plain = try Render.files([Fixture.planningProject])
        let mine = try Render.files([Fixture.planningProject], templates: templates)
        let page = try #require(mine["phases/01-office-hours.html"])
        let scan = HTMLScan(page)
        // The user's message template: one element per bubble, with the bubble's fields.
        let bubbles = scan.tags.filter { $0.name == "div" && ($0.attributes.first { $0.name == "class" }?.value.hasPrefix("mine ") ?? false) }
        let builtInBubbles = HTMLScan(plain["phases/01-office-hours.html"]!).tags.filter {
            $0.name == "div" && ($0.attributes.first { $0.name == "class" }?.value.hasPrefix("msg ") ?? false)
        }
        #expect(bubbles.count == builtInBubbles.count)
        #expect(bubbles.count > 3)
        #expect(page.contains(#"<div class="mine user" id="turn-1">"#))
        #expect(page.contains("[Write]"))
        #expect(!page.contains(#"<div class="msg "#))
        // The user's cost table, with the phase's rows; the user's head.
        #expect(page.contains(#"<p class="mine-cost">turn: phase total $"#))
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>mine: 1. /office-hours — todo-app</title>"))
        // The rest of the page is planscribe's: the strip and the header are as without templates.
        let strip = try #require(plain["phases/01-office-hours.html"]!.range(of: #"<ol class="strip">[\s\S]*?</ol>\n"#, options: .regularExpression))
        #expect(page.contains(String(plain["phases/01-office-hours.html"]![strip])))
        // Markdown and the run's files do not change.
        for name in ["report.md", "summary.json", "junit.xml", "phases/01-office-hours.md"] { #expect(mine[name] == plain[name], "\(name)") }
    }

    /// A page template gets its components as planscribe writes them (`head_html`,
    /// `strip_html`, `cost_table_html`, each message's `rendered`) when it does not replace
    /// them, and `{{> name}}` includes them.
    @Test func aPageTemplateIncludesTheComponentsItLeaves() throws {
        let scratch = ScratchFolder()
        _ = scratch.write(
            "t/phase.html.mustache",
            lines: [
                "{{> head}}", "<h1>{{phase.number}} {{phase.name}} ({{phase.outcome_label}}) {{title}}</h1>", "{{> phase-strip}}",
                "<main>{{#messages}}{{> message}}{{/messages}}</main>", "{{> cost-table}}", "{{#prev}}prev {{href}}{{/prev}} {{#next}}next {{href}}{{/next}}",
                "<footer>{{footer}}</footer>",
            ])
        let plain = try Render.files([Fixture.planningProject])
        let mine = try Render.files([Fixture.planningProject], templates: try TemplateSet.load(overrides: scratch.path + "/t"))
        let builtIn = plain["phases/02-plan-ceo-review.html"]!
        let page = try #require(mine["phases/02-plan-ceo-review.html"])
        func slice(_ pattern: String) throws -> String { String(builtIn[try #require(builtIn.range(of: pattern, options: .regularExpression))]) }
        #expect(page.hasPrefix(try slice(#"<head>[\s\S]*?</head>\n"#)))
        #expect(page.contains("<h1>2 /plan-ceo-review (done) todo-app</h1>\n"))
        #expect(page.contains(try slice(#"<ol class="strip">[\s\S]*?</ol>\n"#)))
        #expect(page.contains("<main>" + (try slice(#"(?<=<div class="conversation">\n)[\s\S]*?(?=\n</div>\n<div class="pager|\n</div>\n\n</section>)"#)) + "</main>"))
        #expect(page.contains(try slice(#"<div class="table-wrap">[\s\S]*?</p>\n"#)))
        #expect(page.contains("prev 01-office-hours.html next 03-plan-eng-review.html"))
        #expect(page.contains("<footer>planscribe "))
        // The index is still planscribe's own.
        #expect(mine["index.html"] == plain["index.html"])
    }
}

struct MarkdownTableCellTests {
    @Test func cellsStayOnOneLineWithPipesAndMarkupEscaped() {
        #expect(MarkdownTable.escape("1. prompt: plan the todo app") == "1. prompt: plan the todo app")
        #expect(MarkdownTable.escape("a|b <i> & c") == "a\\|b &lt;i&gt; &amp; c")
        #expect(MarkdownTable.escape("two\nlines\r\n") == "two lines")
        #expect(MarkdownTable.escape("tab\there") == "tab\there")
        #expect(MarkdownTable.escape(String(repeating: "a", count: 200)) == String(repeating: "a", count: 200))
        #expect(MarkdownTable.escape(String(repeating: "a", count: 201)) == String(repeating: "a", count: 199) + "…")
        #expect(MarkdownTable.escape("é|") == "é\\|")
    }
}

struct ConversationPlaceholderTests {
    /// Text that looks like the placeholder a conversation is spliced in at stays text: the
    /// placeholder is made anew by each process.
    @Test func transcriptTextCannotMoveTheConversation() throws {
        let scratch = ScratchFolder()
        let lookalike = "\u{1}planscribe-conversation\u{1}"
        let file = scratch.write(
            "p/s.jsonl",
            lines: [
                Line.user("u1", parent: nil, "/office-hours " + lookalike),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: Line.text("Answer " + lookalike + "\nPHASE_STATUS: ready_to_advance")),
            ])
        let files = try Render.files([file])
        let page = try #require(files["phases/01-office-hours.html"])
        let markdown = try #require(files["phases/01-office-hours.md"])
        #expect(!ReportBuilder.placeholder.isEmpty && ReportBuilder.placeholder != lookalike)
        for text in [page, markdown, files["report.md"] ?? ""] {
            #expect(!text.contains(ReportBuilder.placeholder))
            #expect(text.contains("Answer " + lookalike))
        }
        #expect(page.components(separatedBy: "<div class=\"msg ").count == 3)
    }
}

struct RepeatedCallsTests {
    static func call(_ command: String, result: String = "ok", time: String = "10:00:00") -> MessageBubble {
        MessageBubble(
            role: "assistant", label: "assistant", time: time, cost: "$0.01",
            blocks: [.tool(MessageBubble.ToolCall(name: "Bash", summary: command, inputHTML: command, result: (result, nil, false), subagent: nil))])
    }

    /// Identical calls in a row (with the CLI's context between them) become one bubble with
    /// their count and times; another input, another result or a turn's marker ends the run.
    @Test func runsOfTheSameCallBecomeOneBubble() throws {
        let reminder = MessageBubble(isMeta: true, role: "meta", label: "context added by the CLI: reminder")
        var marked = Self.call("true", time: "10:00:09")
        marked.marker = ("ready to advance", "ready")
        let bubbles = [
            Self.call("true", time: "10:00:01"), reminder, Self.call("true", time: "10:00:02"), reminder, Self.call("true", time: "10:00:03"),
            Self.call("true", result: "other"), Self.call("ls"), Self.call("ls"), marked,
        ]
        let (out, longest) = RepeatedCalls.collapsed(bubbles)
        #expect(
            out.map(\.label) == [
                "assistant · the same call ×3 in a row", "context added by the CLI: reminder", "assistant", "assistant · the same call ×2 in a row", "assistant",
            ])
        #expect(out[0].time == "10:00:01 – 10:00:03")
        #expect(out[0].cost == nil)
        #expect(longest?.tool == "Bash")
        #expect(longest?.count == 3)
    }
}
