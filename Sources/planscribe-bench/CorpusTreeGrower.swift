import Foundation

/// Grows a projects tree from real transcripts: every session under a folder (its main
/// file, its subagent files and their meta files) is written again and again, each copy with
/// fresh ids, until the tree has the size asked for. The lines are the transcripts' own, byte
/// for byte but for the ids, so the tree has their shapes: their tool results, subagents,
/// Markdown and odd lines, rather than the shapes ``TreeGenerator`` writes.
///
/// Within a copy every id is mapped the same way (a line's parent, a split message's
/// lines, a tool call and its result, a fork and the session it copied still meet); copies
/// share nothing, so each is a session of its own.
struct CorpusTreeGrower {
    /// One session of the source folder.
    struct Source {
        /// The main transcript.
        var main: String
        /// The session's id: the UUID its file name starts with.
        var sessionID: String
        /// Its subagent transcripts and their meta files.
        var subagentFiles: [String]
        /// The project folder it was in (its name is reused, numbered per copy).
        var project: String
    }

    var sources: [Source]
    var targetBytes: Int
    /// How many copies share a project folder.
    var copiesPerProject = 8

    /// The sessions under `folder`: every `.jsonl` file that is a transcript (its lines have
    /// a `sessionId`) and whose name starts with a UUID, with the `subagents/` folder beside it.
    static func sources(under folder: String) throws -> [Source] {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isFolder) else { throw GrowError("\(folder): no such folder") }
        guard isFolder.boolValue, let walker = fm.enumerator(atPath: folder) else { throw GrowError("\(folder): not a folder planscribe-bench can read") }
        var found: [Source] = []
        while let relative = walker.nextObject() as? String {
            let path = folder + "/" + relative
            let parts = relative.split(separator: "/")
            guard relative.hasSuffix(".jsonl"), !parts.contains("subagents"), let name = parts.last else { continue }
            let id = String(name.prefix(36))
            guard isUUID(Array(id.utf8)[...]), let head = fm.contents(atPath: path)?.prefix(64 * 1024),
                String(decoding: head, as: UTF8.self).contains("\"sessionId\"")
            else { continue }
            let dir = (path as NSString).deletingLastPathComponent
            let subagents = dir + "/" + id + "/subagents"
            let subagentFiles = ((try? fm.contentsOfDirectory(atPath: subagents)) ?? []).sorted().map { subagents + "/" + $0 }
            found.append(Source(main: path, sessionID: id, subagentFiles: subagentFiles, project: (dir as NSString).lastPathComponent))
        }
        guard !found.isEmpty else { throw GrowError("no transcripts under \(folder)") }
        return found.sorted { $0.main < $1.main }
    }

    struct GrowError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Writes the copies under `root/projects`.
    ///
    /// - Returns: how many sessions, files and bytes were written.
    func write(to root: String) throws -> TreeGenerator.Written {
        let fm = FileManager.default
        let projects = root + "/projects"
        try fm.createDirectory(atPath: projects, withIntermediateDirectories: true)
        let contents = try sources.map { source in
            try ([source.main] + source.subagentFiles).map { path -> [UInt8] in
                guard let data = fm.contents(atPath: path) else { throw GrowError("cannot read \(path)") }
                return [UInt8](data)
            }
        }
        var written = TreeGenerator.Written()
        var copy = 0
        while written.bytes < targetBytes {
            for (source, files) in zip(sources, contents) {
                let project = projects + "/" + source.project + "-\(copy / copiesPerProject + 1)"
                let session = Self.mappedUUID(Array(source.sessionID.utf8)[...], copy: copy)
                for (index, bytes) in files.enumerated() {
                    let path: String
                    if index == 0 {
                        path = project + "/" + session + ".jsonl"
                    } else {
                        let name = (source.subagentFiles[index - 1] as NSString).lastPathComponent.replacingOccurrences(of: ".trimmed", with: "")
                        path = project + "/" + session + "/subagents/" + name
                    }
                    try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    let out = Self.rewrite(bytes, copy: copy)
                    guard fm.createFile(atPath: path, contents: Data(out)) else { throw GrowError("cannot write \(path)") }
                    written.files += 1
                    written.bytes += out.count
                }
                written.sessions += 1
            }
            copy += 1
        }
        return written
    }

    /// `bytes` with every UUID and every `msg_`, `req_` and `toolu_` id replaced by the one
    /// `copy` maps it to; everything else as it was.
    static func rewrite(_ bytes: [UInt8], copy: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        let count = bytes.count
        while i < count {
            if i + 36 <= count, bytes[i + 8] == UInt8(ascii: "-"), isUUID(bytes[i..<(i + 36)]) {
                out.append(contentsOf: mappedUUID(bytes[i..<(i + 36)], copy: copy).utf8)
                i += 36
                continue
            }
            if let prefix = idPrefix(bytes, at: i) {
                out.append(contentsOf: bytes[i..<(i + prefix)])
                var end = i + prefix
                while end < count, isAlphanumeric(bytes[end]) { end += 1 }
                out.append(contentsOf: mappedRun(bytes[(i + prefix)..<end], copy: copy))
                i = end
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }

    private static let prefixes: [[UInt8]] = ["msg_", "req_", "toolu_"].map { Array($0.utf8) }

    /// The length of the id prefix at `at`, when one starts a word there.
    private static func idPrefix(_ bytes: [UInt8], at: Int) -> Int? {
        let first = bytes[at]
        guard first == UInt8(ascii: "m") || first == UInt8(ascii: "r") || first == UInt8(ascii: "t") else { return nil }
        if at > 0, isAlphanumeric(bytes[at - 1]) || bytes[at - 1] == UInt8(ascii: "_") { return nil }
        for prefix in prefixes where at + prefix.count < bytes.count && bytes[at..<(at + prefix.count)].elementsEqual(prefix) {
            return prefix.count
        }
        return nil
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    private static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
    }

    /// 8-4-4-4-12 hex digits.
    static func isUUID(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count == 36 else { return false }
        for (offset, b) in bytes.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                if b != UInt8(ascii: "-") { return false }
            } else if !isHex(b) {
                return false
            }
        }
        return true
    }

    /// A 64-bit FNV-1a hash of `bytes`, then of `copy`.
    private static func hash(_ bytes: ArraySlice<UInt8>, copy: Int, salt: UInt64 = 0) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ salt
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        for shift in stride(from: 0, to: 64, by: 8) {
            h ^= UInt64(truncatingIfNeeded: copy >> shift) & 0xFF
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }

    /// The UUID `copy` maps `bytes` (a UUID) to: copy 0 keeps the original.
    static func mappedUUID(_ bytes: ArraySlice<UInt8>, copy: Int) -> String {
        guard copy > 0 else { return String(decoding: bytes, as: UTF8.self) }
        let a = hash(bytes, copy: copy), b = hash(bytes, copy: copy, salt: 0x9E37_79B9_7F4A_7C15)
        let hex = String(a, radix: 16).leftPadded(to: 16) + String(b, radix: 16).leftPadded(to: 16)
        let d = Array(hex.utf8)
        func part(_ r: Range<Int>) -> String { String(decoding: d[r], as: UTF8.self) }
        return part(0..<8) + "-" + part(8..<12) + "-4" + part(13..<16) + "-8" + part(17..<20) + "-" + part(20..<32)
    }

    /// The id run `copy` maps `run` to: as long, its last (up to) eight characters replaced
    /// by letters and digits from a hash; copy 0 keeps the original.
    private static func mappedRun(_ run: ArraySlice<UInt8>, copy: Int) -> [UInt8] {
        guard copy > 0, !run.isEmpty else { return Array(run) }
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        var out = Array(run)
        var h = hash(run, copy: copy)
        for at in stride(from: out.count - 1, through: max(0, out.count - 8), by: -1) {
            out[at] = alphabet[Int(h % UInt64(alphabet.count))]
            h /= UInt64(alphabet.count)
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
