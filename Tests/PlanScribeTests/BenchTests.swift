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
}
