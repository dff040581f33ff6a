import Foundation
import PlanScribe

/// Writes a deterministic Claude Code projects tree of a given size, made of the line shapes
/// real transcripts have (CLI 2.1.x): prompts, split assistant messages (thinking, text, tool
/// calls) with growing usage, tool results of varied length with their structured copy,
/// attachments, request records, queue operations, cost-state lines, subagents with meta
/// files. Every id is fresh and every parent chain intact; the same arguments give the same
/// bytes.
struct TreeGenerator {
    var targetBytes: Int
    var bigSessionBytes: Int?
    var seed: UInt64 = 0x5EED

    private var rng: UInt64 = 0
    private var counter: UInt64 = 0

    init(targetBytes: Int, bigSessionBytes: Int?) {
        self.targetBytes = targetBytes
        self.bigSessionBytes = bigSessionBytes
        rng = seed
    }

    /// A deterministic pseudo-random number (xorshift).
    private mutating func next() -> UInt64 {
        rng ^= rng << 13
        rng ^= rng >> 7
        rng ^= rng << 17
        return rng
    }

    private mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    private mutating func uuid() -> String {
        counter += 1
        let a = next(), b = counter
        return String(
            format: "%08x-%04x-4%03x-8%03x-%012llx", UInt32(truncatingIfNeeded: a), UInt16(truncatingIfNeeded: a >> 32), UInt16(truncatingIfNeeded: a >> 48) & 0xFFF,
            UInt16(truncatingIfNeeded: b) & 0xFFF, b)
    }

    private static let words =
        "the of a to in planning phase review team todo list user budget price design api server database cache query render report cost token session agent tool result file write read edit test build deploy swift package module function error retry timeout resume marker status"
        .split(separator: " ").map(String.init)

    private mutating func text(_ length: Int) -> String {
        var out = ""
        out.reserveCapacity(length + 16)
        var sentence = 0
        while out.utf8.count < length {
            out += Self.words[int(0...(Self.words.count - 1))]
            sentence += 1
            if sentence > 12 && int(0...3) == 0 {
                out += int(0...5) == 0 ? ".\n\n" : ". "
                sentence = 0
            } else {
                out += " "
            }
        }
        return out
    }

    /// An assistant reply as replies are written: paragraphs with bold, inline code, colons
    /// and the odd link, headings, bullet and numbered lists, fenced code and now and then a
    /// table, so that render does the Markdown work real transcripts ask of it.
    private mutating func markdown(_ length: Int) -> String {
        var out = ""
        out.reserveCapacity(length + 200)
        func words(_ n: Int) -> String {
            (0..<n).map { _ in Self.words[int(0...(Self.words.count - 1))] }.joined(separator: " ")
        }
        while out.utf8.count < length {
            switch int(0...9) {
            case 0:
                out += "## " + words(int(2...5)).capitalized + "\n\n"
            case 1, 2:
                for _ in 0..<int(2...5) {
                    out += "- **" + words(int(1...3)) + "**: " + words(int(4...14)) + (int(0...2) == 0 ? " (`" + words(1) + "." + words(1) + "`)" : "") + "\n"
                }
                out += "\n"
            case 3:
                for i in 1...int(2...4) { out += "\(i). " + words(int(5...15)) + "\n" }
                out += "\n"
            case 4:
                out +=
                    "```swift\nfunc " + words(1) + "() throws -> " + words(1).capitalized + " {\n    let " + words(1) + " = try " + words(1) + "(\\(" + words(1) + "))\n    return " + words(1)
                    + "\n}\n```\n\n"
            case 5 where int(0...2) == 0:
                out += "| " + words(1) + " | " + words(1) + " |\n|---|---|\n"
                for _ in 0..<int(2...4) { out += "| " + words(int(1...3)) + " | " + words(int(1...4)) + " |\n" }
                out += "\n"
            default:
                let first = words(int(8...30))
                var paragraph = first.prefix(1).uppercased() + first.dropFirst()
                if int(0...2) == 0 { paragraph += " — see `" + words(1) + "_" + words(1) + "` and **" + words(2) + "**" }
                if int(0...4) == 0 { paragraph += ", as [the " + words(1) + " notes](https://example.com/" + words(1) + ") say" }
                if int(0...3) == 0 { paragraph += ". Next: " + words(int(3...8)) }
                out += paragraph + ".\n\n"
            }
        }
        return out
    }

