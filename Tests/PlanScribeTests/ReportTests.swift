import CMarkGFM
import Foundation
import Testing

@testable import PlanScribe

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Renders a fixture run with the built-in templates.
enum Render {
    static func files(_ paths: [String], title: String? = nil, options: ReportOptions = ReportOptions(), templates: TemplateSet? = nil) throws -> [String: String] {
        let run = ReportRun.from(sessions: try Fixture.sessions(paths), title: title)
        let builder = ReportBuilder(templates: try templates ?? TemplateSet.load(), options: options)
        var out: [String: String] = [:]
        for file in builder.files(for: run) { out[file.path] = String(decoding: file.contents, as: UTF8.self) }
        return out
    }
}

struct HostileContentTests {
    static let payloads: [String] = {
        let text = try! String(contentsOfFile: Fixture.path("hostile/payloads.txt"), encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }()

    static let title = #"T"'<script>alert('t')</script>"#

    @Test(arguments: [ReportDetail.full, .conversation, .decisions])
    func nothingInATranscriptCanRunInTheHTML(detail: ReportDetail) throws {
        var options = ReportOptions()
        options.detail = detail
        let files = try Render.files([Fixture.path("hostile")], title: Self.title, options: options)
        let pages = files.filter { $0.key.hasSuffix(".html") }
        #expect(pages.count == 2)
        for (path, html) in pages {
            let scan = HTMLScan(html)
            // The index page holds one script, planscribe's search, allowed by its hash alone;
            // phase pages hold none. Transcript text is in its data as escaped text only.
            let isIndex = path == "index.html"
            #expect(scan.dangers(allowedScript: isIndex ? Fixture.searchScript : nil) == [], "\(path)")
            #expect(scan.scripts == (isIndex ? [Fixture.searchScript] : []), "\(path)")
            let csp = try #require(scan.tags.first { $0.name == "meta" && $0.attributes.contains { $0.value == "Content-Security-Policy" } }?.attributes.first { $0.name == "content" }?.value)
            let scriptSources = csp.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("script-src") }
            #expect(scriptSources == (isIndex ? ["script-src '\(SHA256.cspSource(of: Fixture.searchScript))'"] : []), "\(path)")
            #expect(csp.hasPrefix("default-src 'none';"))
            // Exactly one <style>, ours, in the head; the only svg is the chart.
            #expect(scan.tags.filter { $0.name == "style" }.count == 1, "\(path)")
            #expect(scan.tags.filter { $0.name == "svg" }.allSatisfy { $0.attributes.contains { $0.name == "class" && $0.value == "chart" } }, "\(path)")
            #expect(scan.tags.filter { $0.name == "img" }.isEmpty, "\(path)")
            #expect(!html.contains("PHASE_STATUS: ready_to_advance\n"), "\(path)")
        }
        // The hostile text is still there for the reader, as text, and for the search.
        let index = HTMLScan(files["index.html"]!)
        #expect(index.text.contains(Self.title))
        let page = files["index.html"]!
        let open = try #require(page.firstRange(of: "<template id=\"search-data\">"))
        let close = try #require(page[open.upperBound...].firstRange(of: "</template>"))
        let data = HTMLScan(String(page[open.upperBound..<close.lowerBound]))
        #expect(!data.tags.isEmpty)
        #expect(data.tags.allSatisfy { ($0.name == "div" && $0.attributes.map(\.name) == ["data-phase"]) || ($0.name == "p" && $0.attributes.map(\.name) == ["data-turn", "data-href"]) })
        #expect(data.tags.filter { $0.name == "p" }.allSatisfy { $0.attributes[1].value.hasPrefix("phases/") })
        #expect(data.text.contains("<script>alert("))
        #expect(index.text.contains(#"/tmp/evil"'<script>alert(0)</script>"#))
        let phase = HTMLScan(files["phases/01-office-hours.html"]!)
        #expect(Self.payloads.count >= 50)
        // Payloads that are raw HTML are shown as text, character for character.
        for payload in Self.payloads where payload.hasPrefix("<") && !payload.contains("\\") && !payload.hasPrefix("<!--") {
            #expect(phase.text.contains(payload), "payload not shown: \(payload)")
        }
        if detail == .full {
            #expect(phase.text.contains(#"notes"<script>alert(13)</script>.md"#))
            #expect(phase.text.contains("Write<script>alert(11)</script>"))
            #expect(phase.text.contains(#"claude-x"'<script>alert(10)</script>"#))
        }
    }

    @Test func markdownOutputsHoldNoRawHTMLFromTheTranscript() throws {
        let files = try Render.files([Fixture.path("hostile")], title: Self.title)
        for (path, text) in files where path.hasSuffix(".md") {
            // Rendered as HTML by cmark without safe mode (as a careless viewer would), the
            // Markdown still yields nothing that runs.
            let html = MarkdownProbe.unsafeHTML(text)
            #expect(HTMLScan(html).dangers() == [], "\(path)")
        }
    }

    @Test func jsonAndXMLCarryHostileTextEscaped() throws {
        let files = try Render.files([Fixture.path("hostile")], title: Self.title)
        let summary = try JSONSerialization.jsonObject(with: Data(files["summary.json"]!.utf8)) as? [String: Any]
        #expect(summary?["title"] as? String == Self.title)
        let junit = files["junit.xml"]!
        #expect(!junit.contains("<script"))
        let parser = XMLParser(data: Data(junit.utf8))
        #expect(parser.parse(), "junit.xml is well-formed XML")
    }
}

/// Markdown rendered to HTML by cmark-gfm with raw HTML allowed (`CMARK_OPT_UNSAFE`), the
/// way a careless viewer would: planscribe's Markdown must be safe even there.
enum MarkdownProbe {
    static func unsafeHTML(_ markdown: String) -> String {
        let options = CMARK_OPT_UNSAFE
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        // Under planscribe's parsing lock: cmark-gfm's extensions share state between parsers.
        let parsed = Markdown.whileParsing { () -> OpaquePointer? in
            for name in ["table", "strikethrough", "autolink", "tasklist"] {
                if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
            }
            let bytes = Array(markdown.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
            }
            return cmark_parser_finish(parser)
        }
        guard let document = parsed else { return "" }
        defer { cmark_node_free(document) }
        guard let html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }
}

