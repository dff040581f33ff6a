import Foundation
import Testing

@testable import PlanScribe

/// The benchmark executable: its generated tree is deterministic and reads without a line
/// problem, and a run measures every command and reports figures that agree with each other.
struct BenchTests {
    static let bench: String = (CLITests.binary as NSString).deletingLastPathComponent + "/planscribe-bench"

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.bench)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Every file under `root`, by relative path, with its bytes.
    func contents(_ root: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let walker = try #require(FileManager.default.enumerator(atPath: root))
        while let relative = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDir), !isDir.boolValue {
                files[relative] = FileManager.default.contents(atPath: root + "/" + relative)
            }
        }
        return files
    }

    @Test func generatedTreeIsTheSameEachTimeAndReadsClean() throws {
        let scratch = ScratchFolder()
        for name in ["a", "b"] {
            // 10 MB: the smallest tree whose sessions include one with a subagent.
            #expect(try run(["generate", "--mb", "10", "--out", scratch.path + "/" + name]).status == 0)
        }
        let first = try contents(scratch.path + "/a")
        #expect(first.count >= 10)
        #expect(try contents(scratch.path + "/b") == first)

        // Read as planscribe reads it: no line problem, split assistant lines merged, every
        // API call counted once, subagents found with the tool call that started them.
        let sources = try TranscriptLocator.locate([scratch.path + "/a/projects"])
        var filter = DuplicateFilter()
        var assistantLines = 0
        for source in sources {
            let session = try SessionReader().read(source, filter: &filter)
            for report in session.reports {
                #expect(report.isClean, "\(report.file): \(report.summary)")
            }
            let text = try String(contentsOfFile: source.file, encoding: .utf8)
            assistantLines += text.components(separatedBy: "\"type\":\"assistant\"").count - 1
            let responses = session.messages.filter { $0.role == .assistant }
            #expect(!responses.isEmpty)
            #expect(Set(session.apiCalls.compactMap(\.messageID)).count == session.apiCalls.count)
            #expect(session.subagents.allSatisfy { $0.toolUseID != nil && !$0.messages.isEmpty })
        }
        let responses = try sources.reduce(0) { total, source in
            var fresh = DuplicateFilter()
            return total + (try SessionReader().read(source, filter: &fresh).messages.filter { $0.role == .assistant }.count)
        }
        #expect(responses < assistantLines, "split assistant lines are merged into fewer responses")
        #expect(sources.contains { !$0.subagentFiles.isEmpty })
    }

    @Test func aRunMeasuresEveryCommandWithFiguresThatAgree() throws {
        let scratch = ScratchFolder()
        #expect(try run(["generate", "--mb", "2", "--out", scratch.path + "/t"]).status == 0)
        let r = try run(["run", "--tree", scratch.path + "/t/projects", "--runs", "1", "--json"])
        #expect(r.status == 0)
        let top = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let treeMB = try #require(top["tree_mb"] as? Double)
        #expect(treeMB > 1.5 && treeMB < 3)
        let rows = try #require(top["measurements"] as? [[String: Any]])
        #expect(rows.compactMap { $0["name"] as? String } == ["floor (read every byte)", "cost", "render", "render, unchanged tree"])
        let floor = try #require(rows.first?["median_seconds"] as? Double)
        for row in rows {
            let seconds = try #require(row["median_seconds"] as? Double)
            #expect(row["exit_codes"] as? [Int] == [0], "\(row)")
            #expect(seconds > 0)
            #expect(abs((row["mb_per_s"] as? Double ?? 0) - treeMB / seconds) < 1e-6 * treeMB / seconds)
            #expect(abs((row["ratio_to_floor"] as? Double ?? 0) - seconds / floor) < 1e-9 * seconds / floor)
            let user = try #require(row["median_run_user_seconds"] as? Double)
            let system = try #require(row["median_run_system_seconds"] as? Double)
            #expect(user >= 0 && system >= 0 && user + system > 0)
            #expect((row["peak_rss_mb"] as? Double ?? 0) > 1)
        }
    }

    /// `cost --json`'s total of a tree: sessions, calls, estimated and reported dollars.
    func costTotal(_ tree: String) throws -> (sessions: Int, calls: Int, estimated: Double, reported: Double) {
        let data = Data(try CLITests().run(["cost", tree, "--json"]).stdout.utf8)
        let top = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let total = try #require(top["total"] as? [String: Any])
        return (
            try #require(total["sessions"] as? Int), try #require(total["calls"] as? Int),
            try #require(total["estimated_cost_usd"] as? Double), total["reported_cost_usd"] as? Double ?? 0
        )
    }

    /// `generate --from` names a folder that is not there, or not a folder, and fails.
    @Test func aMissingSourceFolderIsNamed() throws {
        let scratch = ScratchFolder()
        let file = scratch.write("f.jsonl", lines: ["{}"])
        for (from, message) in [(scratch.path + "/none", scratch.path + "/none: no such folder"), (file, file + ": not a folder planscribe-bench can read")] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.bench)
            process.arguments = ["generate", "--from", from, "--mb", "1", "--out", scratch.path + "/out"]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            let data = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 1)
            #expect(String(decoding: data, as: UTF8.self) == "Error: " + message + "\n")
        }
    }

    /// A tree grown from real transcripts holds whole copies that share nothing: n copies cost
    /// n times one copy (every session, call and dollar counted once per copy, forks' history
    /// counted in the session it came from), ids are rewritten to the same length, and the
    /// same arguments give the same bytes.
    @Test(arguments: [Fixture.realProjects, Fixture.path("conformance-forks")])
    func aTreeGrownFromTranscriptsIsWholeIndependentCopies(_ folder: String) throws {
        let scratch = ScratchFolder()
        var totals: [(copies: Int, sessions: Int, calls: Int, estimated: Double, reported: Double)] = []
        let sources = try TranscriptLocator.locate([folder]).count
        for (name, mb) in [("one", "1"), ("again", "1"), ("more", "3")] {
            let r = try run(["generate", "--from", folder, "--mb", mb, "--out", scratch.path + "/" + name])
            #expect(r.status == 0)
            let sessions = try #require(Int(r.stdout.prefix { $0 != " " }))
            #expect(sessions % sources == 0, "\(r.stdout)")
            let total = try costTotal(scratch.path + "/" + name + "/projects")
            #expect(total.sessions == sessions)
            totals.append((sessions / sources, total.sessions, total.calls, total.estimated, total.reported))
        }
        #expect(try contents(scratch.path + "/again") == contents(scratch.path + "/one"))
        let (one, more) = (totals[0], totals[2])
        #expect(more.copies > one.copies && one.copies >= 1)
        #expect(one.calls > 0 && one.calls % one.copies == 0)
        #expect(more.calls * one.copies == one.calls * more.copies)
        #expect(abs(more.estimated * Double(one.copies) - one.estimated * Double(more.copies)) < 1e-9 * more.estimated)
        #expect(abs(more.reported * Double(one.copies) - one.reported * Double(more.copies)) < 1e-9 * max(more.reported, 1))

        // Ids are rewritten in place: each copy's file is as long as the one it was grown from.
        let grown = try contents(scratch.path + "/one/projects")
        for source in try TranscriptLocator.locate([folder]) {
            let size = try #require(FileManager.default.attributesOfItem(atPath: source.file)[.size] as? Int)
            #expect(grown.values.filter { $0.count == size }.count >= one.copies, "\(source.file)")
        }
        // Copy 0 keeps the ids; the other copies have none of them.
        let first = try TranscriptLocator.locate([folder])[0].file
        let uuid = try #require(try String(contentsOfFile: first, encoding: .utf8).firstMatch(of: /"uuid":"([0-9a-f-]{36})"/)?.output.1)
        func holding(_ files: [String: Data]) -> Int {
            files.values.filter { String(decoding: $0, as: UTF8.self).contains(uuid) }.count
        }
        #expect(holding(grown) == holding(try contents(folder)))
        #expect(holding(grown) >= 1)
    }
}