    private func json(_ s: String) -> String {
        String(decoding: try! JSONEncoder().encode(s), as: UTF8.self)
    }

    struct Written {
        var files = 0
        var bytes = 0
        var sessions = 0
    }

    /// Writes the tree under `folder/projects/`.
    mutating func write(to folder: String) throws -> Written {
        var written = Written()
        let projects = folder + "/projects"
        try FileManager.default.createDirectory(atPath: projects, withIntermediateDirectories: true)
        var projectIndex = 0
        var minute = 0
        if let big = bigSessionBytes {
            let dir = projects + "/-home-dev-big-project"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            written.bytes += try session(in: dir, cwd: "/home/dev/big-project", bytes: big, minute: &minute, withSubagent: true)
            written.files += 2
            written.sessions += 1
        }
        while written.bytes < targetBytes {
            projectIndex += 1
            let cwd = "/home/dev/project-\(projectIndex)"
            let dir = projects + "/" + TranscriptLocator.projectFolderName(for: cwd)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for _ in 0..<int(3...12) where written.bytes < targetBytes {
                // Sizes from a few KB to a few MB, most of them small.
                let roll = int(0...99)
                let size = roll < 50 ? int(4_000...60_000) : roll < 85 ? int(60_000...600_000) : roll < 98 ? int(600_000...3_000_000) : int(3_000_000...12_000_000)
                let sub = int(0...4) == 0
                written.bytes += try session(in: dir, cwd: cwd, bytes: min(size, targetBytes - written.bytes + 4_000), minute: &minute, withSubagent: sub)
                written.files += sub ? 2 : 1
                written.sessions += 1
            }
        }
        return written
    }