struct ReportOutputTests {
    @Test func demoGoldenFiles() throws {
        let files = try Render.files([Fixture.planningProject], title: "todo-app (planscribe demo)")
        #expect(
            files.keys.sorted() == [
                "index.html", "job-summary.md", "junit.xml", "phases/01-office-hours.html", "phases/01-office-hours.md",
                "phases/02-plan-ceo-review.html", "phases/02-plan-ceo-review.md", "phases/03-plan-eng-review.html",
                "phases/03-plan-eng-review.md", "phases/04-plan-design-review.html", "phases/04-plan-design-review.md",
                "report.md", "summary.json",
            ])
        for (path, text) in files {
            try Golden.check("demo/" + path, text)
        }
    }

    @Test func renderingTwiceGivesIdenticalBytes() throws {
        let first = try Render.files([Fixture.planningProject])
        let second = try Render.files([Fixture.planningProject])
        #expect(first == second)
    }

    @Test func noMarkerLineSurvivesInAnyOutput() throws {
        for paths in [[Fixture.planningProject], [Fixture.path("hostile")], [Fixture.realProjects]] {
            let files = try Render.files(paths)
            for (path, text) in files where path.hasSuffix(".html") || path.hasSuffix(".md") {
                // A marker quoted inside code is content, not a marker: skip code.
                var inFence = false
                for line in text.split(separator: "\n") {
                    let bare = line.drop { $0 == ">" || $0 == " " }
                    if bare.hasPrefix("```") { inFence.toggle(); continue }
                    let quoted = line.hasPrefix(">") ? line.dropFirst(line.hasPrefix("> ") ? 2 : 1) : line
                    if inFence || quoted.hasPrefix("    ") || line.contains("<pre") { continue }
                    if PhaseMarker.markerStatus(HTMLScan.decode(String(line))) != nil {
                        Issue.record("\(path): a marker line survived: \(line)")
                    }
                }
            }
        }
    }

    /// Ordinary sessions (the public corpus: no phase command) are conversation, not failures;
    /// a real-CLI phase that looped into the turn limit twice fails and says so; a session
    /// killed mid-invocation outside any phase is conversation too.
    @Test func junitFailsOnlyPlanningPhasesThatDidNotReachReady() throws {
        let files = try Render.files([Fixture.realProjects])
        let junit = files["junit.xml"]!
        #expect(junit.contains(#"<testsuite name="planscribe.claude-code-log" tests="5" failures="0" errors="0" skipped="0""#))
        #expect(!junit.contains("<failure"))
        #expect(XMLParser(data: Data(junit.utf8)).parse())
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(files["summary.json"]!.utf8)) as? [String: Any])
        #expect((summary["phases"] as? [[String: Any]])?.map { $0["outcome"] as? String } == Array(repeating: "conversation", count: 5))
        #expect(summary["all_done"] as? Bool == false)
        let stops = try Render.files([Fixture.path("conformance-stops")])
        let loop = stops["junit.xml"]!
        #expect(loop.contains(#"tests="3" failures="2" errors="0" skipped="0""#))
        #expect(stops["report.md"]!.contains("| 1 | conversation | conversation | not a planning phase: no phase command started it (interrupted) |"))
        #expect(stops["report.md"]!.contains("| 3 | /office-hours | stalled | the final turn has no PHASE_STATUS marker (1 tool call denied permission) |"))
        #expect(loop.contains(#"<failure type="failed" message="failed: stopped at the CLI&apos;s turn limit (--max-turns) 2× without a PHASE_STATUS marker">"#))
        let page = HTMLScan(stops["phases/02-office-hours.html"]!).text
        #expect(page.contains("stopped at the CLI's turn limit (--max-turns) 2× without a PHASE_STATUS marker"))
        #expect(stops["report.md"]!.contains("| 2 | /office-hours | failed | stopped at the CLI's turn limit (--max-turns) 2× without a PHASE_STATUS marker |"))
        // The killed invocation's resumed session: the CLI's "No response requested." is its
        // own note, not an API error, and costs nothing.
        let killed = HTMLScan(stops["phases/01-conversation.html"]!).text
        #expect(killed.contains("the CLI, in the model's place"))
        #expect(!killed.contains("API error"))
        let demo = try Render.files([Fixture.planningProject])["junit.xml"]!
        #expect(demo.contains(#"tests="4" failures="0""#))
        #expect(!demo.contains("<failure"))
    }

    @Test func summaryJSONHasTheRunInNumbers() throws {
        let files = try Render.files([Fixture.planningProject])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(files["summary.json"]!.utf8)) as? [String: Any])
        #expect(summary["schema_version"] as? Int == 1)
        #expect(summary["all_done"] as? Bool == true)
        #expect(summary["estimated_cost_usd"] as? Double == 0.287458)
        #expect(summary["reported_cost_usd"] as? Double == 0.287458)
        let phases = try #require(summary["phases"] as? [[String: Any]])
        #expect(phases.map { $0["name"] as? String } == ["/office-hours", "/plan-ceo-review", "/plan-eng-review", "/plan-design-review"])
        #expect(phases.map { $0["outcome"] as? String } == ["done", "done", "done", "done"])
        #expect(phases.map { $0["estimated_cost_usd"] as? Double } == [0.08368, 0.152408, 0.031662, 0.019708])
        #expect(summary["generated_at"] is NSNull)
    }

    /// The real-CLI recordings of a killed invocation and of a compaction: each page, the index,
    /// report.md and summary.json say why estimate and reported figure differ, and nothing else.
    @Test func aCostDifferenceSaysWhatTheTranscriptShows() throws {
        let files = try Render.files([Fixture.path("conformance/-tmp-conf-cwd")])
        let cut = "an invocation was cut short or is still running: the CLI's figure leaves out its calls"
        let compacted = "compacted: the CLI also bills compaction calls, which write no transcript line"
        func note(_ page: String) -> String? {
            HTMLScan(files[page]!).text.components(separatedBy: "* estimated and reported differ by more than 1 %").dropFirst().first.map { String($0.prefix(200)) }
        }
        #expect(note("phases/15-conversation.html")?.hasPrefix(": \(cut).") == true)
        #expect(note("phases/16-conversation.html")?.hasPrefix(": \(compacted).") == true)
        #expect(note("phases/14-conversation.html") == nil)
        #expect(note("index.html")?.hasPrefix(": \(cut); \(compacted).") == true)
        #expect(files["report.md"]!.contains("\\* Estimated and reported differ by more than 1 %: \(cut); \(compacted).\n"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(files["summary.json"]!.utf8)) as? [String: Any])
        #expect(summary["cost_notes"] as? [String] == ["compacted", "cut_short"])
        #expect(summary["sessions_reported"] as? Int == 16)
    }

    @Test func detailLevelsShowLess() throws {
        func text(_ detail: ReportDetail) throws -> String {
            var options = ReportOptions()
            options.detail = detail
            return HTMLScan(try Render.files([Fixture.planningProject], options: options)["phases/01-office-hours.html"]!).text
        }
        let full = try text(.full)
        let conversation = try text(.conversation)
        let decisions = try text(.decisions)
        #expect(full.contains("The user wants a todo app. First I need to know who it is for."))  // thinking
        #expect(full.contains("File created successfully"))  // tool result
        #expect(!conversation.contains("The user wants a todo app"))
        #expect(!conversation.contains("File created successfully"))
        #expect(conversation.contains("Write office-hours.md"))
        #expect(conversation.contains("Who are the users"))
        // The question a reply answers stays with it; the work between (tool calls) does not.
        #expect(decisions.contains("Who are the users"))
        #expect(!decisions.contains("Write office-hours.md"))
        #expect(decisions.count < conversation.count)
        #expect(decisions.contains("Small teams of 3-10 people."))
        #expect(decisions.contains("That settles office hours."))
    }

    @Test func longToolOutputIsCutInHTMLButWholeInMarkdown() throws {
        let scratch = ScratchFolder()
        let output = (1...100).map { "line \($0)" }.joined(separator: "\n")
        let file = scratch.write(
            "p/s.jsonl",
            lines: [
                Line.user("u1", parent: nil, "/office-hours go"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: #"{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"seq 100"}}"#),
                Line.user("u2", parent: "a1", "x").replacingOccurrences(of: #""content":"x""#, with: #""content":[{"type":"tool_result","tool_use_id":"toolu_1","content":\#(Line.json(output))}]"#),
                Line.assistant("a2", parent: "u2", id: "msg_2", block: Line.text("Done.\nPHASE_STATUS: ready_to_advance")),
            ])
        let files = try Render.files([file])
        let html = HTMLScan(files["phases/01-office-hours.html"]!).text
        #expect(html.contains("line 40"))
        #expect(!html.contains("line 41"))
        #expect(html.contains("60 more lines: the whole output is in the phase's Markdown"))
        // The rest is a link away: the phase's Markdown, beside the page, holds it whole.
        let page = HTMLScan(files["phases/01-office-hours.html"]!)
        #expect(page.tags.contains { $0.name == "a" && $0.attributes.contains { $0.name == "href" && $0.value == "01-office-hours.md" } })
        #expect(files["phases/01-office-hours.md"]!.contains("line 99\nline 100\n```"))
    }

    @Test func aLongToolInputIsCutWithALinkToTheWholeOfIt() throws {
        let scratch = ScratchFolder()
        let content = (1...70).map { "row \($0)" }.joined(separator: "\n")
        let file = scratch.write(
            "p/s.jsonl",
            lines: [
                Line.user("u1", parent: nil, "/office-hours go"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: #"{"type":"tool_use","id":"toolu_1","name":"Write","input":{"file_path":"t.md","content":\#(Line.json(content))}}"#),
                Line.assistant("a2", parent: "a1", id: "msg_2", block: Line.text("Done.\nPHASE_STATUS: ready_to_advance")),
            ])
        let files = try Render.files([file])
        let page = files["phases/01-office-hours.html"]!
        // "write t.md", a blank line, then the rows: 38 rows fit in 40 lines.
        #expect(page.contains("row 38\n<a class=\"more\" href=\"01-office-hours.md\">… 32 more lines</a>: the whole input is in the phase&#39;s Markdown</pre>"), "\(page)")
        #expect(files["phases/01-office-hours.md"]!.contains("row 69\nrow 70\n```"))
    }

    @Test func theJobSummaryStaysUnderOneMebibyte() throws {
        let scratch = ScratchFolder()
        let huge = String(repeating: "A long answer that goes on and on. ", count: 40_000)  // 1.4 MB
        let file = scratch.write(
            "p/s.jsonl",
            lines: [
                Line.user("u1", parent: nil, "/office-hours go"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: Line.text(huge + "\nPHASE_STATUS: ready_to_advance")),
            ])
        let files = try Render.files([file])
        let summary = files["job-summary.md"]!
        #expect(summary.utf8.count < ReportBuilder.jobSummaryLimit)
        #expect(summary.contains("This summary was shortened to stay under 1 MiB"))
        // report.md is a summary too: the phase's final message cut, the whole in its Markdown.
        #expect(files["report.md"]!.utf8.count < 10_000)
        #expect(files["report.md"]!.contains("*… shortened: the whole of it is in phases/01-office-hours.md*"))
        #expect(files["report.md"]!.contains("The conversation: [phases/01-office-hours.md](phases/01-office-hours.md) · [phases/01-office-hours.html](phases/01-office-hours.html)"))
        #expect(files["phases/01-office-hours.md"]!.utf8.count > 1_400_000)
    }

    /// A skill and a custom command run as phases with the real CLI (`Fixtures/
    /// conformance-skills`): each is a phase whose prompt reads as typed, the skill's body is
    /// context the CLI added (behind the toggle), and the AskUserQuestion call the CLI refused
    /// is shown as the question it asked, not as an error.
    @Test func skillsAndCommandsArePhasesAndARefusedQuestionIsAQuestion() throws {
        let files = try Render.files([Fixture.path("conformance-skills")])
        #expect(
            files.keys.filter { $0.hasSuffix(".html") }.sorted() == [
                "index.html", "phases/01-office-hours.html", "phases/02-plan-ceo-review.html", "phases/03-plan-ceo-review.html",
            ])
        let office = HTMLScan(files["phases/01-office-hours.html"]!)
        #expect(office.text.contains("phase prompt 18:") || office.text.contains("phase prompt"))
        #expect(office.text.contains("/office-hours A todo app"))
        #expect(!office.text.contains("<command-message>"))
        let skillBody = "Ask the user about their users and the scope, one question at a time."
        #expect(files["phases/01-office-hours.html"]!.contains("<div class=\"msg meta\">"))
        #expect(office.text.contains(skillBody))
        let review = files["phases/02-plan-ceo-review.html"]!
        let scan = HTMLScan(review)
        #expect(!review.contains("(error)"))
        #expect(!scan.text.contains("tool_use_error"))
        #expect(
            review.contains(
                "<div class=\"question\"><p class=\"q-head\">Question · Pricing</p><p>Do you accept a flat price of $4 per team per month?</p><ul><li><b>Flat per team</b> — $4 per team per month</li><li><b>Per seat</b> — $1 per user per month</li></ul><p class=\"note\">Not asked: the CLI refuses AskUserQuestion in non-interactive (-p) mode, so the agent went on without an answer.</p></div>"
            ))
        #expect(
            files["phases/02-plan-ceo-review.md"]!.contains(
                "- **Question · Pricing**: Do you accept a flat price of $4 per team per month?\n  - Flat per team — $4 per team per month\n  - Per seat — $1 per user per month\n\nNot asked: the CLI refuses AskUserQuestion in non-interactive (-p) mode, so the agent went on without an answer.\n"
            ))
        #expect(HTMLScan(files["phases/03-plan-ceo-review.html"]!).text.contains("/plan-ceo-review"))
    }

    /// A prompt edited and re-sent with the real CLI (`Fixtures/conformance-branches`): the two
    /// exchanges it abandoned are folded where they left, after the first answer, with their
    /// count and cost, in HTML and Markdown; their calls are in that turn's row.
    @Test func anAbandonedBranchIsShownWhereItLeft() throws {
        let files = try Render.files([Fixture.path("conformance-branches")])
        let page = files["phases/01-office-hours.html"]!
        let label = "abandoned branch: 4 messages, $0.004740"
        let open = "<details class=\"branch\"><summary>\(label)</summary><div class=\"inner\">"
        #expect(page.components(separatedBy: "<details class=\"branch\">").count == 2)
        let start = try #require(page.range(of: open))
        let end = try #require(page.range(of: "</div></details>\n<div class=\"msg user\" id=\"turn-2\">", range: start.upperBound..<page.endIndex))
        let branch = String(page[start.upperBound..<end.lowerBound])
        #expect(branch.components(separatedBy: "<div class=\"msg ").count - 1 == 6)  // 2 prompts, 2 answers, 2 CLI notes
        #expect(branch.contains("second prompt, to be abandoned") && branch.contains("third prompt, to be abandoned"))
        // It follows the first answer and comes before the edited prompt.
        let text = HTMLScan(page).text
        let first = try #require(text.range(of: "/office-hours plan a todo app"))
        let folded = try #require(text.range(of: label))
        let edited = try #require(text.range(of: "the edited second prompt"))
        #expect(first.upperBound < folded.lowerBound && folded.upperBound < edited.lowerBound)
        // Its two calls are counted in the first turn, where it is shown.
        #expect(page.contains("<tr><td>1. phase prompt: /office-hours plan a todo app</td><td>3</td><td>3,000</td><td>111</td><td>0</td><td>0</td><td>$0.007110</td>"))
        let markdown = files["phases/01-office-hours.md"]!
        #expect(markdown.contains("*\(label):*\n"))
        #expect(markdown.contains("> > second prompt, to be abandoned"))
    }

    /// What the runner sent is named for what it is: a canned reply, the plan's default reply,
    /// the nudge after a turn without a marker, the retry after the turn limit.
    @Test func theRunnersMessagesAreLabelledAsWhatTheyAre() throws {
        let scratch = ScratchFolder()
        let sent = ["Fifty dollars.", "Go with your recommendation.", PlanRunner.nudge, PlanRunner.retryMessage]
        var lines = [Line.user("u0", parent: nil, "/office-hours plan")]
        for (i, text) in sent.enumerated() {
            lines.append(Line.assistant("a\(i)", parent: "u\(i)", id: "msg_\(i)", block: Line.text("Q?\nPHASE_STATUS: needs_input")))
            lines.append(Line.user("u\(i + 1)", parent: "a\(i)", ClaudeCommand.wrap(text)))
        }
        let file = scratch.write("p/s.jsonl", lines: lines)
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        let prompts = session.messages.filter(\.isPrompt).dropFirst()
        let labels = prompts.map { ConversationView.promptLabel($0, first: false, replies: ["Go with your recommendation.": "default reply"]).0 }
        #expect(labels == ["canned reply", "default reply", "nudge: no PHASE_STATUS marker", "retry after the turn limit"])
        #expect(prompts.map { ConversationView.promptLabel($0, first: false).1 } == sent)
    }

    @Test func aSessionWithoutPhasesIsOneConversationPhase() throws {
        let files = try Render.files([Fixture.realProjects + "/-src-experiments-claude_p/94604a7b-062f-4369-bdf0-da948381c3e5.jsonl"])
        #expect(files.keys.contains("phases/01-conversation.html"))
        #expect(HTMLScan(files["index.html"]!).text.contains("1. conversation"))
    }
}

