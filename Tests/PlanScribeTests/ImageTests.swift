import Foundation
import Testing

@testable import PlanScribe

extension EndToEndTests {
    /// An image the agent read, through the real CLI: its Read tool returns the picture as an
    /// image block, which the phase page shows as a `data:` URL (allowed by the page's CSP,
    /// nothing fetched).
    @Suite struct Images {
        /// A 1×1 PNG.
        static let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="

        @Test func anImageAToolReadIsShownOnThePage() async throws {
            let scratch = ScratchFolder()
            let workspace = scratch.path + "/workspace"
            try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
            try Data(base64Encoded: Self.png)!.write(to: URL(fileURLWithPath: workspace + "/dot.png"))
            let server = try await ScriptedModelServer { request in
                let usage = ScriptedModelServer.Usage(input: 300, output: 20)
                if request.lastIsToolResult { return .message([.text("A red dot.\n\nPHASE_STATUS: ready_to_advance")], usage: usage) }
                return .message([.toolUse(name: "Read", input: ["file_path": workspace + "/dot.png"])], usage: usage)
            }
            defer { Task { await server.stop() } }
            let plan = scratch.write(
                "plan.yaml",
                lines: ["slug: image-app", "description: d", "workspace: \(workspace)", "phases: [{ name: /office-hours, plain: true }]", "claude: { max_turns: 4, default_add_dirs: false }"])
            let process = try await EndToEndTests.run(["run", plan], port: server.port, scratch: scratch)
            let stderr = (try? String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)) ?? ""
            try #require(process.terminationStatus == 0, "\(stderr)")
            let page = try String(contentsOfFile: scratch.path + "/out/phases/01-office-hours.html", encoding: .utf8)
            let images = HTMLScan(page).tags.filter { $0.name == "img" }
            try #require(images.count == 1, "\(page)")
            let src = try #require(images[0].attributes.first { $0.name == "src" }?.value)
            #expect(src.hasPrefix("data:image/png;base64,") || src.hasPrefix("data:image/jpeg;base64,"), "\(src.prefix(60))")
            let bytes = try #require(Data(base64Encoded: String(src.split(separator: ",", maxSplits: 1)[1])))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) || bytes.starts(with: [0xFF, 0xD8]))
            #expect(HTMLScan(page).dangers() == [])
            // The Markdown says what it was and where to see it; it embeds nothing.
            let markdown = try String(contentsOfFile: scratch.path + "/out/phases/01-office-hours.md", encoding: .utf8)
            #expect(markdown.contains("): shown on the HTML page*") && !markdown.contains("data:"), "\(markdown)")
        }
    }
}

/// Images that must not be shown: a type that can hold script, data that is not base64, and
/// one over the size limit.
struct HostileImageTests {
    @Test func onlyRasterImagesOfBase64DataWithinTheLimitAreEmbedded() throws {
        let scratch = ScratchFolder()
        func image(_ type: String, _ data: String) -> String {
            #"{"type":"image","source":{"type":"base64","media_type":"\#(type)","data":"\#(data)"}}"#
        }
        let big = String(repeating: "A", count: ImageInfo.embedLimit + 4)
        let blocks = [
            image("image/png", EndToEndTests.Images.png), image("image/svg+xml", "PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"),
            image("image/png", #"AAAA\" onerror=\"alert(1)"#), image("image/png", big), image("text/html", "PHNjcmlwdD4="),
        ]
        var lines = [Line.user("u0", parent: nil, "/office-hours look")]
        var parent = "u0"
        for (i, block) in blocks.enumerated() {
            lines.append(Line.assistant("a\(i)", parent: parent, id: "m\(i)", block: block))
            parent = "a\(i)"
        }
        _ = scratch.write("p/s.jsonl", lines: lines)
        let page = try #require(try Render.files([scratch.path + "/p"])["phases/01-office-hours.html"])
        let scan = HTMLScan(page)
        #expect(scan.dangers() == [])
        let sources = scan.tags.filter { $0.name == "img" }.compactMap { $0.attributes.first { $0.name == "src" }?.value }
        #expect(sources == ["data:image/png;base64," + EndToEndTests.Images.png])
        #expect(scan.text.contains("image (image/svg+xml, 21 bytes) not embedded"))
        #expect(scan.text.contains("image (image/png, 750,003 bytes) not embedded: over the size limit"))
    }
}

extension EndToEndTests {
    /// A command that fails, through the real CLI: its call says how it ended.
    @Suite struct CommandStatus {
        @Test func aFailedCommandShowsItsExitCode() async throws {
            let scratch = ScratchFolder()
            let workspace = scratch.path + "/workspace"
            try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
            let server = try await ScriptedModelServer { request in
                let usage = ScriptedModelServer.Usage(input: 300, output: 20)
                if request.lastIsToolResult { return .message([.text("It failed.\n\nPHASE_STATUS: ready_to_advance")], usage: usage) }
                return .message([.toolUse(name: "Bash", input: ["command": "echo broken >&2; exit 3", "description": "Fail on purpose"])], usage: usage)
            }
            defer { Task { await server.stop() } }
            let plan = scratch.write(
                "plan.yaml",
                lines: [
                    "slug: bash-app", "description: d", "workspace: \(workspace)", "phases: [{ name: /office-hours, plain: true }]",
                    "claude: { max_turns: 4, default_add_dirs: false, allowed_tools: [Bash] }",
                ])
            let process = try await EndToEndTests.run(["run", plan], port: server.port, scratch: scratch)
            let stderr = (try? String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)) ?? ""
            try #require(process.terminationStatus == 0, "\(stderr)")
            let page = try String(contentsOfFile: scratch.path + "/out/phases/01-office-hours.html", encoding: .utf8)
            #expect(page.contains(#"<span class="tool-name">Bash</span> echo broken &gt;&amp;2; exit 3 <span class="error">(exit 3)</span></summary>"#), "\(page)")
            #expect(page.contains("# Fail on purpose\n$ echo broken &gt;&amp;2; exit 3"))
            #expect(HTMLScan(page).text.contains("broken"))
            let markdown = try String(contentsOfFile: scratch.path + "/out/phases/01-office-hours.md", encoding: .utf8)
            #expect(markdown.contains("Result (exit 3):"), "\(markdown)")
        }
    }
}
