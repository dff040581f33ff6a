import FlyingFox
import Foundation
import Testing

/// A scripted stand-in for the Messages API on loopback, for end-to-end tests with the real
/// Claude Code CLI. Each answer is decided from the request alone by the scenario.
final class ScriptedModelServer: @unchecked Sendable {
    /// What the scripted model answers.
    enum Answer {
        /// A message made of blocks, with its usage.
        case message([Block], usage: Usage)
        /// An HTTP error status (400 ends the CLI's run, 5xx makes it retry).
        case httpError(Int)
        /// Wait, then answer.
        case delayed(Double, Box)

        final class Box: @unchecked Sendable {
            let answer: Answer
            init(_ answer: Answer) { self.answer = answer }
        }
    }

    enum Block {
        case text(String)
        case thinking(String)
        case toolUse(name: String, input: [String: Any])
    }

    struct Usage {
        var input: Int
        var output: Int
        var cacheWrite5m = 0
        var cacheWrite1h = 0
        var cacheRead = 0
    }

    /// What a scenario sees of a request.
    struct Request {
        let json: [String: Any]
        var messages: [[String: Any]] { json["messages"] as? [[String: Any]] ?? [] }

        /// Every text of a message (text blocks and tool results).
        static func texts(_ message: [String: Any]) -> [String] {
            if let s = message["content"] as? String { return [s] }
            var out: [String] = []
            for block in message["content"] as? [[String: Any]] ?? [] {
                if let t = block["text"] as? String { out.append(t) }
                if let c = block["content"] as? String { out.append(c) }
                if let parts = block["content"] as? [[String: Any]] { out += parts.compactMap { $0["text"] as? String } }
            }
            return out
        }

        var firstUserText: String { messages.first.map { Self.texts($0).joined(separator: "\n") } ?? "" }
        var lastIsToolResult: Bool {
            (messages.last?["content"] as? [[String: Any]])?.contains { $0["type"] as? String == "tool_result" } ?? false
        }
        /// The user turns that are planscribe's messages (canned replies, nudges, retries).
        var externalMessages: [String] {
            messages.filter { $0["role"] as? String == "user" }.map { Self.texts($0).joined(separator: "\n") }
                .filter { $0.contains("[EXTERNAL CONTENT]") }
        }
        var lastExternal: String { externalMessages.last ?? "" }
        var isCountTokens: Bool = false
    }

