import Foundation
import Testing

@testable import PlanScribe

struct MarkdownTests {
    /// cmark-gfm keeps the characters its extensions react to (`~` for strikethrough, `:`
    /// and `w` for autolinks) in one table for the whole process, and every parse adds them
    /// and takes them out again: parses on several threads at once must still each see them
    /// (render makes a project's phase pages on every core).
    @Test func parsesOnSeveralThreadsAtOnceAllSeeTheExtensions() {
        let short = "a ~~strike~~ and www.example.com, https://example.com/x\n\n| a | b |\n|---|---|\n| ~~c~~ | d |\n"
        let long = String(repeating: "A paragraph with ~~old~~ words, www.example.org and *emphasis*.\n\n", count: 200)
        let texts = [short, long]
        let expected = texts.map(Markdown.html)
        #expect(expected[0].contains("<del>strike</del>") && expected[0].contains("<a href=\"http://www.example.com\">"))
        #expect(expected[1].components(separatedBy: "<del>old</del>").count == 201)
        let differing = GatheredValues<Int>()
        DispatchQueue.concurrentPerform(iterations: 400) { i in
            if Markdown.html(texts[i % 2]) != expected[i % 2] { differing.append(i) }
        }
        #expect(differing.values.isEmpty, "\(differing.values.count) of 400 parses differed")
    }

    @Test func gfmTablesStrikethroughAndTaskLists() {
        let html = Markdown.html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n")
        #expect(html.contains("<table>"))
        #expect(html.contains("<td>1</td>"))
        #expect(html.contains("<del>old</del>"))
        #expect(html.contains(#"<input type="checkbox" checked="" disabled="" />"#))
    }

