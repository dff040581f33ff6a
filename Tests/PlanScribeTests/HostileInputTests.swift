import Foundation
import Testing

@testable import PlanScribe

/// One broken or hostile project folder, read by the real `planscribe sessions` command: the
/// exact diagnostics on stderr, the exit code, and what was still read.
struct HostileCase: Sendable, CustomTestStringConvertible {
    /// What the case is, for the test list.
    var name: String
    /// Fills the project folder `p` (its absolute path is passed).
    var setup: @Sendable (String) throws -> Void
    /// Extra arguments before the folder.
    var options: [String] = []
    /// The exit code.
    var status: Int32
    /// Every line of stderr, in order, with paths relative to the folder that holds `p`.
    var stderr: [String]
    /// Sessions, messages and output tokens read despite the damage.
    var read: (sessions: Int, messages: Int, output: Int)
    /// Run as an unprivileged user (for permission cases when the tests run as root).
    var unprivileged = false

    var testDescription: String { name }
}

/// The cases. Each starts from a valid prompt (`u1`) and answer (`a1`, 10 output tokens) and
/// breaks one thing.
enum HostileCases {
    static let user = Line.user("u1", parent: nil, "hi")
    static let answer = Line.assistant("a1", parent: "u1", id: "m1", block: Line.text("hello"))

    static func write(_ folder: String, _ name: String = "e.jsonl", bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
    }

