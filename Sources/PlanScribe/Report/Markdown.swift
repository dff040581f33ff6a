import CMarkGFM
import Foundation

/// Renders Markdown to HTML with cmark-gfm: GitHub tables, strikethrough, autolinks, task
/// lists and the tag filter, in safe mode (raw HTML omitted, `javascript:` links emptied).
///
/// The only file that touches the C library. Every call builds and frees its own parser and
/// tree, so it holds no state and is safe to use from concurrent tasks.
public enum Markdown {
    private static let extensionNames = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]

    /// The HTML for a Markdown text.
    ///
    /// - Parameter markdown: Markdown from a transcript or a template.
    /// - Returns: an HTML fragment.
    public static func html(_ markdown: String) -> String {
        ExtensionRegistration.ensure()
        let options = CMARK_OPT_SAFE | CMARK_OPT_GITHUB_PRE_LANG | CMARK_OPT_FOOTNOTES
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        markdown.withCString { cmark_parser_feed(parser, $0, strlen($0)) }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
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
