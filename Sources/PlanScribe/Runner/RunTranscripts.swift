import Foundation

/// Finds the transcripts of a run's sessions.
public enum RunTranscripts {
    /// The transcripts of the sessions a run started: looked up in the project folder of
    /// the run's workspace, then in every project folder, under the CLI's config folder (the
    /// run's own with `--isolate`). Sessions not found are left out.
    ///
    /// - Parameters:
    ///   - state: the run state.
    ///   - environment: for `CLAUDE_CONFIG_DIR` and `HOME`.
    ///   - redactSecrets: replace secrets in every text (see ``Redactor``).
    public static func read(state: RunState, environment: [String: String], redactSecrets: Bool = true) -> [Session] {
        let ids = Set(state.phases.compactMap(\.sessionID))
        guard !ids.isEmpty else { return [] }
        var env = environment
        if let dir = state.claudeConfigDir { env["CLAUDE_CONFIG_DIR"] = dir }
        let projects = TranscriptLocator.defaultProjectsFolder(environment: env)
        var folders: [String] = []
        if let folder = try? TranscriptLocator.projectFolder(for: state.workspace, in: projects) { folders.append(folder) }
        folders += ((try? FileManager.default.contentsOfDirectory(atPath: projects)) ?? []).sorted().map { projects + "/" + $0 }
        var files: [String] = []
        var found = Set<String>()
        for folder in folders {
            for id in ids.subtracting(found) where FileManager.default.fileExists(atPath: folder + "/" + id + ".jsonl") {
                files.append(folder + "/" + id + ".jsonl")
                found.insert(id)
            }
            if found == ids { break }
        }
        guard let sources = try? TranscriptLocator.locate(files) else { return [] }
        var filter = DuplicateFilter()
        let reader = SessionReader(redactSecrets: redactSecrets)
        return sources.compactMap { try? reader.read($0, filter: &filter) }
    }
}