    static func write(_ folder: String, _ name: String = "e.jsonl", lines: [String], end: String = "\n") throws {
        try write(folder, name, bytes: Array((lines.joined(separator: "\n") + end).utf8))
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// The answer with `old` replaced by `new`.
    static func answer(_ old: String, _ new: String) -> String {
        let changed = answer.replacingOccurrences(of: old, with: new)
        precondition(changed != answer, "\(old) is not in the answer line")
        return changed
    }

    static func prompt(_ old: String, _ new: String) -> String {
        let changed = user.replacingOccurrences(of: old, with: new)
        precondition(changed != user, "\(old) is not in the prompt line")
        return changed
    }

    /// A case whose file holds the prompt and `second` on line 2.
    static func line2(_ name: String, _ second: String, _ warning: String?, messages: Int = 1, output: Int = 0, summary: String? = nil) -> HostileCase {
        HostileCase(
            name: name, setup: { try write($0, lines: [user, second]) }, status: 0,
            stderr: (warning.map { ["p/e.jsonl:2: warning: \($0)"] } ?? [])
                + [summary ?? "p/e.jsonl: 2 lines; \(messages) read; 0 skipped" + (warning == nil || messages == 2 ? "" : "; 1 malformed")]
                + (warning == nil ? [] : ["planscribe: read 1 file, 1 warning"]),
            read: (1, messages, output))
    }

    /// A case whose only line is `first`.
    static func line1(_ name: String, _ first: String, _ warning: String?, messages: Int = 0, malformed: Bool = true) -> HostileCase {
        HostileCase(
            name: name, setup: { try write($0, lines: [first]) }, status: 0,
            stderr: (warning.map { ["p/e.jsonl:1: warning: \($0)"] } ?? [])
                + ["p/e.jsonl: 1 lines; \(messages) read; 0 skipped" + (malformed ? "; 1 malformed" : "")]
                + (warning == nil ? [] : ["planscribe: read 1 file, 1 warning"]),
            read: (1, messages, 0))
    }

    static var all: [HostileCase] { group0 + group1 + group2 + group3 + group4 + group5 + group6 + group7 + fields }

    /// A wrong type in each of the other fields planscribe reads.
    static let fields: [HostileCase] = [
        line1("cwd is a number", prompt(#""cwd":"/work/app""#, #""cwd":1"#), "field cwd: expected a string"),
        line1("version is a list", prompt(#""sessionId":"s""#, #""sessionId":"s","version":[2]"#), "field version: expected a string"),
        line1("isMeta is text", prompt(#""sessionId":"s""#, #""sessionId":"s","isMeta":"no""#), "field isMeta: expected true or false"),
        line1("logicalParentUuid is a number", prompt(#""sessionId":"s""#, #""sessionId":"s","logicalParentUuid":3"#), "field logicalParentUuid: expected a string"),
        line2("requestId is a number", answer(#""requestId":"req_1""#, #""requestId":1"#), "field requestId: expected a string"),
        line2("message.id is an object", answer(#""id":"m1""#, #""id":{}"#), "field message.id: expected a string"),
        line2("message.role is a number", answer(#""role":"assistant""#, #""role":2"#), "field message.role: expected a string"),
        line2("a tool_use input is text (read leniently)", answer(#"{"type":"text","text":"hello"}"#, #"{"type":"tool_use","id":"t1","name":"Bash","input":"ls"}"#), nil, messages: 2, output: 10),
        line2("a tool_use name is null (read leniently)", answer(#"{"type":"text","text":"hello"}"#, #"{"type":"tool_use","id":"t1","name":null,"input":{}}"#), nil, messages: 2, output: 10),
        line2(
            "a tool_result's content is a number (read leniently)",
            Line.user("r1", parent: "u1", "x").replacingOccurrences(of: #""content":"x""#, with: #""content":[{"type":"tool_result","tool_use_id":"t1","content":7}]"#), nil, messages: 2),
        line1("a system line's subtype is a number", #"{"type":"system","subtype":4,"uuid":"y1","parentUuid":null,"content":"note"}"#, "field subtype: expected a string"),
        // Figures too large to price or add are held at the bound, never a crash.
        line2("output_tokens near Int.max", answer(#""output_tokens":10"#, #""output_tokens":9000000000000000000"#), nil, messages: 2, output: 9_000_000_000_000_000_000),
        HostileCase(
            name: "two answers whose tokens add up past Int.max",
            setup: {
                try write(
                    $0,
                    lines: [
                        user, answer(#""output_tokens":10"#, #""output_tokens":9000000000000000000"#),
                        Line.assistant("a2", parent: "a1", id: "m2", block: Line.text("more"), output: 9_000_000_000_000_000_000),
                    ])
            },
            status: 0, stderr: ["p/e.jsonl: 3 lines; 3 read; 0 skipped"], read: (1, 3, Int.max)),
        HostileCase(
            name: "a reported cost of 1e300 dollars",
            setup: { try write($0, lines: [user, answer, #"{"type":"cost-state","totalCostUSD":1e300}"#]) },
            status: 0, stderr: ["p/e.jsonl: 3 lines; 3 read; 0 skipped"], read: (1, 2, 10)),
    ]

    static let group0: [HostileCase] = [
        HostileCase(
            name: "an empty file", setup: { try write($0, bytes: []) }, status: 0,
            stderr: ["p/e.jsonl: 0 lines; 0 read; 0 skipped"], read: (1, 0, 0)),
        HostileCase(
            name: "only blank lines", setup: { try write($0, bytes: Array("\n \n\t\r\n\n".utf8)) }, status: 0,
            stderr: ["p/e.jsonl: 4 lines; 0 read; 0 skipped"], read: (1, 0, 0)),
        HostileCase(
            name: "a UTF-8 byte order mark", setup: { try write($0, bytes: [[0xEF, 0xBB, 0xBF], bytes(user + "\n"), bytes(answer + "\n")].flatMap { $0 }) },
            status: 0, stderr: ["p/e.jsonl: 2 lines; 2 read; 0 skipped"], read: (1, 2, 10)),
        HostileCase(
            name: "CRLF line ends", setup: { try write($0, lines: [user, answer, ""], end: "\r\n") }, status: 0,
            stderr: ["p/e.jsonl: 3 lines; 2 read; 0 skipped"], read: (1, 2, 10)),
        line2("a raw control character inside a string (read leniently)", answer("hello", "hel\u{1}lo"), nil, messages: 2, output: 10),
        HostileCase(
            name: "invalid UTF-8 bytes in a string",
            setup: { folder in
                var bytes = Array((user + "\n").utf8)
                var second = Array((answer + "\n").utf8)
                let at = second.firstIndex(of: UInt8(ascii: "h"))!  // "hello" is the first h
                second.insert(contentsOf: [0xC3, 0x28], at: at)
                bytes += second
                try write(folder, bytes: bytes)
            },
            status: 0, stderr: ["p/e.jsonl:2: warning: invalid UTF-8 at byte 233", "p/e.jsonl: 2 lines; 1 read; 0 skipped; 1 malformed", "planscribe: read 1 file, 1 warning"],
            read: (1, 1, 0)),
    ]

    static let group1: [HostileCase] = [
        HostileCase(
            name: "a block of NUL bytes where a line should be", setup: { try write($0, bytes: [bytes(user + "\n"), [0, 0, 0, 0, 0x0A], bytes(answer + "\n")].flatMap { $0 }) },
            status: 0,
            stderr: ["p/e.jsonl:2: warning: NUL bytes where a line should be (the file may be damaged)", "p/e.jsonl: 3 lines; 2 read; 0 skipped; 1 malformed", "planscribe: read 1 file, 1 warning"],
            read: (1, 2, 10)),
        HostileCase(
            name: "a NUL byte between fields", setup: { try write($0, lines: [user, answer.replacingOccurrences(of: #","requestId""#, with: "\u{0},\"requestId\"")]) },
            status: 0, stderr: ["p/e.jsonl:2: warning: a NUL byte at byte 101", "p/e.jsonl: 2 lines; 1 read; 0 skipped; 1 malformed", "planscribe: read 1 file, 1 warning"],
            read: (1, 1, 0)),
        HostileCase(
            name: "JSON cut off in the middle of the file", setup: { try write($0, lines: [String(answer.prefix(90)), user]) },
            status: 0,
            stderr: ["p/e.jsonl:1: warning: invalid JSON: the line ends before the object is closed", "p/e.jsonl: 2 lines; 1 read; 0 skipped; 1 malformed", "planscribe: read 1 file, 1 warning"],
            read: (1, 1, 0)),
        HostileCase(
            name: "a last line still being written", setup: { try write($0, lines: [user, String(answer.prefix(90))], end: "") },
            status: 0,
            stderr: [
                "p/e.jsonl:2: warning: last line is incomplete (invalid JSON: the line ends before the object is closed); the file may still be being written",
                "p/e.jsonl: 2 lines; 1 read; 0 skipped; last line truncated (file still being written?)", "planscribe: read 1 file, 1 warning",
            ],
            read: (1, 1, 0)),
        line2("a JSON array instead of an object", "[1, 2, 3]", "expected a JSON object, found an array"),
        line2("a bare number", "42", "expected a JSON object, found a bare value"),
    ]

    static let group2: [HostileCase] = [
        line2("a bare null", "null", "expected a JSON object, found a bare value"),
        line2("a bare string", #""user""#, "expected a JSON object, found a bare value"),
        line1("type is a number", prompt(#""type":"user""#, #""type":5"#), "field type: expected a string"),
        line1("type is missing", prompt(#""type":"user","#, ""), #"line has no "type" field"#),
        HostileCase(
            name: "an unknown line type", setup: { try write($0, lines: [user, #"{"type":"hologram","uuid":"h1","parentUuid":"u1"}"#]) }, status: 0,
            stderr: [#"p/e.jsonl:2: warning: unknown line type "hologram" skipped"#, "p/e.jsonl: 2 lines; 1 read; 0 skipped; unknown types: hologram ×1", "planscribe: read 1 file, 1 warning"],
            read: (1, 1, 0)),
        line1("uuid is a number", prompt(#""uuid":"u1""#, #""uuid":7"#), "field uuid: expected a string"),
    ]

    static let group3: [HostileCase] = [
        line2("parentUuid is a list", answer(#""parentUuid":"u1""#, #""parentUuid":["u1"]"#), "field parentUuid: expected a string"),
        line1("timestamp is a number", prompt(#""timestamp":"2026-01-01T00:00:01Z""#, #""timestamp":17"#), "field timestamp: expected a string"),
        line1(
            "timestamp is not a time", prompt("2026-01-01T00:00:01Z", "yesterday"), "field timestamp: not an ISO 8601 time (yesterday); the message is kept without one", messages: 1, malformed: false),
        // A field planscribe does not read cannot make a line unusable.
        line1("sessionId is a list", prompt(#""sessionId":"s""#, #""sessionId":[]"#), nil, messages: 1, malformed: false),
        line1("isSidechain is text", prompt(#""sessionId":"s""#, #""isSidechain":"yes","sessionId":"s""#), "field isSidechain: expected true or false"),
        line2("message is text", answer(#""message":{"id":"m1""#, #""message":"m1","x":{"id":"m1""#), "field message: expected an object"),
    ]

    static let group4: [HostileCase] = [
        line1("message is null", prompt(#""message":{"role":"user","content":"hi"}"#, #""message":null"#), nil, messages: 1, malformed: false),
        line1("content is a number", prompt(#""content":"hi""#, #""content":5"#), "field message.content: expected a string or a list of content blocks"),
        line1("content is null", prompt(#""content":"hi""#, #""content":null"#), nil, messages: 1, malformed: false),
        line2("a content block's type is a number", answer(#"{"type":"text""#, #"{"type":1"#), "field message.content[0].type: expected a string"),
        line2("a text block's text is null", answer(#""text":"hello""#, #""text":null"#), nil, messages: 2, output: 10),
        line2("usage is null", answer(#""usage":{"input_tokens":100,"output_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}"#, #""usage":null"#), nil, messages: 2),
    ]

    static let group5: [HostileCase] = [
        line2("a token count is text", answer(#""input_tokens":100"#, #""input_tokens":"100""#), "field message.usage.input_tokens: expected a number"),
        line2("the model is an object", answer(#""model":"claude-sonnet-4-5-20250929""#, #""model":{}"#), "field message.model: expected a string"),
        line2("a token count too large for Int", answer(#""output_tokens":10"#, #""output_tokens":99999999999999999999999"#), "field message.usage.output_tokens: expected a whole number of tokens"),
        line2(
            "a negative token count", answer(#""output_tokens":10"#, #""output_tokens":-10"#), "negative token count in message.usage, counted as 0", messages: 2,
            summary: "p/e.jsonl: 2 lines; 2 read; 0 skipped"),
        HostileCase(
            name: "JSON nested 100 000 levels deep",
            setup: {
                try write(
                    $0,
                    lines: [
                        user,
                        #"{"type":"user","uuid":"n1","parentUuid":"u1","message":{"role":"user","content":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}}",
                    ])
            },
            status: 0,
            stderr: ["p/e.jsonl:2: warning: nested 100,002 levels deep; more than 512 are not read", "p/e.jsonl: 2 lines; 1 read; 0 skipped; 1 malformed", "planscribe: read 1 file, 1 warning"],
            read: (1, 1, 0)),
        HostileCase(
            name: "one line of 200 MB, over the default limit",
            setup: { folder in
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/e.jsonl").creatingEmpty())
                try handle.write(contentsOf: Data((user + "\n" + #"{"type":"user","x":""#).utf8))
                let chunk = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
                for _ in 0..<200 { try handle.write(contentsOf: chunk) }
                try handle.write(contentsOf: Data(("\"}\n" + answer + "\n").utf8))
                try handle.close()
            },
            status: 0,
            stderr: [
                "p/e.jsonl:2: warning: line of 209,715,222 bytes is over the limit of 67,108,864 (--max-line-bytes); skipped unread", "p/e.jsonl: 3 lines; 2 read; 0 skipped; 1 malformed",
                "planscribe: read 1 file, 1 warning",
            ],
            read: (1, 2, 10)),
    ]

    static let group6: [HostileCase] = [
        HostileCase(
            name: "a line over --max-line-bytes", setup: { try write($0, lines: [user, answer]) }, options: ["--max-line-bytes", "300"], status: 0,
            stderr: [
                "p/e.jsonl:2: warning: line of 350 bytes is over the limit of 300 (--max-line-bytes); skipped unread", "p/e.jsonl: 2 lines; 1 read; 0 skipped; 1 malformed",
                "planscribe: read 1 file, 1 warning",
            ],
            read: (1, 1, 0)),
        HostileCase(
            name: "a tool_result without its tool_use",
            setup: {
                try write(
                    $0,
                    lines: [
                        user,
                        Line.user("r1", parent: "u1", "x").replacingOccurrences(of: #""content":"x""#, with: #""content":[{"type":"tool_result","tool_use_id":"toolu_gone","content":"orphan"}]"#),
                    ])
            },
            status: 0, stderr: ["p/e.jsonl: 2 lines; 2 read; 0 skipped"], read: (1, 2, 0)),
        HostileCase(
            name: "a cycle in parentUuid",
            setup: { try write($0, lines: [Line.user("u1", parent: "a1", "hi"), answer]) },
            status: 0, stderr: ["p/e.jsonl:2: warning: parentUuid cycle: the conversation is cut here", "p/e.jsonl: 2 lines; 2 read; 0 skipped", "planscribe: read 1 file, 1 warning"],
            read: (1, 2, 10)),
        HostileCase(
            name: "a uuid twice with different content",
            setup: { try write($0, lines: [user, answer, Line.user("u1", parent: nil, "something else")]) },
            status: 0, stderr: ["p/e.jsonl:3: warning: duplicate uuid u1 (first on line 1); this copy is ignored", "p/e.jsonl: 3 lines; 3 read; 0 skipped", "planscribe: read 1 file, 1 warning"],
            read: (1, 2, 10)),
        HostileCase(
            name: "a session copied into a second file",
            setup: {
                try write($0, "a.jsonl", lines: [user, answer]); try write($0, "b.jsonl", lines: [user, answer, Line.user("u2", parent: "a1", "more")])
            },
            status: 0,
            stderr: [
                "p/a.jsonl: 2 lines; 2 read; 0 skipped",
                "p/b.jsonl: 3 lines; 3 read; 0 skipped; 2 lines repeat session a (a fork or resume) and are counted there",
                "planscribe: read 2 files, 1 warning",
            ],
            read: (2, 3, 10)),
        HostileCase(
            name: "a folder where a transcript should be",
            setup: {
                try write($0, lines: [user, answer]); try FileManager.default.createDirectory(atPath: $0 + "/d.jsonl", withIntermediateDirectories: false)
            },
            status: 1, stderr: ["error: p/d.jsonl: cannot read: not a regular file (a folder)", "p/e.jsonl: 2 lines; 2 read; 0 skipped", "planscribe: read 2 files, 1 unreadable"],
            read: (1, 2, 10)),
    ]

    static let group7: [HostileCase] = [
        HostileCase(
            name: "a named pipe where a transcript should be (it must not block)",
            setup: {
                try write($0, lines: [user, answer]); #expect(mkfifo($0 + "/f.jsonl", 0o600) == 0)
            },
            status: 1, stderr: ["error: p/f.jsonl: cannot read: not a regular file (a named pipe)", "p/e.jsonl: 2 lines; 2 read; 0 skipped", "planscribe: read 2 files, 1 unreadable"],
            read: (1, 2, 10)),
        HostileCase(
            name: "an unreadable file",
            setup: {
                try write($0, lines: [user, answer]); try write($0, "x.jsonl", lines: [user]); #expect(chmod($0 + "/x.jsonl", 0) == 0)
            },
            status: 1, stderr: ["error: p/x.jsonl: cannot read: Permission denied", "p/e.jsonl: 2 lines; 2 read; 0 skipped", "planscribe: read 2 files, 1 unreadable"],
            read: (1, 2, 10), unprivileged: true),
        HostileCase(
            name: "a symlink loop",
            setup: {
                try write($0, lines: [user, answer])
                try FileManager.default.createSymbolicLink(atPath: $0 + "/l1.jsonl", withDestinationPath: "l2.jsonl")
                try FileManager.default.createSymbolicLink(atPath: $0 + "/l2.jsonl", withDestinationPath: "l1.jsonl")
            },
            status: 1,
            stderr: [
                "error: p/l1.jsonl: cannot read: Too many levels of symbolic links", "error: p/l2.jsonl: cannot read: Too many levels of symbolic links",
                "p/e.jsonl: 2 lines; 2 read; 0 skipped", "planscribe: read 3 files, 2 unreadable",
            ],
            read: (1, 2, 10)),
        HostileCase(
            name: "a folder symlink that loops back up",
            setup: {
                try write($0, lines: [user, answer]); try FileManager.default.createSymbolicLink(atPath: $0 + "/up", withDestinationPath: "..")
            },
            status: 0, stderr: ["p/e.jsonl: 2 lines; 2 read; 0 skipped"], read: (1, 2, 10)),
        HostileCase(
            name: "escape sequences in a prompt and a line type",
            setup: { try write($0, lines: [prompt(#""content":"hi""#, #""content":"\u001b]0;owned\u0007hi""#), #"{"type":"\u001b[2Jx"}"#]) },
            status: 0,
            stderr: [#"p/e.jsonl:2: warning: unknown line type "\x1B[2Jx" skipped"#, #"p/e.jsonl: 2 lines; 1 read; 0 skipped; unknown types: \x1B[2Jx ×1"#, "planscribe: read 1 file, 1 warning"],
            read: (1, 1, 0)),
    ]
}

extension URL {
    /// Creates an empty file at the URL and returns it.
    fileprivate func creatingEmpty() throws -> URL {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        return self
    }
}

@Suite(.serialized)
struct HostileInputTests {
    @Test(arguments: HostileCases.all)
    func brokenInputIsNamedAndTheRestIsRead(_ c: HostileCase) throws {
        let scratch = ScratchFolder()
        let folder = scratch.path + "/p"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try c.setup(folder)
        var arguments = ["sessions", "--verbose", "--json"] + c.options + ["p"]
        var executable = CLITests.binary
        if c.unprivileged && geteuid() == 0 {
            // root reads everything: drop to nobody so that the permission bits count
            #expect(chmod(scratch.path, 0o755) == 0)
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments
            executable = "/usr/bin/setpriv"
        }
        let r = try CLITests().run(arguments, executable: executable, directory: scratch.path)
        #expect(r.status == c.status)
        #expect(r.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == c.stderr + [""])
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let total = json?["total"] as? [String: Any]
        let usage = total?["usage"] as? [String: Any]
        #expect(total?["sessions"] as? Int == c.read.sessions)
        #expect(total?["messages"] as? Int == c.read.messages)
        #expect(usage?["output"] as? Int == c.read.output)
    }

    @Test func thereAreAtLeastFortyCases() {
        #expect(HostileCases.all.count >= 40)
        #expect(Set(HostileCases.all.map(\.name)).count == HostileCases.all.count)
    }
}

/// Files that change under the reader, made to change at an exact point: after the first line
/// was taken, while the rest of the file is still unread (it spans several read chunks).
struct ChangingFileTests {
    /// A prompt, then enough answers to fill three read chunks.
    static func bigTranscript(_ scratch: borrowing ScratchFolder) -> (path: String, lines: Int) {
        var lines = [HostileCases.user]
        var parent = "u1"
        var i = 0
        while lines.count * 350 < 3 * LineScanner.chunkSize {
            i += 1
            lines.append(Line.assistant("a\(i)", parent: parent, id: "m\(i)", block: Line.text("answer \(i)")))
            parent = "a\(i)"
        }
        return (scratch.write("p/e.jsonl", lines: lines), lines.count)
    }

    @Test func aFileTruncatedWhileItIsReadIsNamedAndWhatWasReadIsKept() throws {
        let scratch = ScratchFolder()
        let (path, count) = Self.bigTranscript(scratch)
        let file = try TranscriptFile.read(path: path) { line in
            if line == 1 { #expect(truncate(path, 1000) == 0) }
        }
        // The first chunk (1 MiB) was read before the cut: its whole lines are kept, the line it
        // ends in is incomplete, nothing after it exists any more.
        let kept = file.nodes.count
        #expect(kept > 1000 && kept < count / 2)
        #expect(file.report.truncatedLastLine)
        #expect(
            file.report.diagnostics.map(\.description) == [
                "\(path):\(kept + 1): warning: last line is incomplete (invalid JSON: the line ends before the object is closed); the file may still be being written",
                "\(path): warning: the file was truncated while it was read (1,048,576 bytes read, 1,000 now); read it again for a consistent view",
            ])
    }

    @Test func aFileReplacedWhileItIsReadIsReadWholeAsItWas() throws {
        let scratch = ScratchFolder()
        let (path, count) = Self.bigTranscript(scratch)
        let other = scratch.write("p/other.jsonl", lines: [HostileCases.user])
        let file = try TranscriptFile.read(path: path) { line in
            if line == 1 { #expect(rename(other, path) == 0) }
        }
        #expect(file.nodes.count == count)
        #expect(
            file.report.diagnostics.map(\.description) == [
                "\(path): warning: the file was replaced while it was read; this is the file as it was when reading began"
            ])
    }

    @Test func aFileThatGrowsWhileItIsReadIsNotAProblem() throws {
        let scratch = ScratchFolder()
        let (path, count) = Self.bigTranscript(scratch)
        let file = try TranscriptFile.read(path: path) { line in
            guard line == 1, let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.seekToEndOfFile()
            handle.write(Data((Line.user("late", parent: "a1", "more") + "\n").utf8))
            handle.closeFile()
        }
        #expect(file.nodes.count == count + 1)
        #expect(file.report.diagnostics.isEmpty)
    }
}

/// Broken stream-json from the CLI: what the invocation amounts to and what the runner does next.
struct HostileStreamTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var stdout: String
        var exitCode: Int32 = 0
        var sessionID: String?
        var badLines: [String]
        /// The invocation's failure, nil when it succeeded.
        var failure: String?
        /// The phase afterwards: the next step's kind, or its status and reason.
        var next: String
        var testDescription: String { name }
    }

    static let initLine = #"{"type":"system","subtype":"init","session_id":"s1","model":"m","claude_code_version":"9"}"#
    static func result(_ text: String, session: String? = "s1", extra: String = "") -> String {
        #"{"type":"result","subtype":"success","is_error":false,"result":\#(Line.json(text))\#(session.map { #","session_id":"\#($0)""# } ?? "")\#(extra)}"#
    }

    static let cases: [Case] = [
        Case(
            name: "a result with no session id and no init", stdout: result("Who?\nPHASE_STATUS: needs_input", session: nil) + "\n",
            sessionID: nil, badLines: [], failure: nil, next: "failed: the CLI reported no session id, so the phase cannot be continued"),
        Case(
            name: "a result with no session id that is done", stdout: result("Done.\nPHASE_STATUS: ready_to_advance", session: nil) + "\n",
            sessionID: nil, badLines: [], failure: nil, next: "done: ended with PHASE_STATUS: ready_to_advance"),
        Case(
            name: "stream-json that stops mid-line", stdout: initLine + "\n" + String(result("Who?").prefix(40)),
            sessionID: "s1", badLines: ["last line cut off (invalid JSON: the line ends before the object is closed)"],
            failure: "the CLI exited with code 0 without a result", next: "failed: the CLI exited with code 0 without a result"),
        Case(
            name: "no output at all", stdout: "", exitCode: 1, sessionID: nil, badLines: [],
            failure: "the CLI exited with code 1 without a result", next: "failed: the CLI exited with code 1 without a result"),
        Case(
            name: "garbage, a NUL block and invalid UTF-8 around a valid result",
            stdout: "Loading…\n\u{0}\u{0}\n" + initLine + "\n\u{FF}\n" + result("Hi\nPHASE_STATUS: needs_input") + "\n",
            sessionID: "s1",
            badLines: ["invalid JSON at byte 1: Loading…", "NUL bytes where a line should be (the file may be damaged): \u{0}\u{0}", "invalid UTF-8 at byte 1: \u{FFFD}\u{FFFD}"],
            failure: nil, next: "reply"),
        Case(
            name: "an event without a type", stdout: initLine + "\n{\"session_id\":\"s1\"}\n" + result("x\nPHASE_STATUS: ready_to_advance") + "\n",
            sessionID: "s1", badLines: [#"event without a type: {"session_id":"s1"}"#], failure: nil, next: "done: ended with PHASE_STATUS: ready_to_advance"),
        Case(
            name: "a cost that is text", stdout: initLine + "\n" + result("x", extra: #","total_cost_usd":"0.5""#) + "\n",
            sessionID: "s1", badLines: [#"field total_cost_usd: expected a number: {"type":"result","subtype":"success","is_error":false,"result":"x","session_id"…"#],
            failure: "the CLI exited with code 0 without a result", next: "failed: the CLI exited with code 0 without a result"),
        Case(
            name: "an error result with no text", stdout: initLine + "\n" + #"{"type":"result","subtype":"error_during_execution","is_error":true,"session_id":"s1"}"# + "\n",
            sessionID: "s1", badLines: [], failure: "error_during_execution", next: "failed: error_during_execution"),
        Case(
            name: "a session id that is a path", stdout: result("Who?\nPHASE_STATUS: needs_input", session: "../../../../etc/passwd") + "\n",
            sessionID: nil, badLines: ["session id ignored (not a plain name): ../../../../etc/passwd"], failure: nil,
            next: "failed: the CLI reported no session id, so the phase cannot be continued"),
        Case(
            name: "two init events with different sessions, the result names a third",
            stdout: initLine + "\n" + initLine.replacingOccurrences(of: "s1", with: "s2") + "\n" + result("ok\nPHASE_STATUS: needs_input", session: "s3") + "\n",
            sessionID: "s3", badLines: [], failure: nil, next: "reply"),
    ]

    @Test(arguments: cases)
    func brokenStreamJSON(_ c: Case) throws {
        var splitter = StreamSplitter(onEvent: { _ in }, raw: nil)
        let bytes = Array(c.stdout.utf8).map { $0 == 0xC3 ? 0xFF : $0 }  // U+00FF (C3 BF) becomes FF BF: invalid UTF-8
        bytes.withUnsafeBytes { all in
            var start = 0
            while start < all.count {  // in pieces of 7 bytes, so that lines cross reads
                let end = min(all.count, start + 7)
                splitter.feed(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
        splitter.finish()
        var outcome = splitter.outcome
        outcome.exitCode = c.exitCode
        #expect(outcome.sessionID == c.sessionID)
        #expect(outcome.badLines == c.badLines)
        #expect(outcome.failure == c.failure)

        let plan = try ClaudeCommandTests.plan(phases: "\n  - name: a\n    replies: [one]")
        let runner = PlanRunner(plan: plan, command: ClaudeCommand(plan: plan, promptTemplate: ""), process: ClaudeProcess(binary: "/bin/false", environment: [:]))
        var phase = PhaseRecord(name: "/a")
        phase.sessionID = outcome.sessionID
        let marker = outcome.finalText.flatMap(PhaseMarker.status(of:))
        let next = runner.decide(outcome, marker: marker, phase: &phase, plan: plan.phases[0])
        #expect((next.map { "\($0.kind)" } ?? "\(phase.status.rawValue): \(phase.reason ?? "")") == c.next)
    }
}

/// Names that come from transcripts (working directories, phase commands, session file names,
/// files the agent wrote) never choose where planscribe writes.
struct PathSafetyTests {
    @Test func hostileNamesInTranscriptsWriteNothingOutsideTheOutputFolder() throws {
        let scratch = ScratchFolder()
        let hostileCwds = ["/../../../../tmp/escape", "/etc/passwd", "..", "/a/" + String(repeating: "x", count: 5_000), "/w/CON", "/w/nul\u{0}x", "/w/.", "/w/\u{202E}lmth.exe"]
        for (i, cwd) in hostileCwds.enumerated() {
            let prompt = Line.user("u\(i)", parent: nil, "/../../../x phase")
                .replacingOccurrences(of: #""cwd":"/work/app""#, with: #""cwd":\#(Line.json(cwd))"#)
            let write = ##"{"type":"tool_use","id":"toolu_\##(i)","name":"Write","input":{"file_path":"../../../../tmp/escape-\##(i).md","content":"# x"}}"##
            let answer = Line.assistant("a\(i)", parent: "u\(i)", id: "m\(i)", block: write)
            _ = scratch.write("projects/-p\(i)/..%2F..%2Fs\(i).jsonl", lines: [prompt, answer])
        }
        let r = try CLITests().run(["render", "--output", "out", "projects"], directory: scratch.path)
        #expect(r.status == 0, "\(r.stderr)")
        // Every file is under out/, in a folder of safe characters, with a name of safe characters.
        let all = try FileManager.default.subpathsOfDirectory(atPath: scratch.path).filter { !$0.hasPrefix("projects") }
        let files = all.filter { path in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: scratch.path + "/" + path, isDirectory: &isDir) && !isDir.boolValue
        }
        #expect(files.count >= hostileCwds.count * 4)
        for file in files {
            // the report files alone (no lock file, no cache: those are not published), and the
            // page that lists the projects
            let report = /out\/[a-z0-9-]{1,64}\/(phases\/)?[a-z0-9-][a-z0-9.-]{0,79}\.(html|md|json|xml)/
            #expect(file.wholeMatch(of: report) != nil || file == "out/index.html", "\(file)")
        }
        let folders = Set(files.map { $0.split(separator: "/")[1] }).subtracting(["index.html"])
        // The list of projects shows the hostile names as text and links only into out/.
        let history = HTMLScan(try String(contentsOfFile: scratch.path + "/out/index.html", encoding: .utf8))
        #expect(history.dangers() == [])
        #expect(history.tags.filter { $0.name == "a" }.count == hostileCwds.count)
        #expect(history.tags.filter { $0.name == "a" }.allSatisfy { tag in tag.attributes.contains { $0.name == "href" && $0.value.wholeMatch(of: /[a-z0-9-]{1,64}\/index\.html/) != nil } })
        #expect(folders.count == hostileCwds.count)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/escape"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/escape-0.md"))
    }
}