struct TemplateTests {
    @Test func anOverrideReplacesOneTemplateByName() throws {
        let scratch = ScratchFolder()
        _ = scratch.write("report.md.mustache", lines: ["{{% CONTENT_TYPE: TEXT}}", "custom report for {{title}}"])
        let templates = try TemplateSet.load(overrides: scratch.path)
        #expect(templates.sources["report.md"] == scratch.path + "/report.md.mustache")
        // HTML pages are planscribe's own unless a template replaces them.
        #expect(templates.sources["index.html"] == nil)
        let run = ReportRun.from(sessions: try Fixture.sessions([Fixture.planningProject]))
        let files = ReportBuilder(templates: templates).files(for: run)
        #expect(String(decoding: files.first { $0.path == "report.md" }!.contents, as: UTF8.self) == "custom report for todo-app\n")
    }

    /// Every byte of a page is escaped by one escaper: a user's template escapes as
    /// planscribe's writer does, also a quote or `<` followed by a combining mark, which
    /// Mustache's Character-wise escaping would pass.
    @Test func templatesAndTheWriterEscapeAlike() throws {
        let templates = try TemplateSet.load()
        let view = PhaseStripView(items: [
            PhaseStripView.Item(number: 1, name: "a\"\u{301}b<\u{301}c&'", outcome: "done", outcomeLabel: "done", reason: "", href: "phases/01.html", markdownHref: "", current: true)
        ])
        #expect(HTMLWriter.html(of: view, templates).contains("a&quot;\u{301}b&lt;\u{301}c&amp;&#39;"))
        // An overriding template escapes the same way, wherever its error would be reported.
        let scratch = ScratchFolder()
        _ = scratch.write("phase-strip.mustache", lines: ["{{#strip}}<b title=\"{{name}}\">{{name}}</b>{{/strip}}"])
        let override = HTMLWriter.html(of: view, try TemplateSet.load(overrides: scratch.path))
        #expect(override == "<b title=\"a&quot;\u{301}b&lt;\u{301}c&amp;&#39;\">a&quot;\u{301}b&lt;\u{301}c&amp;&#39;</b>\n")
        _ = scratch.write("phase-strip.mustache", lines: ["{{#strip}}oops{{/other}}"])
        #expect(throws: TemplateError.invalid(path: scratch.path + "/phase-strip.mustache", line: 1, column: 18, reason: "sectionCloseNameIncorrect")) {
            try TemplateSet.load(overrides: scratch.path)
        }
    }

    @Test func aBrokenTemplateIsAnErrorNamingTheFileAndPlace() throws {
        let scratch = ScratchFolder()
        _ = scratch.write("html/phase.html.mustache", lines: ["<p>", "{{#messages}}oops{{/other}}"])
        #expect(throws: TemplateError.invalid(path: scratch.path + "/html/phase.html.mustache", line: 2, column: 21, reason: "sectionCloseNameIncorrect")) {
            try TemplateSet.load(overrides: scratch.path)
        }
    }
}

