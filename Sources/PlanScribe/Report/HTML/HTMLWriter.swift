/// A piece of an HTML page with a model of its own (a page, its head, the phase strip, a cost
/// table, a message bubble): written by planscribe, or by a user's Mustache template of
/// ``templateName`` when `--templates` has one.
protocol HTMLComponent {
    /// The name of the template that may replace it (`phase.html`, `cost-table`, …).
    static var templateName: String { get }
    /// What a user's template of that name reads (Templates/README.md lists the keys).
    func templateContext(_ templates: TemplateSet) -> [String: Any]
    /// Writes it as planscribe's own pages show it.
    func write(_ html: inout HTMLWriter)
}

/// Writes a page of HTML, the one writer of every page planscribe makes: text is escaped by
/// ``HTMLText`` (the escaper user templates get too), markup and HTML that is already safe go
/// in as they are, and each component is written natively or through the user's template of
/// its name. A large piece (a conversation) is kept as a piece of its own, never copied into
/// the page's string.
struct HTMLWriter {
    /// The templates: which components a user replaced.
    let templates: TemplateSet
    private var pieces: [Substring] = []
    private var out = ""

    init(templates: TemplateSet, capacity: Int = 0) {
        self.templates = templates
        out.reserveCapacity(capacity)
    }

    /// Writes `text`, escaped.
    mutating func text(_ text: String) {
        out += HTMLText.escape(text)
    }

    /// Writes markup, or HTML that planscribe has made safe (escaped, or cmark's safe output).
    mutating func markup(_ html: String) {
        out += html
    }

    /// Writes `text`, escaped, between two pieces of markup (`<p class="note">`, `</p>`).
    mutating func markup(_ open: String, text: String, _ close: String) {
        out += open
        out += HTMLText.escape(text)
        out += close
    }

    /// Writes a large piece of safe HTML without copying it into the page.
    mutating func piece(_ html: String) {
        if !out.isEmpty { pieces.append(Substring(out)) }
        out = ""
        pieces.append(Substring(html))
    }

    /// Writes a component: through the user's template of its name, or natively.
    mutating func component(_ component: some HTMLComponent) {
        if let rendered = templates.renderOverride(type(of: component).templateName, { component.templateContext(templates) }) {
            out += rendered
        } else {
            component.write(&self)
        }
    }

    /// The page's pieces, in order.
    consuming func finish() -> [Substring] {
        if !out.isEmpty { pieces.append(Substring(out)) }
        return pieces
    }

    /// A component's HTML as one string (for a user's page template, which takes the
    /// components it does not replace as HTML).
    static func html(of component: some HTMLComponent, _ templates: TemplateSet) -> String {
        var writer = HTMLWriter(templates: templates)
        writer.component(component)
        return writer.pieces.isEmpty ? writer.out : writer.finish().joined()
    }
}

/// The `<head>` of every page: its title, the style sheet, and the Content-Security-Policy,
/// which allows the search script by its hash on a page that has it.
struct PageHead: HTMLComponent {
    static let templateName = "head"
    var pageTitle: String
    var css: String
    /// The CSP source of the page's one script (`sha256-…`); nil for a page without script.
    var scriptHash: String?

    func templateContext(_ templates: TemplateSet) -> [String: Any] {
        ["page_title": pageTitle, "css": css, "script_hash": scriptHash ?? false]
    }

    func write(_ html: inout HTMLWriter) {
        html.markup(
            "<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:")
        if let scriptHash {
            html.markup("; script-src '", text: scriptHash, "'")
        }
        html.markup("\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>", text: pageTitle, "</title>\n<style>\n")
        html.markup(css)
        html.markup("\n</style>\n</head>\n")
    }
}

/// What every page has around its own content: the head, a title and subtitle, the footer.
struct PageFrame {
    var head: PageHead
    var title: String
    var subtitle: String
    var footer: String

    /// The keys every page template reads: `page_title`, `css`, `script_hash`, `title`,
    /// `subtitle`, `footer`, and `head_html` (the head, for a template that does not replace
    /// `head`).
    func templateContext(_ templates: TemplateSet) -> [String: Any] {
        var context = head.templateContext(templates)
        context["title"] = title
        context["subtitle"] = subtitle
        context["footer"] = footer
        context["head_html"] = HTMLWriter.html(of: head, templates)
        return context
    }

    /// From the doctype to `<main>`: the header holds the title and subtitle, or what
    /// `header` writes.
    func writeTop(_ html: inout HTMLWriter, header: ((inout HTMLWriter) -> Void)? = nil) {
        html.markup("<!DOCTYPE html>\n<html lang=\"en\">\n")
        html.component(head)
        html.markup("<body>\n<header class=\"top\">\n")
        if let header {
            header(&html)
        } else {
            html.markup("<h1>", text: title, "</h1>\n<p class=\"sub\">")
            html.text(subtitle)
            html.markup("</p>\n")
        }
        html.markup("</header>\n<main>\n")
    }

    /// From `</main>` to the end, with the footer; `beforeBody` goes just before `</body>`.
    func writeBottom(_ html: inout HTMLWriter, beforeBody: (inout HTMLWriter) -> Void = { _ in }) {
        html.markup("</main>\n<footer>", text: footer, "</footer>\n")
        beforeBody(&html)
        html.markup("</body>\n</html>\n")
    }
}

extension TemplateSet {
    /// A page's HTML, in pieces (written by planscribe, or by the user's page template).
    func page(_ page: some HTMLComponent) -> [Substring] {
        var writer = HTMLWriter(templates: self, capacity: 16_384)
        writer.component(page)
        return writer.finish()
    }
}