    @Test func rawHTMLIsShownAsCodeAndScriptLinksAreEmptied() {
        let html = Markdown.html("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)> ![t](https://example.invalid/t.png)")
        #expect(
            html == """
                <pre><code>&lt;script&gt;alert(1)&lt;/script&gt;
                </code></pre>
                <p><a href="">x</a> <code>&lt;img src=x onerror=alert(1)&gt;</code> <a href="https://example.invalid/t.png">t</a></p>

                """)
        #expect(HTMLScan(html).dangers() == [])
    }

    @Test func linksToScriptFilesOrNonImageDataAreUnsafe() {
        let unsafe = [
            "javascript:alert(1)", "JaVaScRiPt:x", " javascript:x", "java\nscript:x", "jav ascript:x", "vbscript:x", "FILE:///etc/passwd",
            "data:text/html,x", "DATA:IMAGE/SVG+xml,x", "\u{0}javascript:x",
        ]
        let safe = ["https://example.com/a?b=c", "notes.md#top", "", "data:image/png;base64,AAAA", "DATA:IMAGE/PNG,x", "mailto:a@b.invalid", "./javascript:x"]
        for url in unsafe { #expect(!Markdown.isSafeURL(url), "\(url.debugDescription)") }
        for url in safe { #expect(Markdown.isSafeURL(url), "\(url.debugDescription)") }
    }

    /// Plain paragraphs are written without cmark, and give cmark's bytes; anything that
    /// could be more is left to cmark.
    @Test func plainParagraphsGiveCmarksHTML() {
        let plain = [
            "", "\n\n", "one line", "It's \"quoted\" and a > b, (x) = y; 50 % off! #tag", "line one  \nline two \nthree   ",
            "  lead\n   more\n\npara two\n\n\n", "x\u{7F}y é\u{a0}z 日本 🎉", "a \n b", "time 12:30, a-b, c+d, 3. not a list",
            "   \n\ntext after blank lines", "ends with two spaces  ", "www example is no link without its dot",
        ]
        for text in plain {
            #expect(PlainMarkdown.html(text) != nil, "\(text.debugDescription)")
            #expect(Markdown.html(text) == Markdown.parsedHTML(text), "\(text.debugDescription)")
        }
        let more = [
            "*em*", "_em_", "`code`", "[link](x)", "<b>", "a &amp; b", "back\\slash", "~~s~~", "a | b", "me@example.com",
            "see https://example.com", "www.example.com", "WWW.EXAMPLE.COM", "# heading", "> quote", "- item", "+ item",
            "1. item", "para\n===", "para\n---", "    code", "one\n    four", "tab\there", "cr\rhere", "nul\u{0}",
            // A one-column table: its delimiter row needs no pipe (found by the fuzzer).
            ":\n:-", "head\n :-:",
        ]
        for text in more {
            #expect(PlainMarkdown.html(text) == nil, "\(text.debugDescription)")
        }
        // Random texts of plain words, punctuation, spaces and line breaks, seeded: every one
        // the fast path takes must be cmark's output.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let pieces = ["word", "é", " ", "  ", "   ", "    ", "\n", "\n\n", "\"", "'", ">", "#", "-", "=", "1", ".", ":", "/", "w", "!", "(", ")", "\u{a0}", "+", ",", ":-"]
        var taken = 0
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int(next() % 24) { text += pieces[Int(next() % UInt64(pieces.count))] }
            if PlainMarkdown.html(text) != nil {
                taken += 1
                #expect(Markdown.html(text) == Markdown.parsedHTML(text), "\(text.debugDescription)")
            }
        }
        #expect(taken > 500)
    }

    @Test func defangedMarkdownKeepsTextAndDropsHTML() {
        #expect(Markdown.defanged("Hi <b>there</b>\n\n[x](javascript:alert(1))\n") == "Hi `<b>`there`</b>`\n\n[x]()\n")
    }

    /// Markdown that cannot hold markup, links, link references or fences is kept as written
    /// (cmark's writer is skipped), and it means what cmark's rewrite of it means.
    @Test(arguments: [
        "plain words, two sentences. And a second one.",
        "# Heading\n\nSome *emphasis*, __strong__, `code` and ``two`` ticks.\n\n* a\n* b\n\nbetween\n\n1. one\n2. two\n",
        "| Decision | Value |\n|---|---|\n| Users | 3-10 |\n\nAfter the table.",
        "    indented code\n    more\n\ntext after",
        "> quoted\n> lines\n\n---\n\nSetext\n===\n\nfoo  \nhard break\\\nand escape \\* &amp; &lt;entity&gt; ~~strike~~",
        "\n\nleading blank lines and trailing space   \n\n\n", "\t\t)\t", "    code with a trailing tab\t\n",
        "www.example.com and https://example.com/x autolinks, e@mail.invalid",
        "Unicode: é, 日本語, emoji 🎉, NBSP\u{a0}here; PHASE_STATUS: ready_to_advance",
        // Safe links, and fences closed at the start of a line, with anything inside.
        "See [the docs](https://example.com/a_(b)) and [notes](notes.md#top), or www.example.com.",
        "```swift\nlet a: Array<Int> = [1]\nif a < b { print(\"<b>\") }\n```\n\nAfter the fence.",
        "~~~\n<script>alert(1)</script>\n[x]: javascript:alert(1)\n````\n~~~~\n\nText.",
        "| a | b |\n|---|---|\n| [x](https://y.invalid) | `code` |\n",
        "````markdown\n```\ninner\n```\n````\n",
    ])
    func inertMarkdownIsKeptAndMeansTheSame(_ text: String) {
        guard let inert = Markdown.inertText(text) else {
            Issue.record("not taken as inert: \(text.debugDescription)")
            return
        }
        #expect(Markdown.defanged(text) == inert)
        #expect(inert.hasSuffix("\n") && !inert.hasSuffix("\n\n") && !inert.hasPrefix("\n"))
        #expect(Markdown.html(inert) == Markdown.html(text))
        #expect(Markdown.html(inert) == Markdown.html(Markdown.rewritten(text)))
    }

    /// cmark's writer puts an HTML comment between two adjacent lists; text kept as written
    /// has none.
    @Test func adjacentListsStayAsWritten() {
        #expect(Markdown.rewritten("* a\n* b\n\n1. one\n").contains("<!-- end list -->"))
        #expect(Markdown.defanged("* a\n* b\n\n1. one\n") == "* a\n* b\n\n1. one\n")
    }

    @Test(arguments: [
        "a <b>tag</b>", "[ref]: javascript:alert(1)", "an image ![x](y.png)", "```\nopen fence", "~~~\nopen tilde fence",
        "carriage\rreturn", "nul\u{0}byte", "<https://autolink.invalid>", "`Array<Int>` in a code span",
        // Links that may point at script or files, however the scheme is spelt.
        "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](vbscript:msgbox)", "[x](file:///etc/passwd)",
        "[x](data:text/html,hi)", "[x](javascript&#58;alert(1))", "[x](&#106;avascript:alert(1))", "[x](javascript\\:alert(1))",
        "[x]\n\n[x]: https://fine.invalid",
        // Fences this scan does not follow: indented (a list item's, or code), after text,
        // unclosed, or a backtick fence whose info holds a backtick.
        "- item\n\n  ```\n  <b>x</b>\n  ```", "- ```\n<b>x</b>\n```", "    ```\n    code", "text ```inline``` text",
        "````\n```\nstill open", "```a`b\n<b>\n```",
    ])
    func markdownThatMayHoldMarkupGoesThroughCmark(_ text: String) {
        #expect(Markdown.inertText(text) == nil)
        #expect(Markdown.defanged(text) == Markdown.rewritten(text))
    }

    /// Text kept as written stays safe wherever a report puts it: after any other kept or
    /// rewritten text, and quoted (a subagent's): no raw HTML or image, and every link is
    /// one ``Markdown/isSafeURL(_:)`` allows.
    @Test func keptTextStaysSafeBesideOtherText() throws {
        let kept = [
            "See [the docs](https://example.com/a) and www.example.com.", "```\n<script>alert(1)</script>\n```",
            "- item\n- [link](https://x.invalid)", "    indented code", "| a |\n|---|\n| [b](c.md) |", "```\n[x]: javascript:alert(1)\n```",
        ]
        let hostile = [
            "a <b>tag</b> <script>alert(1)</script>", "[x](javascript:alert(1))", "![i](https://tracker.invalid/p.png)",
            "```\nopen fence", "[x]: javascript:alert(1)", "<img src=x onerror=alert(1)>",
        ]
        for text in kept { #expect(Markdown.inertText(text) != nil, "\(text.debugDescription)") }
        let pieces = kept.compactMap(Markdown.inertText) + hostile.map(Markdown.defanged)
        for a in pieces {
            for b in pieces {
                for quote in ["", "> "] {
                    let combined = (a + "\n" + b).split(separator: "\n", omittingEmptySubsequences: false).map { quote + $0 }.joined(separator: "\n")
                    let html = Markdown.html(combined)
                    let lowered = html.lowercased()
                    #expect(!lowered.contains("<script") && !lowered.contains("<img") && !lowered.contains("<b>"), "\(combined.debugDescription)")
                    for href in html.components(separatedBy: "href=\"").dropFirst() {
                        let url = String(href.prefix { $0 != "\"" })
                        #expect(Markdown.isSafeURL(url), "\(url) in \(combined.debugDescription)")
                    }
                }
            }
        }
    }

    @Test func fencesAreLongerThanAnyBacktickRunInside() {
        #expect(Markdown.fenced("a ```` b", info: "js<") == "`````js\na ```` b\n`````\n")
    }
}
