import Foundation

/// Remembers what a report was rendered from, so an unchanged input is not rendered again:
/// the key covers every transcript's path, size and modification time, planscribe's version,
/// the templates, the prices and the options.
public struct ReportCache: Sendable {
    /// Where the cache entries live (one small file per project).
    public let folder: String

    /// Creates a cache in a folder.
    public init(folder: String) {
        self.folder = folder
    }

    /// The key for rendering `sources` with these settings, or nil when a file cannot be
    /// examined (then nothing is cached).
    public static func key(sources: [SessionSource], templates: TemplateSet, prices: PriceTable, options: ReportOptions, title: String?) -> String? {
        guard options.stamp == nil else { return nil }
        var text = "planscribe \(PlanScribeVersion.current)\n"
        text += "templates \(templates.fingerprint)\n"
        text += "prices " + prices.prices.keys.sorted().map { k in
            "\(k)=" + prices.prices[k]!.fingerprint
        }.joined(separator: ";") + "\n"
        text += "detail \(options.detail.rawValue) lines \(options.htmlOutputLines) title \(title ?? "-")\n"
        for artifact in options.externalArtifacts { text += "artifact \(artifact.name) \(StableHash.of(artifact.text))\n" }
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

    /// The output folder recorded for a project with this key, when its report is still
    /// there whole.
    public func hit(project: String, key: String) -> String? {
        guard let data = FileManager.default.contents(atPath: entry(project)),
            let saved = try? JSONDecoder().decode(Entry.self, from: data), saved.key == key
        else { return nil }
        for file in saved.files where !FileManager.default.fileExists(atPath: (saved.output as NSString).appendingPathComponent(file)) {
            return nil
        }
        return saved.output
    }

    /// Records a rendering.
    public func store(project: String, key: String, output: String, files: [String]) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(Entry(key: key, output: output, files: files)) {
            try? RunRecord.atomicWrite(data, to: entry(project))
        }
    }

    private func entry(_ project: String) -> String {
        (folder as NSString).appendingPathComponent(String(StableHash.of(project), radix: 16) + ".json")
    }

    private struct Entry: Codable {
        var key: String
        var output: String
        var files: [String]
    }
}
