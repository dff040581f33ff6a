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
}
