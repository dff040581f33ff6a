import Foundation

/// A Markdown file from an artifacts folder, shown with the phase whose name it mentions.
public struct ExternalArtifact: Sendable, Hashable {
    /// The path relative to the folder.
    public var name: String
    /// The file's text.
    public var text: String

    /// Creates an artifact.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// The Markdown files (`*.md`) under a folder, sorted by path. Files that are not UTF-8
    /// or larger than 2 MB are left out.
    ///
    /// - Parameter folder: the folder.
    /// - Throws: ``TranscriptError/notFound(path:)`` when the folder does not exist.
    public static func load(folder: String) throws -> [ExternalArtifact] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw TranscriptError.notFound(path: folder)
        }
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [ExternalArtifact] = []
        while let relative = walker.nextObject() as? String {
            guard relative.lowercased().hasSuffix(".md") else { continue }
            let path = (folder as NSString).appendingPathComponent(relative)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                (attributes[.type] as? FileAttributeType) == .typeRegular,
                let size = attributes[.size] as? Int, size <= 2_000_000,
                let data = FileManager.default.contents(atPath: path),
                let text = String(data: data, encoding: .utf8)
            else { continue }
            found.append(ExternalArtifact(name: relative, text: text))
        }
        return found.sorted { $0.name < $1.name }
    }
}

/// What a phase produced: files its Write and Edit calls touched (subagents included) and
/// the external artifacts whose names mention it.
struct ArtifactCollector: Sendable {
    struct Item: Sendable {
        var name: String
        var source: String
        var markdown: String?
        var text: String?
    }

    private var byPhase: [Int: [Item]] = [:]

    init(run: ReportRun, options: ReportOptions) {
        var claimed = Set<String>()
        for (i, p) in run.phases.enumerated() {
            var items: [Item] = []
            if let phase = p.phase, let session = p.session {
                items = Self.written(phase, session: session)
            }
            if let slug = p.phase?.name?.slug {
                let short = slug.replacingOccurrences(of: "plan-", with: "")
                for artifact in options.externalArtifacts where !claimed.contains(artifact.name) {
                    let lower = artifact.name.lowercased()
                    if lower.contains(slug) || lower.contains(short) {
                        claimed.insert(artifact.name)
                        let text = options.redactSecrets ? Redactor.redact(artifact.text) : artifact.text
                        items.append(Item(name: artifact.name, source: "from the artifacts folder", markdown: text, text: nil))
                    }
                }
            }
            byPhase[i] = items
        }
        // Artifacts that name no phase are shown with the last phase.
        let rest = options.externalArtifacts.filter { !claimed.contains($0.name) }
        if !rest.isEmpty, !run.phases.isEmpty {
            byPhase[run.phases.count - 1, default: []].append(
                contentsOf: rest.map {
                    Item(name: $0.name, source: "from the artifacts folder", markdown: options.redactSecrets ? Redactor.redact($0.text) : $0.text, text: nil)
                })
        }
    }

    func items(for phase: ReportPhase) -> [Item] {
        byPhase[phase.number - 1] ?? []
    }

    private static func written(_ phase: Phase, session: Session) -> [Item] {
        var order: [String] = []
        var items: [String: Item] = [:]
        var edits: [String: Int] = [:]
        let agents = Dictionary(session.subagents.compactMap { s in s.toolUseID.map { ($0, s) } }, uniquingKeysWith: { a, _ in a })
        func visit(_ messages: [Message], depth: Int) {
            for m in messages {
                for use in m.toolUses {
                    if let sub = agents[use.id], depth < 4 { visit(sub.messages, depth: depth + 1) }
                    guard let path = use.input["file_path"]?.stringValue ?? use.input["notebook_path"]?.stringValue else { continue }
                    if items[path] == nil { order.append(path) }
                    switch use.name {
                    case "Write":
                        let content = use.input["content"]?.stringValue ?? ""
                        let isMarkdown = path.lowercased().hasSuffix(".md") || path.lowercased().hasSuffix(".markdown")
                        items[path] = Item(name: path, source: "written by the Write tool", markdown: isMarkdown ? content : nil, text: isMarkdown ? nil : content)
                    case "Edit", "MultiEdit", "NotebookEdit":
                        edits[path, default: 0] += 1
                        if items[path] == nil || items[path]?.source.hasPrefix("edited") == true {
                            items[path] = Item(name: path, source: "edited " + Figures.plural(edits[path]!, "time"), markdown: nil, text: nil)
                        }
                    default:
                        if items[path] == nil { order.removeLast() }
                    }
                }
            }
        }
        visit(phase.turns.flatMap { [$0.prompt].compactMap { $0 } + $0.messages }, depth: 0)
        return order.compactMap { items[$0] }
    }
}
