import Foundation
import Mustache
import Testing

@testable import PlanScribe

struct MessageHTMLTests {
    /// Every page (phases and index) of every fixture, at every detail level, is the same
    /// whether the built-in message, cost table and phase strip partials and the artifacts
    /// section run through Mustache or are written natively.
    @Test(arguments: [ReportDetail.full, .conversation, .decisions])
    func nativeMessagesGiveTheTemplatesBytes(detail: ReportDetail) throws {
        let fixtures = [
            ["hostile"], ["planning-run/projects"], ["cli-2.1.332"], ["claude-code-log-real"], ["broken"], ["conformance"],
            ["conformance-branches"], ["conformance-forks"], ["conformance-skills"], ["conformance-stops"],
        ]
        var pages = 0
        for paths in fixtures {
            var options = ReportOptions()
            options.detail = detail
            let native = try Render.files(paths.map(Fixture.path), title: "T", options: options)
            options.nativePartials = false
            let template = try Render.files(paths.map(Fixture.path), title: "T", options: options)
            #expect(native.keys.sorted() == template.keys.sorted())
            for (path, text) in template where path.hasSuffix(".html") {
                pages += 1
                #expect(native[path] == text, "\(paths[0]) \(path)")
            }
        }
        #expect(pages >= 15)
        #expect(try TemplateSet.load().rendersPhasePagesNatively)
    }
}

struct CostTableHTMLTests {
    /// The native cost table gives the template's bytes for every shape a table takes:
    /// links, reported figures that differ, coverage, unpriced models, and hostile names
    /// (markup, quotes, a quote with a combining mark).
    @Test func nativeCostTableGivesTheTemplatesBytes() throws {
        let templates = try TemplateSet.load()
        func row(_ name: String, href: String?, differs: Bool, reported: String, why: [String] = [], coverage: String? = nil) -> CostTableView.Row {
            CostTableView.Row(
                name: name, href: href, calls: "1,204", input: "12", output: "3,400", cacheWrite: "0", cacheRead: "98,765", estimated: "$1.25",
                reported: reported, differs: differs, why: why, coverage: coverage)
        }
        let hostile = "<script>alert('x')</script> & \"q\u{301}\" é"
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
        for table in tables {
            #expect(CostTableHTML.render(table) == templates.html.render(["cost": table.context], withTemplate: "cost-table"))
        }
        // A changed byte is seen.
        #expect(CostTableHTML.render(tables[1]) != templates.html.render(["cost": tables[0].context], withTemplate: "cost-table"))
    }
}

struct PhaseStripHTMLTests {
    /// The native strip gives the template's bytes: the current phase, every outcome, and
    /// hostile names.
    @Test func nativeStripGivesTheTemplatesBytes() throws {
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
        for strip in strips {
            #expect(PhaseStripHTML.render(strip) == templates.html.render(["strip": strip.context], withTemplate: "phase-strip"))
        }
        #expect(PhaseStripHTML.render(strips[1]) != templates.html.render(["strip": Array(strips[1].context.reversed())], withTemplate: "phase-strip"))
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
