import Foundation
import Testing

@testable import PlanScribe

struct TranscriptReadingTests {
    @Test func brokenLinesGiveDiagnosticsWithFileAndLineAndTheRestIsRead() throws {
        let sessions = try Fixture.sessions([Fixture.broken])
        let session = try #require(sessions.first)
        let report = session.reports[0]
        #expect(
            report.diagnostics.map { "\($0.line ?? 0): \($0.message)" } == [
                "4: invalid JSON: the line ends before the object is closed",
                "5: invalid UTF-8 at byte 102",
                "6: field message.usage.output_tokens: expected a number",
                "7: unknown line type \"hologram\" skipped",
                "8: expected a JSON object, found an array",
                "12: last line is incomplete (invalid JSON: the line ends before the object is closed); the file may still be being written",
            ])
        #expect(report.diagnostics.allSatisfy { $0.file == Fixture.broken && $0.severity == .warning })
        #expect(report.lines == 12)
        #expect(report.decoded == 3)
        #expect(report.skipped == 2)
        #expect(report.malformed == 4)
        #expect(report.unknownTypes == ["hologram": 1])
        #expect(report.truncatedLastLine)
        // The good lines around the broken ones still make the conversation, and the CRLF
        // cost-state line is read.
        #expect(session.messages.filter { $0.role != .system }.map(\.role) == [.user, .assistant])
        #expect(session.reportedCostUSD == 0.05)
        #expect(session.apiCalls.count == 1)
    }

    @Test func splitAssistantLinesBecomeOneMessageWithTheLargestOutput() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "p/s1.jsonl",
            lines: [
                Line.user("u1", parent: nil, "hello"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: #"{"type":"thinking","thinking":"hm","signature":""}"#, output: 1),
                Line.assistant("a2", parent: "a1", id: "msg_1", block: Line.text("Hi there"), output: 1),
                Line.assistant("a3", parent: "a2", id: "msg_1", block: #"{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}"#, output: 155),
                Line.user("u2", parent: "a3", "x", extra: "").replacingOccurrences(
                    of: #""content":"x""#, with: #""content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"a.txt"}]}]"#),
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        #expect(session.messages.count == 3)
        let response = session.messages[1]
        #expect(response.blocks.count == 3)
        #expect(response.blocks[0] == .thinking("hm"))
        #expect(response.blocks[1] == .text("Hi there"))
        #expect(response.toolUses.map(\.name) == ["Bash"])
        #expect(response.toolUses.first?.input["command"] == .string("ls"))
        #expect(response.usage?.output == 155)
        #expect(session.apiCalls.count == 1)
        #expect(session.messages[2].kind == .toolResults)
        #expect(session.messages[2].toolResults == [ToolResult(toolUseID: "toolu_1", text: "a.txt", isError: false, images: [])])
    }

    @Test func orderFollowsParentLinksNotFileOrder() throws {
        let scratch = ScratchFolder()
        // The second exchange is written before the first.
        let file = scratch.write(
            "p/s2.jsonl",
            lines: [
                Line.assistant("a2", parent: "u2", id: "msg_2", block: Line.text("second answer")),
                Line.user("u2", parent: "a1", "second"),
                Line.user("u1", parent: nil, "first"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: Line.text("first answer")),
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        #expect(session.messages.map(\.text) == ["first", "first answer", "second", "second answer"])
    }

    @Test func compactionContinuesThroughTheLogicalParent() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "p/s3.jsonl",
            lines: [
                Line.user("u1", parent: nil, "before"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: Line.text("answer before")),
                #"{"type":"system","subtype":"compact_boundary","uuid":"c1","parentUuid":null,"logicalParentUuid":"a1","content":"Conversation compacted","timestamp":"2026-01-01T00:01:00Z"}"#,
                Line.user("u2", parent: "c1", "This session is being continued…", extra: #","isCompactSummary":true"#),
                Line.user("u3", parent: "u2", "after"),
                Line.assistant("a3", parent: "u3", id: "msg_3", block: Line.text("answer after")),
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        #expect(session.messages.map(\.uuid) == ["u1", "a1", "c1", "u2", "u3", "a3"])
        #expect(session.messages[2].kind == .compactBoundary)
        #expect(session.messages[3].kind == .compactSummary)
        #expect(session.firstPrompt == "before")
    }

    @Test func aRestartWithoutLinksKeepsBothChainsInOrder() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "p/s4.jsonl",
            lines: [
                Line.user("u1", parent: nil, "one"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: Line.text("one answer")),
                Line.user("u2", parent: nil, "two"),
                Line.assistant("a2", parent: "u2", id: "msg_2", block: Line.text("two answer")),
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        #expect(session.messages.map(\.uuid) == ["u1", "a1", "u2", "a2"])
        #expect(session.branches.isEmpty)
    }

    @Test func rewindBranchesAreKeptApartAndStillCounted() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "p/s5.jsonl",
            lines: [
                Line.user("u1", parent: nil, "start"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: Line.text("first try")),
                Line.assistant("a2", parent: "u1", id: "msg_2", request: "req_2", block: Line.text("second try")),
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        #expect(session.messages.map(\.uuid) == ["u1", "a2"])
        #expect(session.branchMessages.map(\.uuid) == ["a1"])
        #expect(session.branches.map(\.leftAfter) == ["u1"])
        #expect(session.apiCalls.count == 2)  // both were billed
    }

    /// Every user and assistant message of every transcript in the fixtures (the public
    /// corpus files among them) is shown: on the main line or in a branch. The file's messages
    /// are counted here from its JSON alone: user lines by uuid, assistant lines by message id
    /// and request id (one response written as several lines is one message).
    @Test func everyMessageOfEveryFileIsOnTheMainLineOrInABranch() throws {
        let folders = [
            "planning-run/projects", "cli-2.1.332", "claude-code-log-real", "hostile", "broken", "conformance",
            "conformance-forks", "conformance-skills", "conformance-branches", "conformance-stops",
        ]
        var files = 0
        for folder in folders {
            for source in try TranscriptLocator.locate([Fixture.path(folder)]) {
                var filter = DuplicateFilter()  // each file alone: nothing of it is another's
                let session = try SessionReader().read(source, filter: &filter)
                var keys = Set<String>()
                let bytes = try Data(contentsOf: URL(fileURLWithPath: source.file))
                for line in bytes.split(separator: 0x0A) {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                        let type = object["type"] as? String, type == "user" || type == "assistant",
                        object["isSidechain"] as? Bool != true, let uuid = object["uuid"] as? String
                    else { continue }
                    let message = object["message"] as? [String: Any]
                    if type == "assistant", let id = message?["id"] as? String {
                        keys.insert("a " + id + " " + ((object["requestId"] as? String) ?? ""))
                    } else {
                        keys.insert("u " + uuid)
                    }
                }
                let shown = (session.messages + session.branchMessages).filter { m in
                    switch m.kind {
                    case .prompt, .response, .toolResults, .compactSummary: return true
                    case .compactBoundary, .attachment, .note: return false
                    }
                }
                #expect(shown.count == keys.count, "\(source.file)")
                files += 1
            }
        }
        #expect(files >= 30)
    }

    /// The corpus file whose bash-mode line (`! uv run pytest …`) hangs off its first line: the
    /// whole conversation is the main line, nothing is a branch.
    @Test func aBashModeLineAbandonsNothing() throws {
        let sample = try TranscriptLocator.locate([Fixture.path("claude-code-log-real/-Users-dain-workspace-claude-code-log-sample")])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(sample[0], filter: &filter)
        #expect(session.branches.isEmpty)
        #expect(session.messages.first { $0.isPrompt && !$0.text.hasPrefix("<") }?.text.hasPrefix("Please have a look at this patch diff") == true)
        #expect(session.messages.last?.text.hasPrefix("<bash-stdout>") == true)
        #expect(session.messages.map(\.line) == session.messages.map(\.line).sorted())
    }

    @Test func aParentCycleIsCutWithADiagnostic() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "p/s6.jsonl",
            lines: [
                Line.user("u1", parent: "a1", "loop"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: Line.text("again")),
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        #expect(session.messages.map(\.uuid) == ["u1", "a1"])
        #expect(session.reports[0].diagnostics.map(\.message) == ["parentUuid cycle: the conversation is cut here"])
    }

    @Test func duplicateUUIDsInOneFileKeepTheFirst() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "p/s7.jsonl",
            lines: [
                Line.user("u1", parent: nil, "original"),
                Line.user("u1", parent: nil, "impostor"),
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        #expect(session.messages.map(\.text) == ["original"])
        #expect(session.reports[0].diagnostics.map { "\($0.line!): \($0.message)" } == ["2: duplicate uuid u1 (first on line 1); this copy is ignored"])
    }

    @Test func contentBlocksOfEveryKind() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "p/s8.jsonl",
            lines: [
                Line.user("u1", parent: nil, "x").replacingOccurrences(
                    of: #""content":"x""#, with: #""content":[{"type":"text","text":"look"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAABBBB"}}]"#),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: #"{"type":"redacted_thinking","data":"zzz"}"#),
                Line.assistant("a2", parent: "a1", id: "msg_1", block: #"{"type":"web_search_tool_result","tool_use_id":"srv_1","content":[]}"#),
                #"{"type":"user","uuid":"m1","parentUuid":"a2","isMeta":true,"message":{"role":"user","content":"<system-reminder>be brief</system-reminder>"}}"#,
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        #expect(session.messages[0].blocks == [.text("look"), .image(ImageInfo(mediaType: "image/png", byteCount: 6, base64: "AAAABBBB"))])
        #expect(session.messages[1].blocks == [.redactedThinking, .unsupported(type: "web_search_tool_result")])
        #expect(session.messages[2].isMeta)
        #expect(!session.messages[2].isPrompt)
    }

    @Test func attachmentsAreKeptAsMetaAndBigOnesAreSkippedUndecoded() throws {
        let sessions = try Fixture.sessions([Fixture.planningProject + "/d64eca0b-d71e-4823-ab97-62ffef4557b0.jsonl"])
        let session = try #require(sessions.first)
        let kinds = session.messages.compactMap { m -> String? in
            if case .attachment(let type) = m.kind { return type }
            return nil
        }
        #expect(kinds.contains("date"))
        #expect(!kinds.contains("prompt_snapshot"))
        #expect(session.messages.filter { if case .attachment = $0.kind { return true } else { return false } }.allSatisfy { $0.isMeta })
        #expect(session.reports[0].isClean)
        #expect(session.reports[0].skipped > 0)
        #expect(session.projectPath == "/tmp/planscribe-fixture/todo-app")
        #expect(session.cliVersions == ["2.1.332"])
    }

    @Test func oldLayoutSubagentIsLinkedThroughTheTaskResult() throws {
        let sessions = try Fixture.sessions([Fixture.realProjects + "/-src-experiments-claude_p/29ccd257-68b1-427f-ae5f-6524b7cb6f20.jsonl"])
        let session = try #require(sessions.first)
        #expect(session.subagents.count == 1)
        let sub = session.subagents[0]
        #expect(sub.agentID == "a2271d1")
        let task = try #require(session.messages.flatMap(\.toolUses).first { $0.name == "Task" })
        #expect(sub.toolUseID == task.id)
        #expect(sub.messages.first?.isSidechain == true)
    }

    @Test func newLayoutSubagentIsLinkedThroughItsMetaFile() throws {
        let sessions = try Fixture.sessions([Fixture.planningProject])
        let ceo = try #require(sessions.first { $0.id.hasPrefix("cf772298") })
        #expect(ceo.subagents.map(\.agentID) == ["aafaabf2248ee942d"])
        #expect(ceo.subagents[0].toolUseID == "toolu_scripted0006")
        #expect(ceo.subagents[0].agentType == "general-purpose")
        #expect(ceo.subagents[0].messages.first?.text == "SUBAGENT-TASK: list competing todo apps for small teams")
        #expect(ceo.apiCalls.filter { $0.agentID != nil }.count == 3)
    }

    @Test func legacySummaryLinesGiveTheTitle() throws {
        let sessions = try Fixture.sessions([Fixture.realProjects + "/-Users-dain-workspace-danieldemmel-me-next"])
        #expect(sessions.first?.title != nil)
        #expect(sessions.first?.firstPrompt == "/model")
    }
}

struct HostileNumberTests {
    @Test func numbersThatDoNotFitAreNamedAndNegativeCountsAreZero() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "p/n.jsonl",
            lines: [
                #"{"type":"assistant","uuid":"a","parentUuid":null,"message":{"id":"m1","model":"claude-opus-5-5","content":[],"usage":{"input_tokens":99999999999999999999999,"output_tokens":1}}}"#,
                #"{"type":"assistant","uuid":"b","parentUuid":"a","message":{"id":"m2","model":"claude-opus-5-5","content":[],"usage":{"input_tokens":10,"output_tokens":2.5}}}"#,
                #"{"type":"assistant","uuid":"c","parentUuid":"a","message":{"id":"m3","model":"claude-opus-5-5","content":[],"usage":{"input_tokens":-50,"output_tokens":2}}}"#,
                #"{"type":"user","uuid":"d","parentUuid":"c","message":{"content":{"a":1}}}"#,
                #"{"type":"user","uuid":"e","parentUuid":"c","message":{"content":[{"type":"text","text":null}]}}"#,
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        #expect(
            session.reports[0].diagnostics.map { "\($0.line!): \($0.message)" } == [
                "1: field message.usage.input_tokens: expected a whole number of tokens",
                "2: field message.usage.output_tokens: expected a whole number of tokens",
                "3: negative token count in message.usage, counted as 0",
                "4: field message.content: expected a string or a list of content blocks",
            ])
        #expect(session.usage == TokenUsage(input: 0, output: 2))
        #expect(session.messages.last?.blocks == [.text("")])
    }

    @Test func everyLineTypeInTheFixturesIsKnown() throws {
        let sessions = try Fixture.sessions([Fixture.realProjects, Fixture.cliProject, Fixture.planningProject])
        let reports = sessions.flatMap(\.reports)
        #expect(reports.count == 15)
        #expect(reports.allSatisfy { $0.unknownTypes.isEmpty && $0.malformed == 0 && !$0.truncatedLastLine })
        // The only remark: the fork's replayed history.
        #expect(
            reports.flatMap(\.diagnostics).map(\.message) == [
                "20 lines repeat session d34691ea-329b-4d4c-983b-96ad58cf79d4 (a fork or resume) and are counted there; its reported cost counts from the $0.037665 that session had spent"
            ])
    }

    @Test func badSubagentMetadataIsReportedAndTheTranscriptStillRead() throws {
        let scratch = ScratchFolder()
        let main = scratch.write("p/s.jsonl", lines: [Line.user("u1", parent: nil, "hi")])
        let sub = scratch.write("p/s/subagents/agent-x1.jsonl", lines: [Line.user("x1", parent: nil, "sub task", extra: #","isSidechain":true,"agentId":"x1""#)])
        _ = scratch.write("p/s/subagents/agent-x1.meta.json", lines: ["{not json"])
        let sources = try TranscriptLocator.locate([scratch.path])
        #expect(sources.map(\.subagentFiles) == [[sub]])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(sources[0], filter: &filter)
        #expect(session.file == main)
        #expect(session.subagents.map(\.agentID) == ["x1"])
        #expect(session.reports[1].diagnostics.map(\.message) == ["\(scratch.path)/p/s/subagents/agent-x1.meta.json: unreadable agent metadata, ignored"])
    }
}

struct OversizedAndOddLineTests {
    @Test func aLineOverTheLimitIsSkippedUnreadAndTheRestIsRead() throws {
        let scratch = ScratchFolder()
        let huge = Line.user("big", parent: nil, String(repeating: "x", count: 3_000_000))
        let file = scratch.write(
            "p/s.jsonl",
            lines: [
                Line.user("u1", parent: nil, "before"),
                huge,
                Line.user("u2", parent: "u1", "after"),
            ])
        var reader = SessionReader()
        reader.maxLineBytes = 1 << 20
        var filter = DuplicateFilter()
        let session = try reader.read(SessionSource(file: file), filter: &filter)
        #expect(session.messages.map(\.text) == ["before", "after"])
        #expect(
            session.reports[0].diagnostics.map { "\($0.line!): \($0.message)" } == [
                "2: line of \(Figures.count(huge.utf8.count)) bytes is over the limit of 1,048,576 (--max-line-bytes); skipped unread"
            ])
        // With the default limit the same line is read (it is a root of its own: a branch).
        var filter2 = DuplicateFilter()
        let whole = try SessionReader().read(SessionSource(file: file), filter: &filter2)
        #expect(whole.branchMessages.map(\.uuid) == ["big"])
        #expect(whole.reports[0].isClean)
    }

    @Test func aByteOrderMarkAndCRLFAreNotProblems() throws {
        let scratch = ScratchFolder()
        let file = scratch.write("p/s.jsonl", bytes: [0xEF, 0xBB, 0xBF] + Array((Line.user("u1", parent: nil, "hi") + "\r\n" + Line.user("u2", parent: "u1", "there") + "\r\n").utf8))
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        #expect(session.messages.map(\.text) == ["hi", "there"])
        #expect(session.reports[0].isClean)
    }

    @Test func deepNestingIsAWarningNotACrash() throws {
        let scratch = ScratchFolder()
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let file = scratch.write(
            "p/s.jsonl",
            lines: [
                Line.user("u1", parent: nil, "ok"),
                #"{"type":"user","uuid":"u2","parentUuid":"u1","message":{"role":"user","content":\#(deep)}}"#,
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        #expect(session.messages.map(\.text) == ["ok"])
        #expect(session.reports[0].malformed == 1)
    }
}

/// One decoder accepts a line, and only one: the lines of a real CLI 2.1.332 session, written
/// in other legal JSON spellings, read as the originals do; a line the walk rejects is
/// explained and not read another way.
struct OneDecoderTests {
    static let session = Fixture.path("cli-2.1.332/-tmp-ccrun-proj/11111111-2222-4333-8444-555555555555.jsonl")

    static func read(_ lines: [String]) -> TranscriptFile {
        let text = lines.joined(separator: "\n") + "\n"
        return Data(text.utf8).withUnsafeBytes { TranscriptFile.read(bytes: $0, path: "t.jsonl") }
    }

    @Test func otherSpellingsOfTheSameLinesReadTheSame() throws {
        let lines = try String(contentsOfFile: Self.session, encoding: .utf8).split(separator: "\n").map(String.init)
        let original = Self.read(lines)
        // Keys written with escapes, counts written as 2.0 or 1e1: what JSONDecoder takes them for.
        let respelled = lines.map { line in
            line.replacingOccurrences(of: #""type":"#, with: #""typ\u0065":"#)
                .replacingOccurrences(of: #""uuid":"#, with: #""\u0075uid":"#)
                .replacingOccurrences(of: #""output_tokens":37,"#, with: #""output_tokens":3.7e1,"#)
                .replacingOccurrences(of: #""input_tokens":1200,"#, with: #""input_tokens":1200.0,"#)
        }
        #expect(respelled.filter { $0.contains("3.7e1") && $0.contains("1200.0") }.count == 3)
        let other = Self.read(respelled)
        #expect(other.report.diagnostics.map(\.message) == original.report.diagnostics.map(\.message))
        #expect(other.nodes.map(\.uuid) == original.nodes.map(\.uuid))
        #expect(other.nodes.map(\.usage) == original.nodes.map(\.usage))
        #expect(other.nodes.compactMap(\.message).map(\.text) == original.nodes.compactMap(\.message).map(\.text))
        #expect(original.nodes.count > 10 && original.nodes.contains { $0.usage != nil })
    }

    @Test func aFieldOfTheWrongTypeRejectsAMessageButNotALink() throws {
        let lines = try String(contentsOfFile: Self.session, encoding: .utf8).split(separator: "\n").map(String.init)
        let attachment = try #require(lines.first { $0.contains(#""type":"attachment""#) })
        let user = try #require(lines.first { $0.contains(#""type":"user""#) })
        let file = Self.read([
            attachment.replacingOccurrences(of: #""isSidechain":false"#, with: #""isSidechain":"no""#),
            user.replacingOccurrences(of: #""isSidechain":false"#, with: #""isSidechain":0"#),
        ])
        // The attachment is still a link of the chain, its sidechain flag unread; the prompt is
        // explained, with the field.
        #expect(file.nodes.count == 1 && file.nodes[0].message?.kind == .attachment("environment"))
        #expect(file.report.diagnostics.map { "\($0.line ?? 0): \($0.message)" } == ["2: field isSidechain: expected true or false"])
    }

    /// The walk reuses the strings a file repeats (the line before's uuid as a parent, the
    /// model, the ids of a split response): a value whose bytes are the same but hold an
    /// escape is another text, and is read as such.
    @Test func aRepeatedValueIsReusedOnlyWhenItSpellsTheSameText() throws {
        let lines = try String(contentsOfFile: Self.session, encoding: .utf8).split(separator: "\n").map(String.init)
        let assistant = try #require(lines.first { $0.contains(#""type":"assistant""#) && $0.contains(#""usage""#) })
        let original = Self.read([assistant]).nodes[0]
        let model = try #require(original.message?.model)
        let id = try #require(original.message?.messageID)
        func line(uuid: String, parent: String, model newModel: String, id newID: String) -> String {
            let written = assistant.replacingOccurrences(of: "\"uuid\":\"\(original.uuid)\"", with: "\"uuid\":\"\(uuid)\"")
                .replacingOccurrences(of: "\"parentUuid\":\"\(original.parent ?? "")\"", with: "\"parentUuid\":\"\(parent)\"")
                .replacingOccurrences(of: "\"model\":\"\(model)\"", with: "\"model\":\"\(newModel)\"")
                .replacingOccurrences(of: "\"id\":\"\(id)\"", with: "\"id\":\"\(newID)\"")
            #expect(written.contains(newModel) && written.contains(newID) && written.contains(parent))
            return written
        }
        // Line 1's uuid, model and id hold a written backslash (`\\n`); line 2 spells the same
        // bytes as an escape (`\n`, a line break): another parent, model and response. Line 3
        // repeats line 2 exactly.
        let file = Self.read([
            line(uuid: #"u\\n1"#, parent: "p", model: #"m\\n"#, id: #"i\\n"#),
            line(uuid: "u2", parent: #"u\n1"#, model: #"m\n"#, id: #"i\n"#),
            line(uuid: "u3", parent: "u2", model: #"m\n"#, id: #"i\n"#),
        ])
        #expect(file.report.diagnostics.isEmpty)
        #expect(file.nodes.map(\.uuid) == [#"u\n1"#, "u2", "u3"])
        #expect(file.nodes.map(\.parent) == ["p", "u\n1", "u2"])
        #expect(file.nodes.map(\.message?.model) == [#"m\n"#, "m\n", "m\n"])
        #expect(file.nodes.map(\.message?.messageID) == [#"i\n"#, "i\n", "i\n"])
        #expect(file.nodes.map(\.usageKey?.hash) == [#"i\n"#, "i\n", "i\n"].map { StableHash.of($0 + "\u{1F}" + (original.message?.requestID ?? "")) })
    }
}

/// Responses with parallel tool calls, as the real CLI writes them: one line per call (one
/// message id), each result hanging off the line of its call, the chain going on from the
/// result written last. They are one response on the conversation, not branches.
struct ParallelToolCallTests {
    /// Recorded with the real CLI 2.1.332 (`record_conformance.sh … 22`): ToolSearch loads the
    /// web tools, then one response calls WebFetch and WebSearch.
    static let webTools = Fixture.path("conformance-tools")

    @Test func aResponseCallingTwoToolsIsOneMessageWithBothResultsAndNoBranch() throws {
        let session = try #require(try Fixture.sessions([Self.webTools]).first)
        #expect(session.branches.isEmpty)
        let calls = session.messages.filter { $0.role == .assistant }.map { $0.toolUses.map(\.name) }
        #expect(calls == [["ToolSearch"], ["WebFetch", "WebSearch"], []])
        // Each result after its call, whole: WebFetch failed (no network here), WebSearch gave
        // the CLI's wrapper around what its own API call returned; ToolSearch's names the tools.
        let results = session.messages.flatMap(\.toolResults)
        #expect(results.map(\.isError) == [false, true, false])
        #expect(results[0].text == "WebFetch\nWebSearch")
        #expect(results[1].text.hasPrefix("Unable to verify if domain example.com is safe to fetch."))
        #expect(results[2].text.hasPrefix("Web search results for query: \"todo app pricing for small teams\""))
        let order = session.messages.map(\.uuid)
        for (use, result) in zip(session.messages.flatMap(\.toolUses), results) {
            let call = try #require(session.messages.firstIndex { $0.toolUses.contains { $0.id == use.id } })
            let answer = try #require(session.messages.firstIndex { $0.toolResults.contains { $0.toolUseID == use.id } })
            #expect(call < answer, "\(use.name)")
            #expect(result.toolUseID == use.id)
        }
        #expect(Set(order).count == order.count)
        // The page shows the response once, and no abandoned branch.
        let page = try #require(try Render.files([Self.webTools])["phases/01-office-hours.html"])
        #expect(!page.contains("abandoned branch"))
        #expect(page.components(separatedBy: "<span class=\"tool-name\">").count - 1 == 3)
    }

    /// The CLI bills the call WebSearch makes itself, which writes no transcript line: its
    /// figure is one call above the transcript's three (0.00948 against 0.00711, its
    /// `modelUsage` counting 4,000 input tokens where the lines hold 3,000), and says why.
    @Test func aWebSearchExplainsWhyTheCLIsFigureIsHigher() throws {
        let session = try #require(try Fixture.sessions([Self.webTools]).first)
        var ledger = CostLedger()
        ledger.add(session, phases: PhaseSplitter.split(session))
        #expect(ledger.total.estimate.calls == 3)
        #expect(ledger.total.estimate.completeCost == USD(0.00711))
        #expect(ledger.total.reported == USD(0.00948))
        #expect(ledger.total.differs)
        #expect(session.costNotes == [.webSearch])
    }

    /// CLI 2.1.17 (a real subagent transcript from claude-code-log) writes results in the
    /// order they finish, so the chain can go on from the first call's result, leaving the
    /// second call's line and its result beside it. Read as a main session (the same lines,
    /// off the sidechain), every call and result is on the conversation, in order.
    @Test func resultsWrittenInTheOrderTheyFinishStayOnTheConversation() throws {
        let scratch = ScratchFolder()
        let source = Fixture.path("claude-code-log-real/-src-experiments-claude_p/29ccd257-68b1-427f-ae5f-6524b7cb6f20/subagents/agent-a2271d1.jsonl")
        let lines = try String(contentsOfFile: source, encoding: .utf8).split(separator: "\n").map {
            $0.replacingOccurrences(of: "\"isSidechain\":true", with: "\"isSidechain\":false")
        }
        let path = scratch.write("p/a2271d10-0000-4000-8000-000000000000.jsonl", lines: lines)
        var filter = DuplicateFilter()
        let session = try SessionReader().read(try #require(try TranscriptLocator.locate([path]).first), filter: &filter)
        #expect(session.branches.isEmpty)
        let uses = session.messages.flatMap(\.toolUses)
        #expect(uses.count == 24)
        for use in uses {
            let call = try #require(session.messages.firstIndex { $0.toolUses.contains { $0.id == use.id } })
            let answer = try #require(session.messages.firstIndex { $0.toolResults.contains { $0.toolUseID == use.id } }, "\(use.id)")
            #expect(call < answer)
        }
        // Split lines of one response are one message: as many responses as message ids.
        let ids = Set(lines.compactMap { $0.firstMatch(of: /"id":"(msg_[A-Za-z0-9]+)"/)?.output.1 }.map(String.init))
        #expect(session.messages.filter { $0.role == .assistant }.count == ids.count)
    }
}
