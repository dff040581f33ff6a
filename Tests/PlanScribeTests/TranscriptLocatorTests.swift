import Foundation
import Testing

@testable import PlanScribe

struct LocatorTests {
    @Test func folderNamesFollowClaudeCodesEncoding() {
        #expect(TranscriptLocator.projectFolderName(for: "/tmp/ccrun/proj") == "-tmp-ccrun-proj")
        #expect(TranscriptLocator.projectFolderName(for: "/src/experiments/claude_p") == "-src-experiments-claude-p")
        #expect(TranscriptLocator.projectFolderName(for: "/home/me/my.app v2") == "-home-me-my-app-v2")
    }

    @Test func aProjectIsFoundByItsWorkingDirectory() throws {
        let folder = try TranscriptLocator.projectFolder(for: "/tmp/planscribe-fixture/todo-app", in: Fixture.path("planning-run/projects"))
        #expect(folder.hasSuffix("/-tmp-planscribe-fixture-todo-app"))
        #expect(throws: TranscriptError.projectNotFound(workingDirectory: "/nowhere/x", expectedFolder: Fixture.path("planning-run/projects") + "/-nowhere-x")) {
            try TranscriptLocator.projectFolder(for: "/nowhere/x", in: Fixture.path("planning-run/projects"))
        }
    }

    @Test func theDefaultFolderFollowsClaudeConfigDir() {
        #expect(TranscriptLocator.defaultProjectsFolder(environment: ["CLAUDE_CONFIG_DIR": "/c", "HOME": "/h"]) == "/c/projects")
        #expect(TranscriptLocator.defaultProjectsFolder(environment: ["HOME": "/h"]) == "/h/.claude/projects")
    }

    @Test func aTreeIsReadOldestSessionFirstWithSubagentsAttached() throws {
        let sources = try TranscriptLocator.locate([Fixture.root + "/claude-code-log-real"])
        #expect(sources.map { String($0.sessionID.prefix(8)) } == ["71c9afe9", "3680252d", "94604a7b", "29ccd257", "03eb5929"])
        #expect(sources[3].subagentFiles.map { ($0 as NSString).lastPathComponent } == ["agent-a2271d1.jsonl"])
    }

    @Test func missingPathsAndEmptyFoldersAreErrors() {
        #expect(throws: TranscriptError.notFound(path: "/no/such/place")) { try TranscriptLocator.locate(["/no/such/place"]) }
        let scratch = ScratchFolder()
        #expect(throws: TranscriptError.noTranscripts(path: scratch.path)) { try TranscriptLocator.locate([scratch.path]) }
    }

    /// The CLI's stream-json output (`planscribe run` keeps each invocation's in
    /// `run/stream/`) is not a transcript: left out, named, and an error when it is all there
    /// is. Every recorded transcript of the fixtures, whatever its first line (a summary, a
    /// queue operation, a file snapshot), is still one.
    @Test func theCLIsStreamOutputIsLeftOutAndNamed() throws {
        var captures: [String] = []
        let sources = try TranscriptLocator.locate([Fixture.path("planning-run")], streamCaptures: &captures)
        #expect(sources.map(\.file) == (try TranscriptLocator.locate([Fixture.path("planning-run/projects")])).map(\.file))
        #expect(captures.count == 9 && captures.allSatisfy { $0.contains("/planning-run/stream/") })

        let walker = try #require(FileManager.default.enumerator(atPath: Fixture.root))
        var transcripts = 0
        var streams = 0
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".jsonl"), !relative.hasPrefix("broken/"), !relative.hasPrefix("hostile/") else { continue }
            let isStream = relative.hasPrefix("stream-json/") || relative.hasPrefix("planning-run/stream/")
            #expect(TranscriptLocator.head(of: Fixture.path(relative)).isStreamCapture == isStream, "\(relative)")
            if isStream { streams += 1 } else { transcripts += 1 }
        }
        #expect(streams >= 15 && transcripts >= 25)

        #expect(throws: TranscriptError.onlyStreamOutput(path: Fixture.path("stream-json"), count: 6)) {
            try TranscriptLocator.locate([Fixture.path("stream-json")])
        }
        let cli = CLITests()
        let mixed = try cli.run(["cost", Fixture.path("planning-run")])
        #expect(mixed.status == 0)
        #expect(mixed.stderr.hasPrefix("planscribe: \(Fixture.path("planning-run"))/stream/"))
        #expect(mixed.stderr.contains(" and 8 more: the CLI's stream-json output (as planscribe run keeps in run/stream/), not a transcript; left out\n"))
        #expect(mixed.stdout == (try cli.run(["cost", Fixture.path("planning-run/projects")])).stdout)
        let only = try cli.run(["cost", Fixture.path("stream-json")])
        #expect(only.status == 2)
        #expect(only.stderr.contains("no Claude Code transcripts here, only the CLI's stream-json output (6 files, as planscribe run keeps in run/stream/)"))
    }
}
