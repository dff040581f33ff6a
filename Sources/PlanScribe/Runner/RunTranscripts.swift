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
        var env = environment
        if let dir = state.claudeConfigDir { env["CLAUDE_CONFIG_DIR"] = dir }
        let files = self.files(of: Set(state.phases.compactMap(\.sessionID)), workspace: state.workspace, environment: env)
        guard !files.isEmpty, let sources = try? TranscriptLocator.locate(files) else { return [] }
        var filter = DuplicateFilter()
        let reader = SessionReader(redactSecrets: redactSecrets)
        return sources.compactMap { try? reader.read($0, filter: &filter) }
    }

    /// The CLI's own running total of a session, from the last `cost-state` line of its
    /// transcript (written as an invocation ends, also when it is ended by SIGTERM), or nil.
    ///
    /// - Parameters:
    ///   - sessionID: the session.
    ///   - workspace: the folder the CLI ran in.
    ///   - environment: the CLI's environment (its `CLAUDE_CONFIG_DIR`).
    public static func reportedTotal(of sessionID: String, workspace: String, environment: [String: String]) -> Double? {
        guard let file = files(of: [sessionID], workspace: workspace, environment: environment).first,
            let source = try? TranscriptLocator.locate([file]).first
        else { return nil }
        var filter = DuplicateFilter()
        return (try? SessionReader(detail: .usage).read(source, filter: &filter))?.reportedCostUSD
    }

    /// The main transcript files of some sessions: in the workspace's project folder first,
    /// then in every project folder of the config folder the environment names.
    static func files(of ids: Set<String>, workspace: String, environment: [String: String]) -> [String] {
        guard !ids.isEmpty else { return [] }
        let projects = TranscriptLocator.defaultProjectsFolder(environment: environment)
        var folders: [String] = []
        if let folder = try? TranscriptLocator.projectFolder(for: workspace, in: projects) { folders.append(folder) }
        folders += ((try? FileManager.default.contentsOfDirectory(atPath: projects)) ?? []).sorted().map { projects + "/" + $0 }
        var files: [String] = []
        var found = Set<String>()
        for folder in folders {
            for id in ids.subtracting(found).sorted() where FileManager.default.fileExists(atPath: folder + "/" + id + ".jsonl") {
                files.append(folder + "/" + id + ".jsonl")
                found.insert(id)
            }
            if found == ids { break }
        }
        return files
    }
}