/// Golden files under `Golden/`, re-recorded with `PLANSCRIBE_RECORD_GOLDEN=1`.
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ name: String, _ actual: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["PLANSCRIBE_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: file)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "golden file \(name) differs (PLANSCRIBE_RECORD_GOLDEN=1 re-records)", sourceLocation: sourceLocation)
    }
}

struct ArtifactTests {
    @Test func writtenFilesAndArtifactFolderFilesAreShownWithTheirPhase() throws {
        var options = ReportOptions()
        options.externalArtifacts = [
            ExternalArtifact(name: "me-main-ceo-review-plan.md", text: "# CEO plan\n\nFlat pricing."),
            ExternalArtifact(name: "notes/misc.md", text: "Loose notes <script>x</script>"),
        ]
        let files = try Render.files([Fixture.planningProject], options: options)
        let office = HTMLScan(files["phases/01-office-hours.html"]!)
        #expect(office.text.contains("office-hours.md written by the Write tool"))
        #expect(office.text.contains("Users: small teams of 3-10 people"))
        let ceo = HTMLScan(files["phases/02-plan-ceo-review.html"]!)
        #expect(ceo.text.contains("me-main-ceo-review-plan.md from the artifacts folder"))
        #expect(ceo.text.contains("Flat pricing."))
        let design = HTMLScan(files["phases/04-plan-design-review.html"]!)
        #expect(design.text.contains("notes/misc.md from the artifacts folder"))
        #expect(design.dangers() == [])
        #expect(files["phases/02-plan-ceo-review.md"]!.contains("### me-main-ceo-review-plan.md"))
    }

    @Test func anArtifactFolderIsReadRecursivelyForMarkdownOnly() throws {
        let scratch = ScratchFolder()
        _ = scratch.write("a/x-office-hours.md", lines: ["# hi"])
        _ = scratch.write("b.txt", lines: ["no"])
        _ = scratch.write("c.md", bytes: [0xFF, 0xFE])
        #expect(try ExternalArtifact.load(folder: scratch.path) == [ExternalArtifact(name: "a/x-office-hours.md", text: "# hi\n")])
        #expect(throws: TranscriptError.notFound(path: scratch.path + "/none")) { try ExternalArtifact.load(folder: scratch.path + "/none") }
    }
}

struct ReportWriterTests {
    @Test func filesLandWholeAndStalePhasePagesGo() throws {
        let scratch = ScratchFolder()
        let out = scratch.path + "/out"
        try ReportWriter.write([RenderedFile(path: "phases/01-a.html", text: "old"), RenderedFile(path: "phases/02-b.html", text: "old")], to: out)
        try ReportWriter.write([RenderedFile(path: "index.html", text: "new"), RenderedFile(path: "phases/01-a.html", text: "new")], to: out)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/phases").sorted() == ["01-a.html"])
        #expect(try String(contentsOfFile: out + "/phases/01-a.html", encoding: .utf8) == "new")
    }

    @Test(arguments: ["../x.html", "/etc/x", "a/../../x", "", ".hidden", "a//b", "a\0b"])
    func pathsOutsideTheFolderAreRefused(_ path: String) {
        let scratch = ScratchFolder()
        #expect(throws: ReportWriteError.unsafePath(path)) {
            try ReportWriter.write([RenderedFile(path: path, text: "x")], to: scratch.path)
        }
    }
}

struct SecretRedactionTests {
    /// Found by the marker fuzzer: the byte scan skipped only spaces and quotes between a
    /// keyword and its `=`, so `token<TAB>=…` kept its secret; the expression's `\s` is wider.
    @Test(arguments: ["&.)\teCre token\t=pH=b'on", "password\n= hunter22", "secret\u{A0}: abcdefgh", "Authorization: Bearer\nabcdefghijklmnop1234", "pwd\r\n:\"xyz12\""])
    func whiteSpaceOfEveryKindBeforeTheValue(_ text: String) {
        #expect(Redactor.expressionFindsSecret(text))
        #expect(Redactor.mayContainSecret(text))
        #expect(Redactor.redact(text).contains(Redactor.mask))
    }

    /// The vector scan finds a secret's start in every lane of a 16-byte block, across a
    /// block's edge and in the tail, in either case; ordinary prose full of "token",
    /// "session" and "password" passes.
    @Test func theScanFindsSecretsAtEveryOffset() {
        let shapes = [
            "sk-ant-api03-AbCdEfGh", "sk-proj-AbCdEfGhIjKlMnOpQrSt", "AKIAIOSFODNN7EXAMPLE", "ASIAIOSFODNN7EXAMPLE", "AIzaSyAbCdEfGhIjKlMnOpQrStUvWxYz0123456",
            "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "github_pat_AbCdEfGhIjKlMnOpQrStUvWxYz0123456", "xoxb-1234567890-abcdefghijkl",
            "Bearer abcdefghijklmnop1234", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "password=hunter22",
            "PASSWD: 'hunter22'", "pwd = hunter22", "Secret: abcdefgh", "TOKEN=abcdef12", "api_key=abcd1234", "aws_secret_access_key = AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd",
            "access_token: abcd1234", "auth-token = abcd1234",
        ]
        for shape in shapes {
            #expect(Redactor.expressionFindsSecret(shape), "\(shape)")
            for offset in 0..<40 {
                let text = String(repeating: "x", count: offset) + " " + shape + String(repeating: " y", count: offset % 7)
                #expect(Redactor.mayContainSecret(text), "\(shape) at \(offset)")
            }
        }
        let prose = String(repeating: "the session token for the package api passes a secret review, tasks, pwd ", count: 200)
        #expect(!Redactor.mayContainSecret(prose))
        #expect(!Redactor.expressionFindsSecret(prose))
    }

