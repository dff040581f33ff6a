import Foundation

/// Remembers what a report was rendered from, so an unchanged input is not rendered again:
/// the key covers every transcript's path, size and modification time, planscribe's version,
/// the templates, the prices and the options. Its entries live in the user's cache folder,
/// not beside the report, so that a published report folder holds the report alone.
public struct ReportCache: Sendable {
    /// Where the cache entries live (one small file per project and output folder).
    public let folder: String

    /// Creates a cache in a folder.
    public init(folder: String) {
        self.folder = folder
    }

    /// The user's cache: `$XDG_CACHE_HOME/planscribe/renders`, else
    /// `~/.cache/planscribe/renders`; nil without a home folder.
    public static func userCache(environment: [String: String]) -> ReportCache? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return ReportCache(folder: xdg + "/planscribe/renders") }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return ReportCache(folder: home + "/.cache/planscribe/renders")
    }

    /// The key for rendering `sources` with these settings, or nil when a file cannot be
    /// examined (then nothing is cached).
    public static func key(sources: [SessionSource], templates: TemplateSet, prices: PriceTable, options: ReportOptions, title: String?) -> String? {
        guard options.stamp == nil else { return nil }
        var text = "planscribe \(PlanScribeVersion.current)\n"
        text += "templates \(templates.fingerprint)\n"
        text +=
            "prices "
            + prices.prices.keys.sorted().map { k in
                "\(k)=" + prices.prices[k]!.fingerprint
            }.joined(separator: ";") + "\n"
        text += "detail \(options.detail.rawValue) lines \(options.htmlOutputLines) title \(title ?? "-")\n"
        for artifact in options.externalArtifacts { text += "artifact \(artifact.name) \(StableHash.of(artifact.text))\n" }
        if let baseline = options.baseline { text += "baseline \(baseline.source) \(baseline.fingerprint)\n" }
        if !options.gates.isEmpty { text += "gates " + options.gates.map(\.description).joined(separator: " ") + "\n" }
        for source in sources {
            for file in [source.file] + source.subagentFiles {
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                    let size = attributes[.size] as? Int, let modified = attributes[.modificationDate] as? Date
                else { return nil }
                text += "\(file) \(size) \(modified.timeIntervalSince1970)\n"
                let meta = SubagentMeta.path(beside: file)
                if let m = try? FileManager.default.attributesOfItem(atPath: meta), let d = m[.modificationDate] as? Date {
                    text += "\(meta) \(d.timeIntervalSince1970)\n"
                }
            }
        }
        return String(StableHash.of(text), radix: 16) + "-" + String(text.utf8.count)
    }

    /// True when the report of `project` in `output` was rendered with this key and is still
    /// there whole.
    public func hit(project: String, output: String, key: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: entry(project, output)),
            let saved = try? JSONDecoder().decode(Entry.self, from: data), saved.key == key
        else { return false }
        return saved.files.allSatisfy { FileManager.default.fileExists(atPath: (output as NSString).appendingPathComponent($0)) }
    }

    /// Records a rendering.
    public func store(project: String, key: String, output: String, files: [String]) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(Entry(key: key, output: output, files: files)) {
            try? RunRecord.atomicWrite(data, to: entry(project, output))
        }
    }

    private func entry(_ project: String, _ output: String) -> String {
        let name = StableHash.of(Paths.absolute(project), "\u{0}", Paths.absolute(output))
        return (folder as NSString).appendingPathComponent(String(name, radix: 16) + ".json")
    }

    private struct Entry: Codable {
        var key: String
        var output: String
        var files: [String]
    }
}