    private mutating func session(in dir: String, cwd: String, bytes: Int, minute: inout Int, withSubagent: Bool) throws -> Int {
        let id = uuid()
        var out = SessionWriter(path: dir + "/" + id + ".jsonl")
        let common = #""userType":"external","entrypoint":"cli","cwd":\#(json(cwd)),"sessionId":"\#(id)","version":"2.1.332","gitBranch":"main""#
        var parent: String?
        var cost = 0.0
        var agentWritten = false
        func stamp(_ m: Int, _ s: Int) -> String {
            let day = 1 + (m / 1440) % 28
            return String(format: "2026-10-%02dT%02d:%02d:%02d.%03dZ", day, (m / 60) % 24, m % 60, s % 60, (m * 7 + s) % 1000)
        }
        var turn = 0
        while out.bytes < bytes {
            turn += 1
            minute += 1
            let promptID = uuid()
            let prompt = turn == 1 && int(0...2) == 0 ? "/plan-eng-review " + text(int(30...200)) : text(int(40...400))
            out.line(#"{"type":"queue-operation","operation":"enqueue","timestamp":"\#(stamp(minute, 0))","sessionId":"\#(id)","content":\#(json(prompt))}"#)
            out.line(
                #"{"parentUuid":\#(parent.map { "\"\($0)\"" } ?? "null"),"isSidechain":false,"promptId":"\#(uuid())","type":"user","message":{"role":"user","content":\#(json(prompt))},"uuid":"\#(promptID)","timestamp":"\#(stamp(minute, 1))",\#(common)}"#
            )
            parent = promptID
            for kind in ["date", "environment", "total_tokens_reminder"] where int(0...1) == 0 {
                let a = uuid()
                out.line(
                    #"{"parentUuid":"\#(parent!)","isSidechain":false,"attachment":{"type":"\#(kind)","text":\#(json(text(int(40...300))))},"type":"attachment","uuid":"\#(a)","timestamp":"\#(stamp(minute, 1))","rendered":[{"content":\#(json(text(int(40...300))))}],"renderedRole":"system",\#(common)}"#
                )
                parent = a
            }
            if turn == 1 {
                // One large prompt snapshot and request record per session, as 2.1.332 writes.
                let a = uuid()
                out.line(
                    #"{"parentUuid":"\#(parent!)","isSidechain":false,"attachment":{"type":"prompt_snapshot","systemPrompt":[\#(json(text(int(20_000...60_000))))]},"type":"attachment","uuid":"\#(a)","timestamp":"\#(stamp(minute, 1))",\#(common)}"#
                )
                parent = a
                out.line(
                    #"{"type":"api-request-shape","sessionId":"\#(id)","shapeHash":"\#(uuid())","timestamp":"\#(stamp(minute, 1))","version":"2.1.332","shape":{"system":[{"type":"text","text":\#(json(text(int(10_000...30_000))))}],"tools":[]}}"#
                )
            }
            // Tool loop: a few API calls, each written as several lines of one message.
            for call in 0..<int(1...5) {
                let messageID = "msg_" + uuid().replacingOccurrences(of: "-", with: "")
                let requestID = "req_" + uuid().replacingOccurrences(of: "-", with: "")
                let input = int(500...4000), read = int(5_000...80_000), write5 = int(0...3000), write1 = int(0...1) == 0 ? 0 : int(0...2000)
                var blocks: [String] = []
                if call == 0 && int(0...2) == 0 { blocks.append(#"{"type":"thinking","thinking":\#(json(text(int(100...1500)))),"signature":"c2ln"}"#) }
                blocks.append(#"{"type":"text","text":\#(json(markdown(int(80...2500))))}"#)
                let usesTool = call < 4 && int(0...3) != 0
                let toolID = "toolu_" + uuid().replacingOccurrences(of: "-", with: "").prefix(24)
                let useAgent = withSubagent && !agentWritten && usesTool
                if usesTool {
                    if useAgent {
                        blocks.append(#"{"type":"tool_use","id":"\#(toolID)","name":"Agent","input":{"description":"Scan the code","prompt":\#(json(text(200))),"subagent_type":"general-purpose"}}"#)
                    } else if int(0...1) == 0 {
                        blocks.append(#"{"type":"tool_use","id":"\#(toolID)","name":"Bash","input":{"command":\#(json("grep -rn " + text(20))),"description":"Search"}}"#)
                    } else {
                        blocks.append(#"{"type":"tool_use","id":"\#(toolID)","name":"Write","input":{"file_path":"/home/dev/notes-\#(turn).md","content":\#(json(text(int(200...6000))))}}"#)
                    }
                }
                let finalOutput = int(50...1500)
                for (i, block) in blocks.enumerated() {
                    let a = uuid()
                    let outputTokens = i == blocks.count - 1 ? finalOutput : int(1...finalOutput)
                    out.line(
                        #"{"parentUuid":"\#(parent!)","isSidechain":false,"message":{"id":"\#(messageID)","type":"message","role":"assistant","model":"claude-opus-5-5","content":[\#(block)],"stop_reason":"\#(usesTool ? "tool_use" : "end_turn")","stop_sequence":null,"usage":{"input_tokens":\#(input),"cache_creation_input_tokens":\#(write5 + write1),"cache_read_input_tokens":\#(read),"output_tokens":\#(outputTokens),"service_tier":"standard","cache_creation":{"ephemeral_1h_input_tokens":\#(write1),"ephemeral_5m_input_tokens":\#(write5)}}},"requestId":"\#(requestID)","type":"assistant","uuid":"\#(a)","timestamp":"\#(stamp(minute, 2 + call))",\#(common)}"#
                    )
                    parent = a
                }
                cost += (Double(input) * 4 + Double(finalOutput) * 20 + Double(write5) * 5 + Double(write1) * 8 + Double(read) * 0.2) / 1e6
                guard usesTool else { break }
                let roll = int(0...19)
                let resultText = text(roll < 12 ? int(100...2000) : roll < 18 ? int(2000...20000) : int(20000...120000))
                let r = uuid()
                var structured = #"{"stdout":\#(json(resultText)),"stderr":"","interrupted":false,"isImage":false}"#
                if useAgent {
                    let agentID = String(uuid().replacingOccurrences(of: "-", with: "").prefix(17))
                    structured = #"{"status":"completed","agentId":"\#(agentID)","content":[{"type":"text","text":\#(json(resultText))}],"totalTokens":12345}"#
                    try subagent(dir: dir, session: id, agentID: agentID, toolUseID: String(toolID), cwd: cwd, minute: minute)
                    agentWritten = true
                }
                out.line(
                    #"{"parentUuid":"\#(parent!)","isSidechain":false,"promptId":"\#(uuid())","type":"user","message":{"role":"user","content":[{"tool_use_id":"\#(toolID)","type":"tool_result","content":\#(json(resultText)),"is_error":false}]},"uuid":"\#(r)","timestamp":"\#(stamp(minute, 8 + call))","toolUseResult":\#(structured),"sourceToolAssistantUUID":"\#(parent!)",\#(common)}"#
                )
                parent = r
                if int(0...3) == 0 {
                    out.line(#"{"type":"api-request-blob","sessionId":"\#(id)","hash":"\#(uuid())","message":{"role":"user","content":[{"type":"text","text":\#(json(text(int(2000...40000))))}]}}"#)
                }
            }
            out.line(#"{"type":"last-prompt","lastPrompt":\#(json(String(prompt.prefix(80)))),"leafUuid":"\#(parent!)","sessionId":"\#(id)"}"#)
            out.line(#"{"type":"cost-state","sessionId":"\#(id)","totalCostUSD":\#(String(format: "%.6f", cost)),"totalAPIDuration":1000,"modelUsage":{}}"#)
        }
        try out.close()
        return out.bytes
    }

    private mutating func subagent(dir: String, session: String, agentID: String, toolUseID: String, cwd: String, minute: Int) throws {
        let folder = dir + "/" + session + "/subagents"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var out = SessionWriter(path: folder + "/agent-\(agentID).jsonl")
        let common = #""userType":"external","cwd":\#(json(cwd)),"sessionId":"\#(session)","version":"2.1.332","agentId":"\#(agentID)""#
        var parent = uuid()
        out.line(#"{"parentUuid":null,"isSidechain":true,"type":"user","message":{"role":"user","content":\#(json(text(200)))},"uuid":"\#(parent)","timestamp":"2026-10-01T00:00:00.000Z",\#(common)}"#)
        for _ in 0..<int(2...6) {
            let a = uuid()
            let m = "msg_" + uuid().replacingOccurrences(of: "-", with: "")
            out.line(
                #"{"parentUuid":"\#(parent)","isSidechain":true,"message":{"id":"\#(m)","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[{"type":"text","text":\#(json(markdown(int(100...1500))))}],"usage":{"input_tokens":\#(int(100...900)),"cache_creation_input_tokens":0,"cache_read_input_tokens":\#(int(1000...9000)),"output_tokens":\#(int(20...400))}},"requestId":"req_\#(uuid())","type":"assistant","uuid":"\#(a)","timestamp":"2026-10-01T00:00:01.000Z",\#(common)}"#
            )
            parent = a
        }
        try out.close()
        try Data(#"{"agentType":"general-purpose","toolUseId":"\#(toolUseID)","description":"Scan the code"}"#.utf8).write(to: URL(fileURLWithPath: folder + "/agent-\(agentID).meta.json"))
        _ = minute
    }
}

/// Buffered writes of lines to a file.
struct SessionWriter {
    let handle: FileHandle
    var buffer = Data()
    var bytes = 0

    init(path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = FileHandle(forWritingAtPath: path)!
        buffer.reserveCapacity(1 << 20)
    }

    mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        bytes += text.utf8.count + 1
        if buffer.count >= 1 << 20 {
            handle.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    mutating func close() throws {
        handle.write(buffer)
        try handle.close()
    }
}
