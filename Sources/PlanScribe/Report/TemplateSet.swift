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

/// The report templates. planscribe writes its HTML pages itself (``HTMLWriter``); a user's
/// folder may replace any page or component with a Mustache template of its name, which reads
/// the same model (``HTMLComponent/templateContext(_:)``). The Markdown files are written by
/// the built-in Markdown templates, each replaceable the same way.
public struct TemplateSet: Sendable {
    /// HTML pages and components a user's template may replace, by name.
    public static let htmlNames = ["index.html", "phase.html", "projects.html", "diff.html", "head", "phase-strip", "cost-table", "message"]
    /// Markdown templates, by name.
    public static let markdownNames = ["phase.md", "report.md", "job-summary.md"]

    /// What a user's page template gets for a component it does not replace: the component's
    /// HTML, as planscribe writes it, under this key.
    private static let standIns = ["head": "head_html", "phase-strip": "strip_html", "cost-table": "cost_table_html", "message": "rendered"]

    /// The user's HTML templates, and stand-ins (``standIns``) for the components they leave.
    let html: MustacheLibrary
    /// The HTML templates the user replaced.
    let overridden: Set<String>
    let markdown: MustacheLibrary
    /// The style sheet inlined into every page.
    public let css: String
    /// The search script inlined into a report's index page (`html/search.js`): the one
    /// script a page may run, allowed by its hash; empty for none.
    public let searchScript: String
    /// Where each template came from, by name (for diagnostics and cache keys); an HTML page
    /// or component planscribe writes itself has none.
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
        func override(_ file: String, in group: String) -> String? {
            guard let overrides else { return nil }
            return [overrides + "/" + file, overrides + "/" + group + "/" + file].first { FileManager.default.fileExists(atPath: $0) }
        }
        func locate(_ file: String, in group: String) throws -> String {
            if let path = override(file, in: group) { return path }
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
        // Every template's text: hashed into the fingerprint.
        var hashed: [String] = []
        func register(_ name: String, path: String, group: String, in library: inout MustacheLibrary) throws {
            sources[name] = path
            // HTML templates escape as planscribe's own writer does (``HTMLText``): one
            // escaper for every byte of a page. On a line of its own, so that it writes
            // nothing and the template's first line stays standalone.
            let pragma = group == "html" ? HTMLText.mustachePragma + "\n" : ""
            do {
                let text = try read(path)
                hashed.append(name + "\u{0}" + text)
                library.register(try MustacheTemplate(string: pragma + text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                let shift = pragma.isEmpty ? 0 : 1
                throw TemplateError.invalid(
                    path: path, line: max(1, error.context.lineNumber - shift), column: error.context.columnNumber,
                    reason: String(describing: error.error))
            }
        }
        var html = MustacheLibrary()
        var overridden = Set<String>()
        for name in htmlNames {
            if let path = override(name + ".mustache", in: "html") {
                try register(name, path: path, group: "html", in: &html)
                overridden.insert(name)
            } else if let key = standIns[name] {
                html.register(try MustacheTemplate(string: "{{{\(key)}}}"), named: name)
            }
        }
        var markdown = MustacheLibrary()
        for name in markdownNames {
            try register(name, path: try locate(name + ".mustache", in: "markdown"), group: "markdown", in: &markdown)
        }
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
        return TemplateSet(
            html: html, overridden: overridden, markdown: markdown, css: css, searchScript: searchScript, sources: sources, fingerprint: fingerprint)
    }

    /// True when the user's folder replaces the HTML page or component `name`.
    func isOverridden(_ name: String) -> Bool { overridden.contains(name) }

    /// The user's template `name` rendered with `context`; nil when planscribe writes it.
    func renderOverride(_ name: String, _ context: () -> [String: Any]) -> String? {
        guard overridden.contains(name) else { return nil }
        return html.render(context(), withTemplate: name) ?? ""
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
