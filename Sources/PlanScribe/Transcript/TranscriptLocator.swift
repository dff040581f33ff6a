import Foundation

/// Finds session transcripts: in one file, a project folder, or a whole projects tree.
public enum TranscriptLocator {
    /// The `projects/` folder Claude Code writes to: under `$CLAUDE_CONFIG_DIR`, else `~/.claude`.
    ///
    /// - Parameter environment: the process environment.
    /// - Returns: the folder's path.
    public static func defaultProjectsFolder(environment: [String: String]) -> String {
        (configFolder(environment: environment) as NSString).appendingPathComponent("projects")
    }

    /// Claude Code's config folder: `$CLAUDE_CONFIG_DIR`, else `~/.claude`.
    ///
    /// - Parameter environment: the process environment.
    public static func configFolder(environment: [String: String]) -> String {
        if let dir = environment["CLAUDE_CONFIG_DIR"], !dir.isEmpty { return dir }
        return ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".claude")
    }

    /// Claude Code's folder name for a working directory: every character outside
    /// `[A-Za-z0-9]` becomes `-`. The encoding is lossy; the real path is in the files.
    ///
    /// - Parameter workingDirectory: an absolute path.
    /// - Returns: the folder name.
    public static func projectFolderName(for workingDirectory: String) -> String {
        String(
            workingDirectory.unicodeScalars.map { scalar -> Character in
                let v = scalar.value
                let alnum = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
                return alnum ? Character(scalar) : "-"
            })
    }

    /// The transcript folder of a working directory inside a projects folder. Names longer
    /// than 200 characters end in a hash the CLI computes; those match by their first 200.
    ///
    /// - Throws: ``TranscriptError/projectNotFound(workingDirectory:expectedFolder:)``.
    public static func projectFolder(for workingDirectory: String, in projectsFolder: String) throws -> String {
        let absolute = (workingDirectory as NSString).standardizingPath
        let resolved = (absolute as NSString).resolvingSymlinksInPath
        for candidate in [resolved, absolute] {
            let name = projectFolderName(for: candidate)
            let path = (projectsFolder as NSString).appendingPathComponent(name)
            if isDirectory(path) { return path }
            if name.count > 200, let entries = try? FileManager.default.contentsOfDirectory(atPath: projectsFolder) {
                let prefix = String(name.prefix(200))
                if let hit = entries.sorted().first(where: { $0.hasPrefix(prefix) }) {
                    return (projectsFolder as NSString).appendingPathComponent(hit)
                }
            }
        }
        throw TranscriptError.projectNotFound(
            workingDirectory: workingDirectory,
            expectedFolder: (projectsFolder as NSString).appendingPathComponent(projectFolderName(for: resolved)))
    }

    /// Finds every session under the given paths, in the order they started.
    ///
    /// - Parameter paths: session files, project folders or projects trees.
    /// - Returns: one source per session, ordered by first timestamp, then path.
    /// - Throws: ``TranscriptError`` when a path does not exist, cannot be read, or holds no
    ///   transcripts.
    public static func locate(_ paths: [String]) throws -> [SessionSource] {
        var captures: [String] = []
        return try locate(paths, streamCaptures: &captures)
    }

    /// Finds every session under the given paths, in the order they started, leaving out the
    /// files that are the CLI's stream-json output rather than transcripts (`planscribe run`
    /// keeps a copy of each invocation's in `run/stream/`): read as transcripts they would be
    /// sessions without a message.
    ///
    /// - Parameters:
    ///   - paths: session files, project folders or projects trees.
    ///   - streamCaptures: set to the stream-json files left out.
    /// - Returns: one source per session, ordered by first timestamp, then path.
    /// - Throws: ``TranscriptError`` when a path does not exist, cannot be read, or holds no
    ///   transcripts.
    public static func locate(_ paths: [String], streamCaptures: inout [String]) throws -> [SessionSource] {
        var sessions: [String] = []
        var subagentFiles: [String] = []
        var looseAgents: [String] = []
        for path in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw TranscriptError.notFound(path: path)
            }
            if !isDir.boolValue {
                guard FileManager.default.isReadableFile(atPath: path) else {
                    throw TranscriptError.unreadable(path: path, reason: "permission denied")
                }
                sessions.append(path)
                let stem = path.hasSuffix(".jsonl") ? String(path.dropLast(6)) : path
                subagentFiles.append(contentsOf: jsonlFiles(under: stem + "/subagents"))
                let dir = (path as NSString).deletingLastPathComponent
                if let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) {
                    looseAgents.append(
                        contentsOf: entries.filter { $0.hasPrefix("agent-") && $0.hasSuffix(".jsonl") }
                            .map { (dir as NSString).appendingPathComponent($0) })
                }
                continue
            }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw TranscriptError.unreadable(path: path, reason: "permission denied")
            }
            let found = jsonlFiles(under: path)
            if found.isEmpty { throw TranscriptError.noTranscripts(path: path) }
            for file in found {
                let name = Paths.fileName(file)
                // A path with a folder named `subagents` anywhere in it.
                if ("/" + file + "/").contains("/subagents/") {
                    subagentFiles.append(file)
                } else if name.hasPrefix("agent-") {
                    looseAgents.append(file)
                } else {
                    sessions.append(file)
                }
            }
        }
        sessions = Array(Set(sessions)).sorted()
        var sources = sessions.map { SessionSource(file: $0) }
        var byStem: [String: Int] = [:]
        var byID: [String: [Int]] = [:]
        for (i, s) in sources.enumerated() {
            byStem[String(s.file.dropLast(s.file.hasSuffix(".jsonl") ? 6 : 0))] = i
            byID[s.sessionID, default: []].append(i)
        }
        for file in Set(subagentFiles).sorted() {
            // <stem>/subagents/…/agent-x.jsonl
            guard let range = file.range(of: "/subagents/", options: .backwards) else { continue }
            var stem = String(file[..<range.lowerBound])
            while byStem[stem] == nil, let r = stem.range(of: "/subagents/", options: .backwards) {
                stem = String(stem[..<r.lowerBound])
            }
            if let i = byStem[stem] { sources[i].subagentFiles.append(file) }
        }
        for file in Set(looseAgents).sorted() {
            // Old layout: agent-<id>.jsonl beside the sessions; its lines name the session.
            let dir = (file as NSString).deletingLastPathComponent
            if let id = firstField("sessionId", in: file),
                let i = byID[id]?.first(where: { (sources[$0].file as NSString).deletingLastPathComponent == dir })
            {
                sources[i].subagentFiles.append(file)
            } else if !sessions.contains(file) {
                sources.append(SessionSource(file: file))
            }
        }
        // One open and read per file: on every core (a tree has thousands of sessions).
        let stamps = IndexedSlots<String>(count: sources.count)
        let captured = IndexedSlots<Bool>(count: sources.count)
        let files = sources.map(\.file)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let head = head(of: files[i])
            if head.isStreamCapture {
                captured.set(i, true)
            } else if let stamp = head.firstTimestamp {
                stamps.set(i, stamp)
            }
        }
        var kept: [SessionSource] = []
        for i in sources.indices {
            if captured.take(i) == true {
                streamCaptures.append(sources[i].file)
                continue
            }
            sources[i].firstTimestamp = stamps.take(i)
            kept.append(sources[i])
        }
        if kept.isEmpty, !streamCaptures.isEmpty, let path = paths.first {
            throw TranscriptError.onlyStreamOutput(path: path, count: streamCaptures.count)
        }
        sources = kept
        sources = onePerSession(sources)
        return sources.sorted { ($0.firstTimestamp ?? "", $0.file) < ($1.firstTimestamp ?? "", $1.file) }
    }

    /// One source per session id: when several files hold the same session (a copied
    /// projects tree), the largest is read (ties: the first path) and the others are named in
    /// its ``SessionSource/copies``.
    private static func onePerSession(_ sources: [SessionSource]) -> [SessionSource] {
        var byID: [String: [Int]] = [:]
        for (i, s) in sources.enumerated() { byID[s.sessionID, default: []].append(i) }
        guard byID.count < sources.count else { return sources }
        func size(_ file: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int) ?? 0 }
        var dropped = Set<Int>()
        var kept = sources
        for (_, indices) in byID where indices.count > 1 {
            let ranked = indices.map { ($0, size(sources[$0].file)) }.sorted { ($1.1, sources[$0.0].file) < ($0.1, sources[$1.0].file) }
            let keep = ranked[0].0
            kept[keep].copies = ranked.dropFirst().map { sources[$0.0].file }
            for (i, _) in ranked.dropFirst() { dropped.insert(i) }
        }
        return kept.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Every path under `folder` whose name ends in `.jsonl`, walked with `readdir`
    /// (FileManager's enumerator took 57 ms of a 1 GB tree's `cost`, before any reading).
    /// Symbolic links to folders are not followed, as FileManager does not.
    static func jsonlFiles(under folder: String) -> [String] {
        guard isDirectory(folder) else { return [] }
        let root = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        // The folder itself, then its subfolders (project folders) on every core.
        let (rootFiles, folders) = entries(of: root)
        var files = rootFiles
        let found = IndexedSlots<[String]>(count: folders.count)
        DispatchQueue.concurrentPerform(iterations: folders.count) { i in
            var files: [String] = []
            var pending = [folders[i]]
            while let dir = pending.popLast() {
                let (more, subfolders) = entries(of: dir)
                files += more
                pending += subfolders
            }
            found.set(i, files)
        }
        for i in folders.indices { files += found.take(i) ?? [] }
        return files.sorted()
    }

    /// The `*.jsonl` entries of a folder and its subfolders (not followed into).
    private static func entries(of dir: String) -> (files: [String], folders: [String]) {
        var files: [String] = []
        var folders: [String] = []
        guard let stream = opendir(dir) else { return ([], []) }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            if name == "." || name == ".." { continue }
            let path = dir + "/" + name
            // Everything named *.jsonl is kept, folders and pipes too: the reader refuses
            // what is not a regular file with a message, rather than passing over it in silence.
            if name.hasSuffix(".jsonl") { files.append(path) }
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                type = lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : 0
            }
            if type == UInt8(DT_DIR) { folders.append(path) }
        }
        return (files, folders)
    }

    /// What the head of a session file says: whether it is the CLI's stream-json output
    /// (`claude -p --output-format stream-json`), else the first timestamp of its lines. A
    /// stream's first line is an event (`system`/`init` mostly, `system`/`status` for a
    /// compaction) naming the session `session_id`; a transcript's lines say `sessionId`, or
    /// name no session. One read of the file serves both.
    static func head(of path: String) -> (isStreamCapture: Bool, firstTimestamp: String?) {
        var isStream = false
        var stamp: String?
        scanHead(path) { line, index in
            if index == 0, isStreamEvent(line) {
                isStream = true
                return true
            }
            stamp = LineSniffer.sniff(line)?.timestamp
            return stamp != nil
        }
        return (isStream, isStream ? nil : stamp)
    }

    /// An event of the CLI's stream-json output: it names the session `session_id`.
    private static func isStreamEvent(_ line: UnsafeRawBufferPointer) -> Bool {
        // Most first lines are a transcript's: found without decoding, by the key's bytes.
        guard Self.sessionIDKey.withUnsafeBytes({ line.offset(after: $0) }) != nil,
            case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(line))
        else { return false }
        func value(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }
        return value("type")?.stringValue != nil && value("session_id")?.stringValue != nil && value("sessionId") == nil
    }

    private static let sessionIDKey = Array("\"session_id\"".utf8)

    /// The first string value of a top-level `field` (such as `cwd` or `timestamp`) in the
    /// first 256 KB of a transcript, or nil.
    public static func firstField(_ field: String, in path: String) -> String? {
        var found: String?
        scanHead(path) { line, _ in
            if field == "timestamp" {
                found = LineSniffer.sniff(line)?.timestamp
            } else if let object = try? JSONDecoder().decode(JSONValue.self, from: Data(line)) {
                found = object[field]?.stringValue
            }
            return found != nil
        }
        return found
    }

    /// Hands `body` each whole line of the first 256 KB of a file, in order with its index,
    /// until it returns true. Most files say what is wanted on their first line: 16 KB are read
    /// first, the rest only when needed.
    private static func scanHead(_ path: String, _ body: (UnsafeRawBufferPointer, Int) -> Bool) {
        guard FileKind.isRegularFile(path), let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        var data = Data()
        var seen = 0
        for chunk in [16 * 1024, 240 * 1024] {
            guard let more = try? handle.read(upToCount: chunk), !more.isEmpty else { return }
            data.append(more)
            let complete = more.count < chunk
            var index = 0
            var done = false
            data.withUnsafeBytes { bytes in
                LineScanner.scan(bytes) { line in
                    guard !done, line.isTerminated || complete else { return }
                    defer { index += 1 }
                    // Lines of the first read are not handed over again.
                    guard index >= seen else { return }
                    done = body(line.bytes, index)
                }
            }
            seen = index
            if done || complete { return }
        }
    }
}
