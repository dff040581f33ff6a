import Foundation
import Testing

@testable import PlanScribe

/// Runs the built `planscribe` executable on the fixtures and compares its output with
/// golden files in `Golden/cli/`. Set `PLANSCRIBE_RECORD_GOLDEN=1` to re-record them, then
/// review the diff.
struct CLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let binary: String = {
        // The resource bundle sits in the build products folder, beside the executable.
        let products = Bundle.module.bundleURL.deletingLastPathComponent()
        return products.appendingPathComponent("planscribe").path
    }()

    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/cli")

    func run(_ arguments: [String], environment: [String: String] = [:], executable: String = CLITests.binary, directory: String = Fixture.root) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["CLAUDE_CONFIG_DIR"] = "/nonexistent-planscribe-config"
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes are drained at once: read one after the other, a command that fills the
        // second's buffer (64 KB of warnings) before closing the first would never end.
        final class Drained: @unchecked Sendable { var data = Data() }
        let stderr = Drained()
        let reading = DispatchGroup()
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async(group: reading) { stderr.data = errHandle.readDataToEndOfFile() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr.data, as: UTF8.self))
    }

    /// Starts the built `planscribe` without waiting for it: stdout to /dev/null, stderr to
    /// the file `stderrFile` (created empty) or /dev/null, the environment as given (else this
    /// process's).
    static func launch(_ arguments: [String], environment: [String: String]? = nil, directory: String? = nil, stderrFile: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        if let stderrFile { _ = FileManager.default.createFile(atPath: stderrFile, contents: nil) }
        process.standardError = FileHandle(forWritingAtPath: stderrFile ?? "/dev/null")
        try process.run()
        return process
    }

    func expectGolden(_ name: String, _ actual: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = Self.goldenFolder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["PLANSCRIBE_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenFolder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: file)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "golden file \(name) differs", sourceLocation: sourceLocation)
    }

    /// The runner drains stdout and stderr at once: 3,000 broken lines under `-v` write
    /// over 64 KB of warnings before the table (read one pipe after the other, this hung).
    @Test func aCommandWithMuchToSayOnStderrIsReadWhole() throws {
        let scratch = ScratchFolder()
        let name = try #require(FileManager.default.contentsOfDirectory(atPath: Fixture.planningProject).sorted().first { $0.hasSuffix(".jsonl") })
        let good = try String(contentsOfFile: Fixture.planningProject + "/" + name, encoding: .utf8)
        let path = scratch.write("p/b1000000-0000-4000-8000-000000000001.jsonl", lines: good.split(separator: "\n").map(String.init) + Array(repeating: "{broken", count: 3_000))
        let r = try run(["sessions", "-v", path])
        #expect(r.stderr.utf8.count > 64 * 1024)
        #expect(r.stderr.components(separatedBy: "invalid JSON").count - 1 == 3_000)
        #expect(r.stdout.contains("total     1 session"))
    }

    @Test func sessionsTableOfThePlanningRun() throws {
        let r = try run(["sessions", "planning-run/projects"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        try expectGolden("sessions-planning.txt", r.stdout)
    }

    @Test func sessionsAsJSON() throws {
        let r = try run(["sessions", "--json", "planning-run/projects"])
        #expect(r.status == 0)
        try expectGolden("sessions-planning.json", r.stdout.replacingOccurrences(of: Fixture.root, with: "<fixtures>"))
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let total = object?["total"] as? [String: Any]
        #expect(total?["estimated_cost_usd"] as? Double == 0.287458)
        #expect(total?["reported_cost_usd"] as? Double == 0.287458)
    }

    @Test func costByPhaseAndByModel() throws {
        let phase = try run(["cost", "--by", "phase", "planning-run/projects"])
        #expect(phase.status == 0)
        try expectGolden("cost-by-phase.txt", phase.stdout)
        let model = try run(["cost", "--by", "model", "--json", "planning-run/projects"])
        #expect(model.status == 0)
        try expectGolden("cost-by-model.json", model.stdout)
    }

    /// A total whose reported figure covers only some sessions says how many, in both tables.
    @Test func partlyReportedTotalsSaySo() throws {
        let sessions = try run(["sessions", "planning-run/projects", "claude-code-log-real"])
        #expect(sessions.status == 0)
        #expect(sessions.stdout.split(separator: "\n").last?.hasSuffix("$1.169156  $0.287458 (4 of 9)") == true)
        let cost = try run(["cost", "planning-run/projects", "claude-code-log-real"])
        #expect(cost.stdout.contains("$1.169156  $0.287458 (4 of 9)\n"))
        #expect(cost.stdout.hasSuffix("The reported $0.287458 covers 4 of 9 sessions, whose estimate is $0.287458; the others carry no figure of the CLI's.\n"))
        #expect(!cost.stdout.contains("*"))
    }

    @Test func costFlagsWhereTheCLIsFigureDiffers() throws {
        let r = try run(["cost", "cli-2.1.332"])
        #expect(r.status == 0)
        try expectGolden("cost-cli-sessions.txt", r.stdout)
        try expectGolden("cost-cli-sessions.stderr.txt", r.stderr)
    }

    @Test func brokenLinesAreWarningsAndExitZero() throws {
        let quiet = try run(["sessions", "broken"])
        #expect(quiet.status == 0)
        try expectGolden("sessions-broken.txt", quiet.stdout)
        try expectGolden("sessions-broken.stderr.txt", quiet.stderr)
        let verbose = try run(["sessions", "--verbose", "broken"])
        #expect(verbose.status == 0)
        try expectGolden("sessions-broken-verbose.stderr.txt", verbose.stderr)
    }

    @Test func projectOptionFindsTheFolderFromTheWorkingDirectory() throws {
        let r = try run(["cost", "--project", "/tmp/planscribe-fixture/todo-app"], environment: ["CLAUDE_CONFIG_DIR": Fixture.path("planning-run")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("total        14  17,853  1,090   28,000  201,000  $0.287458  $0.287458"))
    }

    @Test func usageErrorsExitTwo() throws {
        let missing = try run(["sessions", "no/such/path"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("Error: no/such/path: no such file or folder\n"))
        let badFlag = try run(["cost", "--by", "week", "planning-run/projects"])
        #expect(badFlag.status == 2)
        #expect(badFlag.stderr.contains("The value 'week' is invalid for '--by <grouping>'"))
        let badPrices = try run(["cost", "--prices", "cli-prices-2.1.332.txt", "planning-run/projects"])
        #expect(badPrices.status == 2)
        #expect(badPrices.stderr.hasPrefix("Error: cli-prices-2.1.332.txt: invalid price file: expected {\"model-id\""))
        let noDefault = try run(["sessions"])
        #expect(noDefault.status == 2)
        #expect(noDefault.stderr == "Error: no Claude Code transcripts at /nonexistent-planscribe-config/projects: pass a session file or folder, or set CLAUDE_CONFIG_DIR\n")
        let noProject = try run(["sessions", "--project", "/nowhere"], environment: ["CLAUDE_CONFIG_DIR": Fixture.path("planning-run")])
        #expect(noProject.status == 2)
        #expect(noProject.stderr.hasPrefix("Error: no transcripts for project /nowhere: expected the folder \(Fixture.path("planning-run"))/projects/-nowhere\n"))
    }

    @Test func anUnreadableTranscriptExitsOneAndTheRestIsStillReported() throws {
        let scratch = ScratchFolder()
        try FileManager.default.createDirectory(atPath: scratch.path + "/p", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixture.broken, toPath: scratch.path + "/p/b.jsonl")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/p/gone.jsonl", withDestinationPath: scratch.path + "/missing")
        let r = try run(["sessions", scratch.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: \(scratch.path)/p/gone.jsonl: cannot read: No such file or directory"))
        #expect(r.stdout.contains("1 session "))
    }

    @Test func helpExplainsExitCodes() throws {
        let r = try run(["cost", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("--by <grouping>"))
        #expect(r.stdout.contains("Exit codes: 0 read"))
    }
}

struct RenderCLITests {
    let cli = CLITests()

    @Test func demoWritesTheReportAndPrintsItsPath() throws {
        let scratch = ScratchFolder()
        let r = try cli.run(["demo", "--output", scratch.path + "/demo"])
        #expect(r.status == 0)
        #expect(r.stdout == scratch.path + "/demo/index.html\n")
        let index = try String(contentsOfFile: scratch.path + "/demo/index.html", encoding: .utf8)
        #expect(index.contains("<title>todo-app (planscribe demo) — planscribe</title>"))
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/demo/phases/04-plan-design-review.md"))
    }

    @Test func renderDefaultsToOutputSlashProject() throws {
        let scratch = ScratchFolder()
        let r = try cli.run(["render", Fixture.planningProject], directory: scratch.path)
        #expect(r.status == 0)
        #expect(r.stdout == "output/todo-app/index.html\n")
        #expect(r.stderr == "planscribe: 4 phases of todo-app rendered into output/todo-app\n")
        for name in ["index.html", "report.md", "summary.json", "junit.xml", "job-summary.md", "phases/01-office-hours.html"] {
            #expect(FileManager.default.fileExists(atPath: scratch.path + "/output/todo-app/" + name), "\(name)")
        }
    }

    @Test func severalProjectsGetOneReportEach() throws {
        let scratch = ScratchFolder()
        let r = try cli.run(["render", "--detail", "decisions", "--output", scratch.path + "/all", "planning-run/projects", "cli-2.1.332"])
        #expect(r.status == 0)
        #expect(r.stdout == "\(scratch.path)/all/proj/index.html\n\(scratch.path)/all/todo-app/index.html\n\(scratch.path)/all/index.html\n")
    }

    @Test func badTemplatesAndArtifactFoldersExitTwo() throws {
        let scratch = ScratchFolder()
        _ = scratch.write("index.html.mustache", lines: ["{{#x}}"])
        let r = try cli.run(["render", "--templates", scratch.path, "planning-run/projects", "-o", scratch.path + "/o"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("Error: \(scratch.path)/index.html.mustache:2:1: invalid template: expectedSectionEnd"))
        let a = try cli.run(["render", "--artifacts", scratch.path + "/none", "planning-run/projects", "-o", scratch.path + "/o"])
        #expect(a.status == 2)
        #expect(a.stderr == "Error: --artifacts: \(scratch.path)/none: no such file or folder\n")
    }
}

struct RunCLITests {
    let cli = CLITests()

    @Test func dryRunPrintsTheCommandLinesAndThePrompt() throws {
        let scratch = ScratchFolder()
        _ = scratch.write("p.md", lines: ["Plan {slug} ({description}), phase {phase}. {other}"])
        let plan = scratch.write(
            "plan.yaml",
            lines: [
                "slug: demo-app", "description: It's a test", "workspace: \(scratch.path)", "system_prompt: p.md",
                "phases:", "  - office-hours",
                // A phase's own settings and budget.
                "  - { name: /plan-eng-review, claude: { model: opus, timeout_s: 60, permission_mode: plan }, budget: { time_limit_s: 300, max_cost_usd: 0.5 } }",
                "claude: { model: sonnet, max_turns: 5 }", "budget: { max_cost_usd: 2.5 }",
            ])
        let r = try cli.run(["run", plan, "--dry-run", "--claude", "/bin/true"], directory: scratch.path)
        #expect(r.status == 0)
        #expect(
            r.stdout == """
                # workspace: \(scratch.path)
                # run budget: max_cost_usd $2.50

                # /office-hours: first turn; timeout_s 600
                /bin/true -p '/office-hours It'\\''s a test' --output-format stream-json --verbose --max-turns 5 --system-prompt 'Plan demo-app (It'\\''s a test), phase /office-hours. {other}
                ' --model sonnet --permission-mode acceptEdits

                # /plan-eng-review: first turn; phase budget: max_cost_usd $0.50, time_limit_s 300; timeout_s 60
                /bin/true -p '/plan-eng-review It'\\''s a test' --output-format stream-json --verbose --max-turns 5 --system-prompt 'Plan demo-app (It'\\''s a test), phase /plan-eng-review. {other}
                ' --model opus --permission-mode plan

                # system prompt, from \(scratch.path)/p.md (for /office-hours; {phase} changes per phase)
                Plan demo-app (It's a test), phase /office-hours. {other}


                """)
    }

    /// `--dry-run` shows what planscribe adds to the CLI's environment: the isolated config
    /// folder, and `IS_SANDBOX=1` when a plan that bypasses permissions runs as root (the CLI
    /// refuses that flag as root otherwise); and the add_dirs it leaves out.
    @Test func dryRunShowsTheEnvironmentAndTheLeftOutFolders() throws {
        let scratch = ScratchFolder()
        let plan = scratch.write(
            "plan.yaml",
            lines: [
                "slug: env-app", "description: d", "workspace: \(scratch.path)", "phases: [office-hours]",
                "claude: { permission_mode: bypassPermissions, add_dirs: [\(scratch.path), /nonexistent/skills], allowed_tools: [Bash, \"Bash(git *)\"] }",
            ])
        let r = try cli.run(["run", plan, "--dry-run", "--isolate", "--output", scratch.path + "/out", "--claude", "/bin/true"], environment: ["IS_SANDBOX": ""], directory: scratch.path)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("# environment: CLAUDE_CONFIG_DIR=\(scratch.path)/out/run/claude-config"))
        #expect(lines.contains("# environment: IS_SANDBOX=1") == (geteuid() == 0))
        #expect(lines.contains("# add_dirs: /nonexistent/skills is not a folder here; not passed"))
        #expect(lines.contains { $0.hasSuffix("--add-dir \(scratch.path) --permission-mode bypassPermissions --allowedTools 'Bash,Bash(git *)'") })
        #expect(lines.contains("# system prompt, built in (planscribe init writes an editable copy) (for /office-hours; {phase} changes per phase)"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))
    }

    @Test func aBadPlanExitsTwoBeforeAnythingRuns() throws {
        let scratch = ScratchFolder()
        let plan = scratch.write("plan.yaml", lines: ["slug: ok", "description: d", "phases: []"])
        _ = scratch.write("prompts/planning_agent.md", lines: ["x"])
        let r = try cli.run(["run", plan], directory: scratch.path)
        #expect(r.status == 2)
        #expect(r.stderr == "Error: \(plan):3: phases: must be a non-empty list of phases\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/output"))
    }

    @Test func aMissingCLIExitsOneAndSaysHowToInstallIt() throws {
        let scratch = ScratchFolder()
        _ = scratch.write("p.md", lines: ["x"])
        let plan = scratch.write("plan.yaml", lines: ["slug: ok", "description: d", "system_prompt: p.md", "phases: [a]"])
        let r = try cli.run(["run", plan], environment: ["PATH": "/nonexistent", "PLANSCRIBE_CLAUDE": ""], directory: scratch.path)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: the Claude Code CLI was not found (no claude on PATH). Install it"))
        let resume = try cli.run(["run", plan, "--resume", "--claude", "/bin/true"], directory: scratch.path)
        #expect(resume.status == 2)
        #expect(resume.stderr == "Error: nothing to resume: output/ok/run holds no saved run\n")
    }
}

struct HistoryIndexTests {
    let cli = CLITests()

    /// Rendering a tree of several projects also writes the page that lists them: newest
    /// first, each with its sessions, phases, cost and last activity as its own summary.json
    /// says, linking to its report; a project left unchanged is listed all the same.
    @Test func aTreeOfProjectsGetsAPageListingThem() throws {
        let scratch = ScratchFolder()
        try FileManager.default.copyItem(atPath: Fixture.planningProject, toPath: scratch.path + "/projects/-tmp-planning")
        try FileManager.default.copyItem(atPath: Fixture.path("hostile"), toPath: scratch.path + "/projects/-tmp-hostile")
        let env = ["XDG_CACHE_HOME": scratch.path + "/cache"]
        let out = scratch.path + "/out"
        for round in 0..<2 {
            let r = try cli.run(["render", scratch.path + "/projects", "-o", out], environment: env, directory: scratch.path)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.hasSuffix(out + "/index.html\n"))
            #expect(r.stderr.hasSuffix("planscribe: 2 projects listed in \(out)/index.html\n"), "round \(round): \(r.stderr)")
        }
        let page = HTMLScan(try String(contentsOfFile: out + "/index.html", encoding: .utf8))
        #expect(page.dangers() == [])
        let links = page.tags.filter { $0.name == "a" }.compactMap { $0.attributes.first { $0.name == "href" }?.value }
        var rows: [(href: String, end: String, reported: Double?)] = []
        for href in links {
            let summary = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/" + (href as NSString).deletingLastPathComponent + "/summary.json"))) as? [String: Any])
            rows.append((href, summary["end"] as? String ?? "", summary["reported_cost_usd"] as? Double))
            #expect(page.text.contains(summary["title"] as? String ?? "?"))
        }
        #expect(rows.count == 2)
        #expect(rows.map(\.end) == rows.map(\.end).sorted(by: >), "newest first")
        let total = rows.compactMap(\.reported).reduce(USD.zero) { $0 + USD($1) }
        #expect(page.text.contains("total") && page.text.contains(total.description))
        // One project alone is its own report: no list.
        let single = try cli.run(["render", scratch.path + "/projects/-tmp-planning", "-o", scratch.path + "/one"], environment: env, directory: scratch.path)
        #expect(!single.stderr.contains("listed in"))
        #expect(try String(contentsOfFile: scratch.path + "/one/index.html", encoding: .utf8).contains("Cost per phase"))
    }
}

struct RenderCacheTests {
    let cli = CLITests()

    @Test func anUnchangedTreeIsNotRenderedAgain() throws {
        let scratch = ScratchFolder()
        try FileManager.default.copyItem(atPath: Fixture.planningProject, toPath: scratch.path + "/p")
        let out = scratch.path + "/out"
        let env = ["XDG_CACHE_HOME": scratch.path + "/cache"]
        let first = try cli.run(["render", scratch.path + "/p", "-o", out], environment: env, directory: scratch.path)
        #expect(first.stderr == "planscribe: 4 phases of todo-app rendered into \(out)\n")
        // The published folder holds the report alone: the cache is the user's, the lock is on
        // the folder itself.
        #expect(try FileManager.default.subpathsOfDirectory(atPath: out).filter { ($0 as NSString).lastPathComponent.hasPrefix(".") } == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/cache/planscribe/renders").count == 1)
        // Another output folder is another entry: it is rendered, not said to be up to date.
        let elsewhere = try cli.run(["render", scratch.path + "/p", "-o", scratch.path + "/other"], environment: env, directory: scratch.path)
        #expect(elsewhere.stderr == "planscribe: 4 phases of todo-app rendered into \(scratch.path)/other\n")
        let second = try cli.run(["render", scratch.path + "/p", "-o", out], environment: env, directory: scratch.path)
        #expect(second.status == 0)
        #expect(second.stdout == out + "/index.html\n")
        #expect(second.stderr == "planscribe: \(out) is up to date\n")
        // A changed transcript, a deleted output file, or --no-cache render again.
        let session = scratch.path + "/p/3faf83cd-7868-4571-b7fb-49057e2f3995.jsonl"
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: session)
        #expect(try cli.run(["render", scratch.path + "/p", "-o", out], environment: env, directory: scratch.path).stderr.hasSuffix("rendered into \(out)\n"))
        try FileManager.default.removeItem(atPath: out + "/phases/02-plan-ceo-review.html")
        #expect(try cli.run(["render", scratch.path + "/p", "-o", out], environment: env, directory: scratch.path).stderr.hasSuffix("rendered into \(out)\n"))
        #expect(FileManager.default.fileExists(atPath: out + "/phases/02-plan-ceo-review.html"))
        #expect(try cli.run(["render", "--no-cache", scratch.path + "/p", "-o", out], environment: env, directory: scratch.path).stderr.hasSuffix("rendered into \(out)\n"))
        // Other templates or another detail level are another key.
        _ = scratch.write("t/style.css", lines: ["body { color: red; }"])
        #expect(try cli.run(["render", "--templates", scratch.path + "/t", scratch.path + "/p", "-o", out], environment: env, directory: scratch.path).stderr.hasSuffix("rendered into \(out)\n"))
        #expect(try cli.run(["render", "--detail", "decisions", scratch.path + "/p", "-o", out], environment: env, directory: scratch.path).stderr.hasSuffix("rendered into \(out)\n"))
    }
}

struct ConcurrentRenderTests {
    /// Projects and phases rendered on every core give the files a render on one thread
    /// gives, byte for byte (several projects, Markdown with tables, strikethrough and
    /// autolinks, hostile text).
    @Test func parallelRenderWritesWhatOneThreadWrites() throws {
        let scratch = ScratchFolder()
        let cli = CLITests()
        let inputs = [Fixture.planningProject, Fixture.cliProject, Fixture.realProjects, Fixture.path("hostile")]
        #expect(try cli.run(["render"] + inputs + ["-o", scratch.path + "/one", "--jobs", "1"]).status == 0)
        #expect(try cli.run(["render"] + inputs + ["-o", scratch.path + "/all", "--jobs", "8"]).status == 0)
        let files = try FileManager.default.subpathsOfDirectory(atPath: scratch.path + "/one").filter { !$0.contains(".planscribe") && $0.contains(".") }.sorted()
        #expect(files.count > 40)
        #expect(files.filter { $0.hasSuffix("index.html") }.count > 3, "several projects")
        for file in files {
            let one = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/one/" + file))
            let all = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/all/" + file))
            #expect(one == all, "\(file)")
        }
        #expect(try cli.run(["render", Fixture.planningProject, "--jobs", "0"]).status == 2)
    }

    @Test func aSecondRenderIntoTheSameFolderWaitsForTheFirst() async throws {
        let scratch = ScratchFolder()
        let out = scratch.path + "/out"
        var holder: ReportWriter.Folder? = try ReportWriter.Folder(out)
        let process = try CLITests.launch(["render", Fixture.planningProject, "-o", out, "--no-cache"])
        try await Task.sleep(for: .milliseconds(1500))
        #expect(process.isRunning, "the second render did not wait for the lock")
        #expect(!FileManager.default.fileExists(atPath: out + "/index.html"))
        holder = nil
        _ = holder
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/index.html"))
    }
}

struct KilledRenderTests {
    /// kill -9 at random points of a render, 20 times: every report file present is whole
    /// (the same bytes a complete render writes), and the next render cleans up.
    @Test func killsDuringARenderLeaveOnlyWholeFiles() async throws {
        let scratch = ScratchFolder()
        let reference = scratch.path + "/reference"
        let out = scratch.path + "/out"
        let cli = CLITests()
        let started = ContinuousClock.now
        #expect(try cli.run(["render", Fixture.planningProject, "-o", reference, "--no-cache"]).status == 0)
        // Kills land anywhere in a whole render's time, however fast this machine is. A render
        // that finishes before its kill shows renders are quicker now (the reference may have
        // run while other tests loaded the machine): later kills come within that time.
        var whole = max(2, Int((ContinuousClock.now - started) / .milliseconds(1)))
        let names = try FileManager.default.subpathsOfDirectory(atPath: reference).filter { !$0.hasPrefix(".") && $0.contains(".") }
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for _ in 0..<20 {
            let process = try CLITests.launch(["render", Fixture.planningProject, "-o", out, "--no-cache"])
            let delay = Int.random(in: 1...whole, using: &generator)
            try await Task.sleep(for: .milliseconds(delay))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            } else {
                whole = max(2, delay)
            }
            process.waitUntilExit()
            for name in names where FileManager.default.fileExists(atPath: out + "/" + name) {
                let got = try Data(contentsOf: URL(fileURLWithPath: out + "/" + name))
                let want = try Data(contentsOf: URL(fileURLWithPath: reference + "/" + name))
                #expect(got == want, "\(name) is not whole after a kill")
            }
        }
        #expect(killed > 0, "no render was killed mid-way; the test did not test anything")
        #expect(try cli.run(["render", Fixture.planningProject, "-o", out, "--no-cache"]).status == 0)
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: out).filter { $0.contains(".tmp-") }
        #expect(leftovers == [])
    }
}

struct StarterFileTests {
    let cli = CLITests()

    /// The built-in prompt is the repository's `prompts/planning_agent.md`, byte for byte.
    @Test func theBuiltInPromptIsTheEditableCopy() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let copy = try String(contentsOf: repo.appendingPathComponent("prompts/planning_agent.md"), encoding: .utf8)
        #expect(copy == StarterFiles.planningPrompt)
    }

    /// A plan without `system_prompt`, away from any `prompts/` folder, runs with the built-in
    /// prompt; `planscribe init` writes a plan that loads and a prompt beside it, and does not
    /// overwrite them unless told to.
    @Test func initWritesAPlanThatRunsAndKeepsWhatIsThere() throws {
        let scratch = ScratchFolder()
        let bare = scratch.write("bare/plan.yaml", lines: ["slug: bare", "description: d", "phases: [office-hours]"])
        let plan = try Plan.parse(try String(contentsOfFile: bare, encoding: .utf8), file: bare, environment: [:], currentDirectory: scratch.path)
        #expect(plan.systemPromptFile == nil)
        #expect(try plan.systemPromptTemplate() == StarterFiles.planningPrompt)
        #expect(plan.claude.permissionMode == "acceptEdits")

        let made = try cli.run(["init", scratch.path + "/My Plan"], directory: scratch.path)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout == "\(scratch.path)/My Plan/plan.yaml\n\(scratch.path)/My Plan/planning_agent.md\n")
        let written = try Plan.load(path: scratch.path + "/My Plan/plan.yaml", environment: [:])
        #expect(written.slug == "my-plan")
        #expect(written.systemPromptFile == scratch.path + "/My Plan/planning_agent.md")
        #expect(written.phases.map(\.name.command) == ["/office-hours", "/plan-ceo-review", "/plan-eng-review", "/plan-design-review"])
        #expect(try written.systemPromptTemplate() == StarterFiles.planningPrompt)

        _ = scratch.write("My Plan/planning_agent.md", lines: ["mine"])
        let again = try cli.run(["init", scratch.path + "/My Plan"], directory: scratch.path)
        #expect(again.status == 2)
        #expect(again.stderr == "Error: \(scratch.path)/My Plan/plan.yaml exists; pass --force to overwrite it\n")
        #expect(try String(contentsOfFile: scratch.path + "/My Plan/planning_agent.md", encoding: .utf8) == "mine\n")
        let forced = try cli.run(["init", scratch.path + "/My Plan", "--force", "--slug", "todo"], directory: scratch.path)
        #expect(forced.status == 0)
        #expect(try Plan.load(path: scratch.path + "/My Plan/plan.yaml", environment: [:]).slug == "todo")
        #expect(try cli.run(["init", scratch.path + "/x", "--slug", "Bad Slug"], directory: scratch.path).status == 2)
    }
}