    private let server: HTTPServer
    private let task: Task<Void, any Error>
    private let counter = Counter()
    let port: UInt16

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
    }

    init(scenario: @escaping @Sendable (Request) -> Answer) async throws {
        let server = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: 0), timeout: 120)
        let counter = self.counter
        await server.appendRoute("*") { request in
            guard request.method == .POST, request.path.hasPrefix("/v1/messages") else {
                return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"], body: Data("{}".utf8))
            }
            let body = try await request.bodyData
            let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
            if request.path.contains("count_tokens") {
                return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"], body: Data(#"{"input_tokens":10}"#.utf8))
            }
            var answer = scenario(Request(json: json))
            while case .delayed(let seconds, let box) = answer {
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                answer = box.answer
            }
            return ScriptedModelServer.response(answer, model: json["model"] as? String ?? "claude-sonnet-4-5", n: counter.next())
        }
        self.server = server
        task = Task { try await server.run() }
        try await server.waitUntilListening()
        guard case .ip4(_, let port)? = await server.listeningAddress else { throw CancellationError() }
        self.port = port
    }

    func stop() async {
        await server.stop()
        task.cancel()
    }

    static func response(_ answer: Answer, model: String, n: Int) -> HTTPResponse {
        guard case .message(let blocks, let usage) = answer else {
            if case .httpError(let status) = answer {
                let body = #"{"type":"error","error":{"type":"invalid_request_error","message":"scripted failure \#(status)"}}"#
                return HTTPResponse(statusCode: HTTPStatusCode(status, phrase: "Scripted"), headers: [.contentType: "application/json"], body: Data(body.utf8))
            }
            return HTTPResponse(statusCode: .internalServerError)
        }
        var events: [(String, [String: Any])] = []
        let usageJSON: [String: Any] = [
            "input_tokens": usage.input, "output_tokens": 1, "cache_read_input_tokens": usage.cacheRead,
            "cache_creation_input_tokens": usage.cacheWrite5m + usage.cacheWrite1h,
            "cache_creation": ["ephemeral_5m_input_tokens": usage.cacheWrite5m, "ephemeral_1h_input_tokens": usage.cacheWrite1h],
        ]
        events.append(
            (
                "message_start",
                [
                    "type": "message_start",
                    "message": [
                        "id": String(format: "msg_e2e%04d", n), "type": "message", "role": "assistant", "model": model, "content": [Any](),
                        "stop_reason": NSNull(), "stop_sequence": NSNull(), "usage": usageJSON,
                    ] as [String: Any],
                ]
            ))
        var stop = "end_turn"
        for (i, block) in blocks.enumerated() {
            switch block {
            case .text(let t):
                events.append(("content_block_start", ["type": "content_block_start", "index": i, "content_block": ["type": "text", "text": ""]]))
                events.append(("content_block_delta", ["type": "content_block_delta", "index": i, "delta": ["type": "text_delta", "text": t]]))
            case .thinking(let t):
                events.append(("content_block_start", ["type": "content_block_start", "index": i, "content_block": ["type": "thinking", "thinking": ""]]))
                events.append(("content_block_delta", ["type": "content_block_delta", "index": i, "delta": ["type": "thinking_delta", "thinking": t]]))
                events.append(("content_block_delta", ["type": "content_block_delta", "index": i, "delta": ["type": "signature_delta", "signature": "c2ln"]]))
            case .toolUse(let name, let input):
                stop = "tool_use"
                let id = String(format: "toolu_e2e%04d%02d", n, i)
                let inputText = String(decoding: try! JSONSerialization.data(withJSONObject: input, options: [.sortedKeys]), as: UTF8.self)
                events.append(("content_block_start", ["type": "content_block_start", "index": i, "content_block": ["type": "tool_use", "id": id, "name": name, "input": [String: Any]()]]))
                events.append(("content_block_delta", ["type": "content_block_delta", "index": i, "delta": ["type": "input_json_delta", "partial_json": inputText]]))
            }
            events.append(("content_block_stop", ["type": "content_block_stop", "index": i]))
        }
        events.append(("message_delta", ["type": "message_delta", "delta": ["stop_reason": stop, "stop_sequence": NSNull()], "usage": ["output_tokens": usage.output]]))
        events.append(("message_stop", ["type": "message_stop"]))
        var payload = ""
        for (name, data) in events {
            payload += "event: \(name)\ndata: " + String(decoding: try! JSONSerialization.data(withJSONObject: data), as: UTF8.self) + "\n\n"
        }
        return HTTPResponse(
            statusCode: .ok, headers: [.contentType: "text/event-stream", HTTPHeader("request-id"): String(format: "req_e2e%04d", n)],
            body: Data(payload.utf8))
    }
}

/// The real Claude Code CLI, when `.ci/setup` installed it (or `PLANSCRIBE_CLAUDE` names it).
enum RealCLI {
    static let path: String? = {
        if let explicit = ProcessInfo.processInfo.environment["PLANSCRIBE_TEST_CLAUDE"], FileManager.default.isExecutableFile(atPath: explicit) {
            return explicit
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lib = root.appendingPathComponent(".build/claude-cli/lib")
        for python in (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? [] {
            let candidate = lib.appendingPathComponent(python + "/site-packages/claude_agent_sdk/_bundled/claude").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static var missingReason: Comment {
        "the Claude Code CLI is not installed here: run .ci/setup (it installs it into .build/claude-cli); CI always runs these tests"
    }

    /// The environment that points the CLI at a scripted server, with a scratch config folder.
    static func environment(port: UInt16, configDir: String) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:\(port)"
        env["ANTHROPIC_API_KEY"] = "sk-ant-test-planscribe-00000000"
        env["CLAUDE_CONFIG_DIR"] = configDir
        env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1"
        env["CLAUDE_CODE_MAX_RETRIES"] = "1"
        env.removeValue(forKey: "ANTHROPIC_AUTH_TOKEN")
        return env
    }
}
