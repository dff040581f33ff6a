import CMarkGFM
import Foundation

/// Markdown through cmark-gfm: GitHub tables, strikethrough, autolinks, task lists and the
/// tag filter, in safe mode. Raw HTML in the Markdown is shown as code (visible, never
/// interpreted), `javascript:`, `vbscript:`, `file:` and non-image `data:` links are emptied,
/// and images become links so that opening a report fetches nothing.
///
/// The only file that touches the C library. Every call builds and frees its own parser and
/// tree; parsing, which shares state inside the library (see ``parsing``), runs under a
/// lock, so it is safe to use from concurrent tasks.
public enum Markdown {
    private static let extensionNames = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]

    /// Held while cmark-gfm parses (`cmark_parser_feed` and `cmark_parser_finish`).
    /// cmark-gfm keeps the characters its extensions react to (`~` for strikethrough, `:`
    /// and `w` for autolinks) in one process-wide table, adds them when a parser starts on
    /// inlines (a document's, or a table row's while blocks are fed) and takes them out when
    /// it is done: a parse on another thread at that moment would miss strikethrough and
    /// autolinks, and the same input would give different reports. Defanging the tree and writing
    /// HTML or Markdown run in parallel.
    private static let parsing = ParseLock()

    /// Runs `body`, which attaches extensions to, feeds or finishes a cmark-gfm parser,
    /// holding ``parsing``, with the extensions registered. Any code in the process that
    /// parses with cmark-gfm must go through here.
    static func whileParsing<T>(_ body: () throws -> T) rethrows -> T {
        parsing.lock()
        defer { parsing.unlock() }
        ExtensionRegistration.ensure()
        return try body()
    }

    /// A mutex that spins a little before it sleeps (glibc's adaptive mutex): parses are
    /// short, and sleeping and waking a thread for each costs more than the parse.
    private final class ParseLock: @unchecked Sendable {
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

        init() {
            var attributes = pthread_mutexattr_t()
            pthread_mutexattr_init(&attributes)
            #if os(Linux)
                pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
            #endif
            pthread_mutex_init(mutex, &attributes)
            pthread_mutexattr_destroy(&attributes)
        }

        func lock() { pthread_mutex_lock(mutex) }
        func unlock() { pthread_mutex_unlock(mutex) }
    }

    /// The HTML for a Markdown text.
    ///
    /// - Parameter markdown: Markdown from a transcript or a template.
    /// - Returns: an HTML fragment in which nothing can run.
    public static func html(_ markdown: String) -> String {
        PlainMarkdown.html(markdown) ?? parsedHTML(markdown)
    }

    /// ``html(_:)`` always through cmark.
    static func parsedHTML(_ markdown: String) -> String {
        render(markdown) { document, parser, options in
            makeSafe(document)
            return cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser))
        }
    }

    /// The same Markdown with raw HTML turned into visible code, dangerous links removed and
    /// images turned into links, for Markdown outputs (report.md, job summaries) that other
    /// tools render.
    ///
    /// - Parameter markdown: Markdown from a transcript.
    /// - Returns: CommonMark (with GFM tables) that holds no raw HTML.
    public static func defanged(_ markdown: String) -> String {
        inertText(markdown) ?? rewritten(markdown)
    }

    /// ``defanged(_:)`` always through cmark: parsed, defanged and written out again.
    static func rewritten(_ markdown: String) -> String {
        render(markdown) { document, parser, options in
            makeSafe(document)
            return cmark_render_commonmark(document, options, 0)
        }
    }

    /// Markdown that can be kept as it is written (see ``InertMarkdown``: no raw HTML, no
    /// image, no link reference definition, no link but a safe one and every code fence
    /// closed, wherever the text is put), so it needs no defanging and cmark's Markdown
    /// writer (the slowest part of a report) can be skipped. Leading and trailing line feeds
    /// go, and the text ends with one, as cmark's output does. Nil when the text needs cmark.
    static func inertText(_ markdown: String) -> String? {
        var copy = markdown
        return copy.withUTF8 { bytes -> String? in
            guard InertMarkdown.isInert(bytes) else { return nil }
            // Only line feeds: trailing spaces and tabs belong to an indented code block's text.
            var start = 0
            var end = bytes.count
            while end > 0, bytes[end - 1] == 0x0A { end -= 1 }
            while start < end, bytes[start] == 0x0A { start += 1 }
            guard start < end else { return "" }
            var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            text += "\n"
            return text
        }
    }

    /// A fenced code block that no content can break out of: the fence is longer than any
    /// run of backticks inside.
    ///
    /// - Parameters:
    ///   - text: the block's content, shown verbatim.
    ///   - info: the info string (a language), optional.
    public static func fenced(_ text: String, info: String = "") -> String {
        // The longest run of backticks: memchr from one to the next.
        var longest = 0
        var copy = text
        copy.withUTF8 { bytes in
            var runEnd = 0
            bytes.forEachOffset(of: 0x60) { start in
                guard start >= runEnd else { return true }  // inside the run just measured
                runEnd = start
                while runEnd < bytes.count && bytes[runEnd] == 0x60 { runEnd += 1 }
                longest = max(longest, runEnd - start)
                return true
            }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let safeInfo = info.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "+" }
        let body = text.hasSuffix("\n") ? text : text + "\n"
        return fence + safeInfo + "\n" + body + fence + "\n"
    }

    private static func render(
        _ markdown: String,
        _ output: (OpaquePointer, OpaquePointer, Int32) -> UnsafeMutablePointer<CChar>?
    ) -> String {
        let options = CMARK_OPT_SAFE | CMARK_OPT_GITHUB_PRE_LANG
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        var text = markdown
        let finished = whileParsing {
            for name in extensionNames {
                if let ext = cmark_find_syntax_extension(name) {
                    cmark_parser_attach_syntax_extension(parser, ext)
                }
            }
            return text.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    cmark_parser_feed(parser, chars.baseAddress, chars.count)
                }
                return cmark_parser_finish(parser)
            }
        }
        guard let document = finished else { return "" }
        defer { cmark_node_free(document) }
        guard let rendered = output(document, parser, options) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// Walks the tree, calling `visit` on every node as it is entered.
    private static func walk(_ document: OpaquePointer, _ visit: (OpaquePointer) -> Void) {
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        var nodes: [OpaquePointer] = []
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) { nodes.append(node) }
        }
        // Visit after iterating, so that visits may replace nodes.
        for node in nodes { visit(node) }
    }

    /// In one walk: raw HTML becomes code (visible, never interpreted), links to script,
    /// files or non-image data are emptied, and images, which would load from the network
    /// when the report is opened, become links (with their alt text, or "image").
    private static func makeSafe(_ document: OpaquePointer) {
        walk(document) { node in
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE {
                let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                guard let replacement = cmark_node_new(type == CMARK_NODE_HTML_BLOCK ? CMARK_NODE_CODE_BLOCK : CMARK_NODE_CODE) else { return }
                _ = cmark_node_set_literal(replacement, literal)
                _ = cmark_node_replace(node, replacement)
                cmark_node_free(node)
            } else if type == CMARK_NODE_LINK {
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                if !isSafeURL(url) { _ = cmark_node_set_url(node, "") }
            } else if type == CMARK_NODE_IMAGE {
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                guard let link = cmark_node_new(CMARK_NODE_LINK) else { return }
                _ = cmark_node_set_url(link, isSafeURL(url) ? url : "")
                // Move the image's alt text (its children) into the link; they are visited
                // after it, where they now are.
                while let child = cmark_node_first_child(node) {
                    cmark_node_unlink(child)
                    _ = cmark_node_append_child(link, child)
                }
                if cmark_node_first_child(link) == nil, let label = cmark_node_new(CMARK_NODE_TEXT) {
                    _ = cmark_node_set_literal(label, "image")
                    _ = cmark_node_append_child(link, label)
                }
                _ = cmark_node_replace(node, link)
                cmark_node_free(node)
            }
        }
    }

    /// Schemes whose links are emptied (`data:` only when it is not a raster image).
    static let unsafeSchemes = ["javascript:", "vbscript:", "file:", "data:"]

    /// Whether a link target may stay: anything but script-capable schemes.
    static func isSafeURL(_ url: String) -> Bool {
        let bytes = url.utf8
        let hasPrefix: (String) -> Bool
        if bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            // Printable ASCII without spaces (nearly every link): compared byte by byte.
            hasPrefix = { scheme in bytes.count >= scheme.utf8.count && zip(bytes, scheme.utf8).allSatisfy { $0 | 0x20 == $1 } }
        } else {
            let lowered = url.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                .filter { !$0.isWhitespace && $0 != "\0" }
            hasPrefix = { lowered.hasPrefix($0) }
        }
        for scheme in unsafeSchemes where hasPrefix(scheme) {
            return scheme == "data:" && hasPrefix("data:image/") && !hasPrefix("data:image/svg")
        }
        return true
    }

    /// Registers the GFM extensions once per process (cmark keeps them in a registry).
    private enum ExtensionRegistration {
        static let done: Bool = {
            cmark_gfm_core_extensions_ensure_registered()
            return true
        }()

        static func ensure() { _ = done }
    }
}
