import Foundation
import Mustache
import PlanScribeTemplates

/// Why report templates could not be used.
public enum TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The built-in templates were not installed beside the executable.
    case builtInsMissing
    /// A template file cannot be read.
    case unreadable(path: String, reason: String)
    /// A template does not parse.
    case invalid(path: String, line: Int, column: Int, reason: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .builtInsMissing:
            return "the built-in templates (\(PlanScribeTemplates.bundleName).resources) are not beside the planscribe executable: copy that folder next to it, or pass --templates DIR"
        case .unreadable(let path, let reason):
            return "\(path): cannot read template: \(reason)"
        case .invalid(let path, let line, let column, let reason):
            return "\(path):\(line):\(column): invalid template: \(reason)"
        }
    }
}

/// The report templates: the built-in ones, each replaceable by a file of the same name in
/// an override folder.
public struct TemplateSet: Sendable {
    /// HTML templates and partials, by name.
    public static let htmlNames = ["index.html", "phase.html", "projects.html", "diff.html", "head", "phase-strip", "cost-table", "message"]
    /// Markdown templates, by name.
    public static let markdownNames = ["phase.md", "report.md", "job-summary.md"]

    let html: MustacheLibrary
    let markdown: MustacheLibrary
    /// The HTML library with the message partial replaced by `{{{rendered}}}`, the cost table
    /// by `{{{cost_table_html}}}` and the phase strip by `{{{strip_html}}}`: used for phase
    /// pages and the index when the built-in phase page and those partials are in use, whose
    /// output ``MessageHTML``, ``CostTableHTML`` and ``PhaseStripHTML`` write natively (the
    /// same bytes, without Mustache's lookups).
    let nativePhaseHTML: MustacheLibrary?
    /// The style sheet inlined into every page.
    public let css: String
    /// The search script inlined into a report's index page (`html/search.js`): the one
    /// script a page may run, allowed by its hash; empty for none.
    public let searchScript: String
    /// Where each template came from, by name (for diagnostics and cache keys).
    public let sources: [String: String]
    /// A hash of every template's text: changes when any template changes.
    public let fingerprint: String

    /// Loads the templates.
    ///
    /// - Parameter overrides: a folder whose `<name>.mustache` (or `html/<name>.mustache`,
    ///   `markdown/<name>.mustache`), `style.css` and `search.js` files replace the built-in ones.
    /// - Throws: ``TemplateError`` naming the file and the reason.
    public static func load(overrides: String? = nil) throws -> TemplateSet {
        let builtIn = PlanScribeTemplates.folder
        func locate(_ file: String, in group: String) throws -> String {
            if let overrides {
                for candidate in [overrides + "/" + file, overrides + "/" + group + "/" + file]
                where FileManager.default.fileExists(atPath: candidate) {
                    return candidate
                }
            }
            guard let builtIn else { throw TemplateError.builtInsMissing }
            return builtIn.appendingPathComponent(group).appendingPathComponent(file).path
        }
        func read(_ path: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TemplateError.unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw TemplateError.unreadable(path: path, reason: "not UTF-8 text")
            }
            return text
        }
        var sources: [String: String] = [:]
        // Every template's text: hashed into the fingerprint, and by name.
        var hashed: [String] = []
        var texts: [String: String] = [:]
        func library(_ names: [String], group: String) throws -> MustacheLibrary {
            var library = MustacheLibrary()
            for name in names {
                let path = try locate(name + ".mustache", in: group)
                sources[name] = path
                // HTML templates escape as planscribe's own writers do (``HTMLText``): one
                // escaper for every byte of a page. On a line of its own, so that it writes
                // nothing and the template's first line stays standalone.
                let pragma = group == "html" ? HTMLText.mustachePragma + "\n" : ""
                do {
                    let text = try read(path)
                    hashed.append(name + "\u{0}" + text)
                    texts[name] = text
                    library.register(try MustacheTemplate(string: pragma + text), named: name)
                } catch let error as MustacheTemplate.ParserError {
                    let shift = pragma.isEmpty ? 0 : 1
                    throw TemplateError.invalid(
                        path: path, line: max(1, error.context.lineNumber - shift), column: error.context.columnNumber,
                        reason: String(describing: error.error))
                }
            }
            return library
        }
        let html = try library(htmlNames, group: "html")
        let markdown = try library(markdownNames, group: "markdown")
        let cssPath = try locate("style.css", in: "html")
        sources["style.css"] = cssPath
        let css = try read(cssPath)
        hashed.append("style.css\u{0}" + css)
        let scriptPath = try locate("search.js", in: "html")
        sources["search.js"] = scriptPath
        let searchScript = try read(scriptPath)
        if searchScript.range(of: "</script", options: .caseInsensitive) != nil {
            throw TemplateError.unreadable(path: scriptPath, reason: "it holds \"</script\", which would end the page's script there")
        }
        hashed.append("search.js\u{0}" + searchScript)
        let fingerprint = String(StableHash.of(hashed.joined(separator: "\u{1}")), radix: 16)
        var native: MustacheLibrary?
        let builtInPhasePage = ["phase.html", "message", "cost-table", "phase-strip"].allSatisfy { name in
            sources[name].map { $0.hasPrefix(builtIn?.path ?? "\u{0}") } ?? false
        }
        if builtInPhasePage {
            var library = html
            library.register(try MustacheTemplate(string: "{{{rendered}}}"), named: "message")
            library.register(try MustacheTemplate(string: "{{{cost_table_html}}}"), named: "cost-table")
            library.register(try MustacheTemplate(string: "{{{strip_html}}}"), named: "phase-strip")
            native = library
        }
        return TemplateSet(
            html: html, markdown: markdown, nativePhaseHTML: native, css: css, searchScript: searchScript, sources: sources, fingerprint: fingerprint)
    }

    /// True when phase pages may be written with native partials (see ``nativePhaseHTML``).
    var rendersPhasePagesNatively: Bool { nativePhaseHTML != nil }

    /// Renders an HTML page template; with `nativePartials`, each message context holds only
    /// its HTML under `rendered`, and the page's cost table and phase strip are
    /// `cost_table_html` and `strip_html`.
    func renderHTML(_ name: String, _ context: [String: Any], nativePartials: Bool = false) -> String {
        ((nativePartials ? nativePhaseHTML : nil) ?? html).render(context, withTemplate: name) ?? ""
    }

    /// Renders a Markdown template.
    func renderMarkdown(_ name: String, _ context: [String: Any]) -> String {
        markdown.render(context, withTemplate: name) ?? ""
    }
}

extension TemplateError: PlanScribeError {
    /// A user's template is input; missing built-in templates are a broken installation.
    public var isInputError: Bool { self != .builtInsMissing }
}
