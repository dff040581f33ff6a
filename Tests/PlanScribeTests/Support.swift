import Foundation
import Testing

@testable import PlanScribe

/// Paths of the fixtures that ship with the tests.
enum Fixture {
    static let root: String = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.path

    static func path(_ relative: String) -> String { root + "/" + relative }

    static let planningProject = path("planning-run/projects/-tmp-planscribe-fixture-todo-app")
    static let cliProject = path("cli-2.1.332/-tmp-ccrun-proj")
    static let realProjects = path("claude-code-log-real")
    static let broken = path("broken/-work-broken/b0000000-0000-4000-8000-000000000001.jsonl")
    /// The built-in search script (`Templates/html/search.js`): the one script a report's
    /// index page may hold.
    static let searchScript: String = try! TemplateSet.load().searchScript

    /// Reads every session under `paths`, oldest first, with one duplicate filter.
    static func sessions(_ paths: [String]) throws -> [Session] {
        var filter = DuplicateFilter()
        let reader = SessionReader()
        return try TranscriptLocator.locate(paths).map { try reader.read($0, filter: &filter) }
    }
}

/// A scratch folder for tests that write transcripts of their own.
struct ScratchFolder: ~Copyable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "planscribe-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes JSON lines (one per element) to a file in the folder and returns its path.
    func write(_ name: String, lines: [String], trailingNewline: Bool = true) -> String {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let text = lines.joined(separator: "\n") + (trailingNewline ? "\n" : "")
        try! Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    func write(_ name: String, bytes: [UInt8]) -> String {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// Builds transcript lines for tests.
enum Line {
    static func user(_ uuid: String, parent: String?, _ text: String, extra: String = "") -> String {
        #"{"type":"user","uuid":"\#(uuid)","parentUuid":\#(parent.map { "\"\($0)\"" } ?? "null"),"timestamp":"2026-01-01T00:00:\#(stamp(uuid))Z","sessionId":"s","cwd":"/work/app","message":{"role":"user","content":\#(json(text))}\#(extra)}"#
    }

    static func assistant(_ uuid: String, parent: String?, id: String, request: String = "req_1", block: String, output: Int = 10, model: String = "claude-sonnet-4-5-20250929", extra: String = "")
        -> String
    {
        #"{"type":"assistant","uuid":"\#(uuid)","parentUuid":\#(parent.map { "\"\($0)\"" } ?? "null"),"timestamp":"2026-01-01T00:00:\#(stamp(uuid))Z","sessionId":"s","requestId":"\#(request)","message":{"id":"\#(id)","role":"assistant","model":"\#(model)","content":[\#(block)],"usage":{"input_tokens":100,"output_tokens":\#(output),"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}\#(extra)}"#
    }

    static func text(_ t: String) -> String { #"{"type":"text","text":\#(json(t))}"# }

    static func json(_ s: String) -> String {
        String(decoding: try! JSONEncoder().encode(s), as: UTF8.self)
    }

    /// Two digits from the uuid so that timestamps differ but stay valid.
    private static func stamp(_ uuid: String) -> String {
        let digits = uuid.filter(\.isNumber)
        return String(("00" + digits).suffix(2))
    }
}