    static let secrets = [
        "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefGHIJ",
        "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab",
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        "xoxb-1234567890-abcdefghijkl",
        "AIzaSyAbCdEfGhIjKlMnOpQrStUvWxYz0123456",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0",
        "MIIEowIBAAKCAQEA1234567890abcdef",
        "hunter2hunter2",
    ]

    static func writeSession(_ scratch: borrowing ScratchFolder) -> String {
        let s = secrets
        let text =
            "Keys: \(s[0]) and \(s[1]); aws \(s[2]); gh \(s[3]); slack \(s[4]); google \(s[5]).\nAuthorization: Bearer \(s[6])\n-----BEGIN RSA PRIVATE KEY-----\n\(s[7])\n-----END RSA PRIVATE KEY-----\npassword=\(s[8])"
        return scratch.write(
            "p/s.jsonl",
            lines: [
                Line.user("u1", parent: nil, "/office-hours use \(s[0]) please"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: #"{"type":"thinking","thinking":\#(Line.json(text)),"signature":""}"#),
                Line.assistant("a2", parent: "a1", id: "msg_1", block: Line.text(text)),
                Line.assistant("a3", parent: "a2", id: "msg_1", block: #"{"type":"tool_use","id":"toolu_1","name":"Write","input":{"file_path":"notes-\#(s[2]).md","content":\#(Line.json(text))}}"#),
                Line.user("u2", parent: "a3", "x").replacingOccurrences(of: #""content":"x""#, with: #""content":[{"type":"tool_result","tool_use_id":"toolu_1","content":\#(Line.json(text))}]"#),
                Line.assistant("a4", parent: "u2", id: "msg_2", request: "req_2", block: Line.text("Done, token: \(s[3])\nPHASE_STATUS: ready_to_advance")),
                #"{"type":"custom-title","customTitle":"fix \#(s[4])","sessionId":"s"}"#,
            ])
    }

    @Test func noSecretReachesAnyReportFile() throws {
        let scratch = ScratchFolder()
        let file = Self.writeSession(scratch)
        var options = ReportOptions()
        options.externalArtifacts = [ExternalArtifact(name: "office-hours-plan.md", text: "key \(Self.secrets[1])")]
        let files = try Render.files([file], options: options)
        #expect(files.count == 7)
        for (path, text) in files {
            for secret in Self.secrets {
                #expect(!text.contains(secret), "\(path) shows \(secret)")
            }
        }
        let phase = files["phases/01-office-hours.html"]!
        #expect(phase.contains("[REDACTED]"))
        #expect(HTMLScan(phase).text.contains("Keys: [REDACTED] and [REDACTED]; aws [REDACTED]; gh [REDACTED]; slack [REDACTED]; google [REDACTED]."))
    }

    @Test func theCommandLineRedactsUnlessToldNotTo() throws {
        let scratch = ScratchFolder()
        _ = Self.writeSession(scratch)
        let cli = CLITests()
        let sessions = try cli.run(["sessions", "--json", scratch.path + "/p"])
        #expect(!sessions.stdout.contains(Self.secrets[0]))
        #expect(sessions.stdout.contains("/office-hours use [REDACTED] please"))
        let raw = try cli.run(["sessions", "--json", "--no-redact", scratch.path + "/p"])
        #expect(raw.stdout.contains(Self.secrets[0]))
        let render = try cli.run(["render", scratch.path + "/p", "-o", scratch.path + "/out"])
        #expect(render.status == 0)
        let page = try String(contentsOfFile: scratch.path + "/out/phases/01-office-hours.html", encoding: .utf8)
        #expect(!page.contains(Self.secrets[3]))
        _ = try cli.run(["render", "--no-redact", scratch.path + "/p", "-o", scratch.path + "/out"])
        #expect(try String(contentsOfFile: scratch.path + "/out/phases/01-office-hours.html", encoding: .utf8).contains(Self.secrets[3]))
    }

    @Test func textWithoutSecretsIsLeftAlone() {
        let text = "The task-runner uses 1,200 tokens; see https://example.invalid/ask-sk and the secret garden."
        #expect(Redactor.redact(text) == text)
        #expect(Redactor.redact("export ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnop") == "export ANTHROPIC_API_KEY=[REDACTED]")
    }

    /// A tool input is redacted string by string, at any depth, keys and order kept; a value
    /// with nothing to redact comes back as it was.
    @Test func jsonValuesAreRedactedStringByString() {
        let secret = "sk-ant-api03-abcdefghijklmnop"
        let input = JSONValue.object([
            .init(key: "command", value: .string("curl -H 'x-api-key: " + secret + "' example.invalid")),
            .init(key: "sk-ant-api03-keysstay", value: .array([.int(1), .string("plain"), .object([.init(key: "env", value: .string("TOKEN=" + secret))])])),
            .init(key: "note", value: .string("1,200 tokens")),
        ])
        let expected = JSONValue.object([
            .init(key: "command", value: .string("curl -H 'x-[REDACTED]' example.invalid")),
            .init(key: "sk-ant-api03-keysstay", value: .array([.int(1), .string("plain"), .object([.init(key: "env", value: .string("[REDACTED]"))])])),
            .init(key: "note", value: .string("1,200 tokens")),
        ])
        #expect(Redactor.redact(input) == expected)
        let plain = JSONValue.array([.string("1,200 tokens"), .object([.init(key: "a", value: .bool(true))])])
        #expect(Redactor.redact(plain) == plain)
    }
}

/// Bidirectional controls in a transcript (a file name `notes\u{202E}dm.exe` reads
/// "notesexe.md", and an override left open runs on into planscribe's own label) are shown as
/// `[U+202E]` on every page, HTML and Markdown, so that they reorder nothing.
struct BidiControlTests {
    @Test func bidiControlsAreShownAndReorderNothing() throws {
        let scratch = ScratchFolder()
        let write = #"{"type":"tool_use","id":"toolu_1","name":"Write","input":{"file_path":"notes\#u{202E}dm.exe","content":"hi \#u{2067}there"}}"#
        _ = scratch.write(
            "proj/s.jsonl",
            lines: [
                Line.user("u1", parent: nil, "/office-hours A \u{202B}plan\u{202C} for \u{200F}teams"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: write),
                Line.user("u2", parent: "a1", "", extra: #","toolUseResult":{},"message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"ok"}]}"#),
                Line.assistant("a2", parent: "u2", id: "msg_2", block: Line.text("Wrote notes\u{202E}dm.exe.\nPHASE_STATUS: ready_to_advance")),
            ])
        let run = ReportRun.from(sessions: try Fixture.sessions([scratch.path + "/proj"]), title: "bidi \u{202E}title")
        let files = ReportBuilder(templates: try TemplateSet.load()).files(for: run)
        let controls: [Unicode.Scalar] = ["\u{202E}", "\u{202B}", "\u{202C}", "\u{200F}", "\u{2067}"]
        for file in files where !file.path.hasSuffix(".json") {
            let text = String(decoding: file.contents, as: UTF8.self)
            #expect(!text.unicodeScalars.contains(where: controls.contains), "\(file.path) holds a bidirectional control")
        }
        let page = HTMLScan(String(decoding: try #require(files.first { $0.path == "phases/01-office-hours.html" }).contents, as: UTF8.self))
        #expect(page.text.contains("notes[U+202E]dm.exe written by the Write tool"))
        #expect(page.text.contains("A [U+202B]plan[U+202C] for [U+200F]teams"))
        let markdown = String(decoding: try #require(files.first { $0.path == "report.md" }).contents, as: UTF8.self)
        #expect(markdown.contains("notes[U+202E]dm.exe"))
        #expect(BidiControls.shown(in: "plain text, שלום") == nil, "right-to-left letters are not controls")
        // The terminal too: `sessions` lists the session's first prompt.
        let listed = try CLITests().run(["sessions", scratch.path + "/proj"])
        #expect(listed.status == 0)
        #expect(!listed.stdout.unicodeScalars.contains(where: controls.contains))
        #expect(listed.stdout.contains("[U+202B]plan[U+202C]"), "\(listed.stdout)")
    }
}

/// A session that crosses midnight says so: a message on another day than its phase began
/// shows its date, on the page, in its Markdown and in the page's time span.
struct MidnightTests {
    @Test func messagesAfterMidnightShowTheirDate() throws {
        let scratch = ScratchFolder()
        func stamped(_ line: String, _ stamp: String) -> String {
            line.replacing(#/"timestamp":"[^"]*"/#, with: "\"timestamp\":\"\(stamp)\"")
        }
        _ = scratch.write(
            "proj/s.jsonl",
            lines: [
                stamped(Line.user("u1", parent: nil, "/office-hours A late plan"), "2026-01-01T23:59:58.000Z"),
                stamped(Line.assistant("a1", parent: "u1", id: "msg_1", block: Line.text("Past midnight now.\nPHASE_STATUS: ready_to_advance")), "2026-01-02T00:00:03.000Z"),
            ])
        let run = ReportRun.from(sessions: try Fixture.sessions([scratch.path + "/proj"]))
        let files = ReportBuilder(templates: try TemplateSet.load()).files(for: run)
        func text(_ path: String) throws -> String { String(decoding: try #require(files.first { $0.path == path }).contents, as: UTF8.self) }
        let page = HTMLScan(try text("phases/01-office-hours.html"))
        #expect(page.text.contains("2026-01-01 23:59:58 UTC – 2026-01-02 00:00:03"))
        #expect(page.text.contains("23:59:58"))
        #expect(page.text.contains("2026-01-02 00:00:03"))
        let markdown = try text("phases/01-office-hours.md")
        #expect(markdown.contains("· 23:59:58"))
        #expect(markdown.contains("· 2026-01-02 00:00:03"))
    }
}

/// Each turn's reported cost is the growth of the CLI's running total over it: checked against
/// the real CLI's own result totals for the same invocations (the planning run's stream-json).
struct TurnCostTests {
    @Test func eachTurnsReportedCostIsWhatTheCLIReportedForItsInvocation() throws {
        let sessions = try Fixture.sessions([Fixture.planningProject])
        func totals(_ streams: [String]) throws -> [Double] {
            try streams.map { name in
                let line = try String(contentsOfFile: Fixture.path("planning-run/stream/" + name), encoding: .utf8).split(separator: "\n").first { $0.contains(#""type":"result""#) }
                let text = try #require(line)
                let result = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                return try #require(result["total_cost_usd"] as? Double)
            }
        }
        let cases: [(command: String, streams: [String])] = [
            ("/office-hours", ["01-office-hours.jsonl", "02-office-hours-reply1.jsonl", "03-office-hours-reply2.jsonl"]),
            ("/plan-ceo-review", ["04-plan-ceo-review.jsonl", "05-plan-ceo-review-nudge.jsonl", "06-plan-ceo-review-reply1.jsonl"]),
            ("/plan-eng-review", ["07-plan-eng-review.jsonl", "08-plan-eng-review-reply1.jsonl"]),
        ]
        for c in cases {
            let session = try #require(sessions.first { $0.firstPrompt?.hasPrefix(c.command) == true })
            let turns = PhaseSplitter.split(session).flatMap(\.turns)
            let reported = TurnCosts.reported(in: session)
            let cumulative = try totals(c.streams)
            let expected = cumulative.indices.map { USD(cumulative[$0]) - USD($0 == 0 ? 0 : cumulative[$0 - 1]) }
            #expect(turns.map { reported[($0.prompt ?? $0.messages.first)!.uuid] } == expected, "\(c.command)")
        }
    }

    /// Two turns one invocation covered (an interactive session writes its total once, at
    /// the end) get no figure each: the total is not split by guess.
    @Test func turnsOneInvocationCoveredGetNone() throws {
        let scratch = ScratchFolder()
        _ = scratch.write(
            "p/s.jsonl",
            lines: [
                Line.user("u1", parent: nil, "/office-hours first"),
                Line.assistant("a1", parent: "u1", id: "m1", block: Line.text("One.")),
                Line.user("u2", parent: "a1", "second"),
                Line.assistant("a2", parent: "u2", id: "m2", block: Line.text("Two.")),
                #"{"type":"cost-state","sessionId":"s","totalCostUSD":0.5}"#,
            ])
        let session = try #require(try Fixture.sessions([scratch.path + "/p"]).first)
        #expect(session.costFigures == [CostFigure(line: 5, usd: 0.5)])
        #expect(TurnCosts.reported(in: session).isEmpty)
    }
}

/// At `--detail decisions` each reply keeps the question it answers (the turn's last words
/// before it), so a decision reads whole.
struct DecisionDetailTests {
    @Test func eachReplyKeepsTheQuestionItAnswers() throws {
        var options = ReportOptions()
        options.detail = .decisions
        let files = try Render.files([Fixture.planningProject], options: options)
        for text in [HTMLScan(try #require(files["phases/01-office-hours.html"])).text, try #require(files["phases/01-office-hours.md"])] {
            let question = try #require(text.range(of: "how many people share one list?"))
            let reply = try #require(text.range(of: "Small teams of 3-10 people."))
            let next = try #require(text.range(of: "What is the"))
            let answer = try #require(text.range(of: "Under $50 a month."))
            #expect(question.upperBound < reply.lowerBound && reply.upperBound < next.lowerBound && next.upperBound < answer.lowerBound)
            #expect(text.contains("That settles office hours."), "the phase's last words stay")
        }
    }
}

/// The index, report.md and the job summary list what was decided: each reply with the
/// question it answered, phase by phase, linking to the phase.
struct DecisionListTests {
    @Test func theIndexAndTheMarkdownListTheDecisions() throws {
        let files = try Render.files([Fixture.planningProject])
        let index = HTMLScan(try #require(files["index.html"]))
        let replies = index.tags.filter { $0.name == "span" && $0.attributes.contains { $0.name == "class" && $0.value == "how" } }.count
        #expect(replies == 5)
        let text = index.text
        let order = [
            "Decisions", "how many people share one list?", "Small teams of 3-10 people.", "What is the **budget**", "Under $50 a month.", "Yes, a flat price per team.", "SQLite or Postgres",
            "Postgres.", "Cost per phase",
        ]
        var at = text.startIndex
        for piece in order {
            let found = try #require(text.range(of: piece, range: at..<text.endIndex), "\(piece)")
            at = found.upperBound
        }
        #expect(index.tags.contains { $0.name == "a" && $0.attributes.contains { $0.name == "href" && $0.value == "phases/01-office-hours.html" } })
        let row = #"| 1. /office-hours | Saved \`office\-hours\.md\`\. What is the \*\*budget\*\* for hosting\, per month\? | *canned reply*: Under \$50 a month\. |"#
        #expect(try #require(files["report.md"]).contains("## Decisions\n\n| phase | asked | reply |\n|---|---|---|\n"))
        #expect(try #require(files["report.md"]).contains(row))
        #expect(try #require(files["job-summary.md"]).contains("### Decisions\n\n| phase | asked | reply |"))
        #expect(try #require(files["job-summary.md"]).contains(row))
    }
}

/// The common tools read as what they do, not as JSON with sorted keys (an edit's new text
/// before its old one): Edit as removed and added lines, Write as the file and its content,
/// Bash as its command, Read as its file and range, TodoWrite as a checklist; other tools
/// keep their JSON.
struct ToolInputViewTests {
    @Test func commonToolsReadAsWhatTheyDo() throws {
        let scratch = ScratchFolder()
        func use(_ id: String, _ name: String, _ input: String) -> String { #"{"type":"tool_use","id":"\#(id)","name":"\#(name)","input":\#(input)}"# }
        let blocks = [
            use("t1", "Edit", #"{"file_path":"app.py","old_string":"a = 1\nb = 2","new_string":"a = 3"}"#),
            use("t2", "Read", #"{"file_path":"README.md","offset":10,"limit":20}"#),
            use("t3", "TodoWrite", #"{"todos":[{"content":"plan <it>","status":"completed"},{"content":"ship","status":"pending"}]}"#),
            use("t4", "WebFetch", #"{"url":"https://example.com","prompt":"summarise"}"#),
            use("t5", "WebSearch", #"{"query":"todo apps for teams","allowed_domains":["example.com"]}"#),
            use("t6", "NotebookEdit", #"{"notebook_path":"a.ipynb","new_source":"x"}"#),
        ]
        var lines = [Line.user("u0", parent: nil, "/office-hours go")]
        var parent = "u0"
        for (i, block) in blocks.enumerated() {
            lines.append(Line.assistant("a\(i)", parent: parent, id: "m\(i)", block: block))
            parent = "a\(i)"
        }
        _ = scratch.write("p/s.jsonl", lines: lines)
        let page = try #require(try Render.files([scratch.path + "/p"])["phases/01-office-hours.html"])
        #expect(page.contains("<pre>edit app.py\n- a = 1\n- b = 2\n+ a = 3</pre>"))
        #expect(page.contains("<pre>read README.md from line 10, 20 lines</pre>"))
        #expect(page.contains("<pre>[x] plan &lt;it&gt;\n[ ] ship</pre>"))
        #expect(page.contains("<pre>fetch https://example.com\nlooking for: summarise</pre>"))
        #expect(page.contains("<pre>search the web for todo apps for teams\nonly on: example.com</pre>"))
        // A tool without a view keeps its JSON.
        #expect(page.contains("&quot;notebook_path&quot; : &quot;a.ipynb&quot;"))
    }

    /// A subagent call as the real CLI wrote it (claude-code-log's recorded Task, and an Agent
    /// call of CLI 2.1.332): its kind, task and prompt.
    @Test func aSubagentCallReadsAsItsTaskAndPrompt() throws {
        let real = try Render.files([Fixture.realProjects])
        let task = try #require(real.first { $0.key.hasSuffix(".html") && $0.value.contains("subagent Explore: Explore codebase structure") })
        #expect(task.value.contains("<pre>subagent Explore: Explore codebase structure\n\nGive me a comprehensive overview of the code organization"))
        let cli = try Render.files([Fixture.cliProject])
        #expect(cli.values.contains { $0.contains("<pre>subagent general-purpose: Echo via subagent\n\nSUBAGENT-MARKER: run echo from-subagent and report</pre>") })
    }
}

/// A long phase is cut into pages between messages, each under the limit, linked in order;
/// the index's decisions link to the page their turn is on.
struct PhasePaginationTests {
    @Test func aLongPhaseIsPagedAndEveryLinkFindsItsTurn() throws {
        let scratch = ScratchFolder()
        let paragraph = String(repeating: "A long answer about the plan, with more to say. ", count: 2_000)  // ~100 KB
        var lines = [Line.user("u0", parent: nil, "/office-hours plan it")]
        var parent = "u0"
        for t in 0..<12 {
            lines.append(Line.assistant("a\(t)", parent: parent, id: "m\(t)", block: Line.text("Turn \(t). " + paragraph + "\nPHASE_STATUS: needs_input")))
            lines.append(Line.user("u\(t + 1)", parent: "a\(t)", "Answer \(t + 1)."))
            parent = "u\(t + 1)"
        }
        lines.append(Line.assistant("end", parent: parent, id: "m-end", block: Line.text("Done.\nPHASE_STATUS: ready_to_advance")))
        _ = scratch.write("p/s.jsonl", lines: lines)
        var options = ReportOptions()
        options.pageBytes = 500_000
        let files = try Render.files([scratch.path + "/p"], options: options)
        let pages = files.keys.filter { $0.hasPrefix("phases/01-office-hours") && $0.hasSuffix(".html") }.sorted()
        #expect(pages == ["phases/01-office-hours-2.html", "phases/01-office-hours-3.html", "phases/01-office-hours.html"])
        let first = files["phases/01-office-hours.html"]!
        let second = files["phases/01-office-hours-2.html"]!
        let third = files["phases/01-office-hours-3.html"]!
        for page in [first, second, third] {
            #expect(page.utf8.count < 500_000 + 120_000, "one message at most past the limit")
            #expect(HTMLScan(page).dangers() == [])
        }
        #expect(first.contains(#"<nav class="pager"><a href="01-office-hours-2.html">next page ›</a></nav>"#))
        #expect(second.contains(#"<nav class="pager"><a href="01-office-hours.html">‹ previous page</a><a href="01-office-hours-3.html">next page ›</a></nav>"#))
        #expect(HTMLScan(third).text.contains("page 3 of 3"))
        // The cost and artifacts are on the first page only.
        #expect(first.contains("<h2>Cost of this phase</h2>") && !second.contains("<h2>Cost of this phase</h2>"))
        #expect(second.contains(#"The phase's artifacts and cost are on <a href="01-office-hours.html">its first page</a>."#))
        // Every turn is on exactly one page, in order.
        let all = first + second + third
        for t in 0..<12 { #expect(all.components(separatedBy: "Turn \(t). A long answer").count == 2, "turn \(t)") }
        // Each decision's link goes to the page that holds its turn.
        let index = files["index.html"]!
        let links = HTMLScan(index).tags.filter { $0.name == "a" }.compactMap { $0.attributes.first { $0.name == "href" }?.value }.filter { $0.contains("#turn-") }
        #expect(links.count == 12)
        for link in links {
            let parts = link.split(separator: "#")
            let page = try #require(files[String(parts[0])], "\(link)")
            #expect(page.contains(#"id="\#(parts[1])""#), "\(link)")
        }
        #expect(links.contains { $0.hasPrefix("phases/01-office-hours-3.html#") })
        // With a user's message template, pages are cut by the size of what it writes, and
        // each decision still links to the page its turn is on.
        _ = scratch.write("t/message.mustache", lines: [#"<div class="mine"{{#anchor}} id="{{anchor}}"{{/anchor}}>{{label}}{{#blocks}}{{{html}}}{{/blocks}}</div>"#])
        _ = scratch.write("small/message.mustache", lines: [#"<div class="mine"{{#anchor}} id="{{anchor}}"{{/anchor}}>{{label}}</div>"#])
        for (folder, pageCount) in [("t", 3), ("small", 1)] {
            let templated = try Render.files([scratch.path + "/p"], options: options, templates: try TemplateSet.load(overrides: scratch.path + "/" + folder))
            #expect(templated.keys.filter { $0.hasPrefix("phases/") && $0.hasSuffix(".html") }.count == pageCount, "\(folder)")
            let links = HTMLScan(templated["index.html"]!).tags.filter { $0.name == "a" }.compactMap { $0.attributes.first { $0.name == "href" }?.value }.filter { $0.contains("#turn-") }
            #expect(links.count == 12)
            for link in links {
                let parts = link.split(separator: "#")
                #expect(templated[String(parts[0])]?.contains(#"<div class="mine" id="\#(parts[1])">"#) == true, "\(link)")
            }
        }
    }
}

/// What a page shows of a very long phase stays a page's worth: the dearest 100 turns of its
/// cost table, artifacts up to a quarter of a page, the first 500 decisions on the index and
/// 100 in report.md and the job summary; the phase's Markdown and summary.json keep all.
struct LongPhaseLimitsTests {
    @Test func tablesArtifactsAndDecisionsAreCappedWhereReadersLook() throws {
        let scratch = ScratchFolder()
        var lines = [Line.user("u0", parent: nil, "/office-hours plan it")]
        var parent = "u0"
        let content = String(repeating: "- a line of the notes file\n", count: 1_000)  // 27 KB each
        for t in 0..<150 {
            let write = #"{"type":"tool_use","id":"w\#(t)","name":"Write","input":{"file_path":"notes-\#(t).md","content":\#(Line.json(content))}}"#
            lines.append(Line.assistant("w\(t)", parent: parent, id: "mw\(t)", block: write, output: 10 + t))
            lines.append(Line.assistant("a\(t)", parent: "w\(t)", id: "m\(t)", block: Line.text("Question \(t)?\nPHASE_STATUS: needs_input"), output: 10 + t))
            lines.append(Line.user("u\(t + 1)", parent: "a\(t)", "Answer \(t)."))
            parent = "u\(t + 1)"
        }
        _ = scratch.write("p/s.jsonl", lines: lines)
        var options = ReportOptions()
        options.pageBytes = 400_000
        let files = try Render.files([scratch.path + "/p"], options: options)
        let page = files["phases/01-office-hours.html"]!
        // Cost: 100 rows of turns and the note, then the total.
        let table = HTMLScan(page).text
        #expect(table.contains("… 51 cheaper turns (the 100 dearest are listed; every turn is in 01-office-hours.md)"), "\(table.suffix(2000))")
        #expect(files["phases/01-office-hours.md"]!.contains("| 151. prompt: Answer 149."))
        // Artifacts: 100 KB of them (three files), the rest named.
        #expect(page.components(separatedBy: #"<div class="artifact">"#).count - 1 == 3)
        #expect(table.contains("… and 147 more files, whole in 01-office-hours.md: notes-3.md, notes-4.md"))
        #expect(files["phases/01-office-hours.md"]!.components(separatedBy: "### notes-").count - 1 == 150)
        // Decisions: 150 of them; report.md lists 100 and says where the rest are.
        #expect(files["report.md"]!.contains("… and 50 more decisions: every one is on index.html and in summary.json."))
        let summary = try JSONSerialization.jsonObject(with: Data(files["summary.json"]!.utf8)) as? [String: Any]
        #expect(((summary?["phases"] as? [[String: Any]])?.first?["decisions"] as? [Any])?.count == 150)
        // A conversation outside any phase asks nothing: no decisions.
        let chat = try Render.files([Fixture.path("claude-code-log-real/-Users-dain-workspace-claude-code-log-sample")])
        #expect(!chat["index.html"]!.contains("<h2>Decisions</h2>"))
    }
}

/// The index page's search: its data holds every turn, as escaped text, each linked to the page
/// and anchor of its turn; its one script is allowed by its hash alone; a run of many turns
/// keeps a shorter start of each, says so, and stays a page's size.
struct SearchTests {
    /// The turns in the `<template id="search-data">` of an index page: where the script says
    /// each is, its link and its text.
    static func data(_ index: String) throws -> [(href: String, where: String, text: String)] {
        let open = try #require(index.firstRange(of: "<template id=\"search-data\">"))
        let close = try #require(index[open.upperBound...].firstRange(of: "</template>"))
        var phase = ""
        var entries: [(href: String, where: String, text: String)] = []
        for line in index[open.upperBound..<close.lowerBound].split(separator: "\n") {
            let scan = HTMLScan(String(line))
            guard let tag = scan.tags.first else { continue }
            func value(_ name: String) -> String { tag.attributes.first { $0.name == name }?.value ?? "" }
            if tag.name == "div" { phase = value("data-phase") }
            if tag.name == "p" { entries.append((value("data-href"), phase + " · turn " + value("data-turn"), scan.text)) }
        }
        return entries
    }

    @Test func everyTurnIsFoundAndLinkedToThePageThatHoldsIt() throws {
        let scratch = ScratchFolder()
        let paragraph = String(repeating: "A long answer about the plan, with more to say. ", count: 2_000)  // ~100 KB
        var lines = [Line.user("u0", parent: nil, "/office-hours plan it")]
        var parent = "u0"
        for t in 0..<12 {
            lines.append(Line.assistant("a\(t)", parent: parent, id: "m\(t)", block: Line.text("Turn \(t) talks of zebra\(t). " + paragraph + "\nPHASE_STATUS: needs_input")))
            lines.append(Line.user("u\(t + 1)", parent: "a\(t)", "Answer \(t + 1) & <b>bold</b>."))
            parent = "u\(t + 1)"
        }
        _ = scratch.write("p/s.jsonl", lines: lines)
        var options = ReportOptions()
        options.pageBytes = 500_000
        let files = try Render.files([scratch.path + "/p"], options: options)
        let entries = try Self.data(files["index.html"]!)
        #expect(entries.count == 13)
        for (n, entry) in entries.enumerated() {
            #expect(entry.where == "1. /office-hours · turn \(n + 1)")
            let parts = entry.href.split(separator: "#")
            let page = try #require(files[String(parts[0])], "\(entry.href)")
            #expect(parts.count == 2 && page.contains(#"id="\#(parts[1])""#), "\(entry.href)")
            // The turn's own words are on the page it links to.
            if n > 0 { #expect(page.contains("Answer \(n) &amp;") && entry.text.hasPrefix("Answer \(n) & <b>bold</b>.")) }
            if n < 12 { #expect(entry.text.contains("zebra\(n).")) }
            #expect(!entry.text.contains("PHASE_STATUS"))
        }
        #expect(entries.contains { $0.href.hasPrefix("phases/01-office-hours-3.html#turn-") })
        // 13 turns: each keeps its first 1,000 characters, and the page says so.
        #expect(entries.allSatisfy { $0.text.count <= SearchIndex.turnLimit })
        #expect(HTMLScan(files["index.html"]!).text.contains("Search looks at the first 1,000 characters of each turn."))
    }

    @Test func aRunOfManyTurnsKeepsAShorterStartOfEachWithinTheBudget() throws {
        let scratch = ScratchFolder()
        var lines = [Line.user("u0", parent: nil, "/office-hours plan it")]
        var parent = "u0"
        for t in 0..<6_000 {
            lines.append(Line.assistant("a\(t)", parent: parent, id: "m\(t)", block: Line.text("Reply \(t): " + String(repeating: "words to look for ", count: 20))))
            lines.append(Line.user("u\(t + 1)", parent: "a\(t)", "Go on \(t)."))
            parent = "u\(t + 1)"
        }
        _ = scratch.write("p/s.jsonl", lines: lines)
        let files = try Render.files([scratch.path + "/p"])
        let entries = try Self.data(files["index.html"]!)
        #expect(entries.count == 6_001)
        // 200,000 characters over 6,001 turns would be 33 of each: 60, the least, are kept.
        #expect(entries.allSatisfy { $0.text.count <= 60 })
        #expect(entries[1].text.hasPrefix("Go on 0. Reply 1: words to look for"))
        #expect(HTMLScan(files["index.html"]!).text.contains("Search looks at the first 60 characters of each turn."))
        #expect(files["index.html"]!.utf8.count < 2_000_000)
    }

    @Test func aSearchScriptOfTheUsersOwnIsAllowedByItsOwnHash() throws {
        let scratch = ScratchFolder()
        let script = "document.title = 'mine';\n"
        _ = scratch.write("t/search.js", bytes: Array(script.utf8))
        let templates = try TemplateSet.load(overrides: scratch.path + "/t")
        #expect(templates.searchScript == script)
        let page = try Render.files([Fixture.planningProject], templates: templates)["index.html"]!
        let scan = HTMLScan(page)
        #expect(scan.scripts == [script])
        #expect(page.contains("script-src '\(SHA256.cspSource(of: script))'"))
        // A script that would end the page's <script> element early is refused, with its file.
        _ = scratch.write("bad/search.js", bytes: Array("x = 1; </SCRIPT><img src=x>".utf8))
        #expect(throws: TemplateError.unreadable(path: scratch.path + "/bad/search.js", reason: "it holds \"</script\", which would end the page's script there")) {
            try TemplateSet.load(overrides: scratch.path + "/bad")
        }
    }
}
