import Foundation
import Testing
import Yams

@testable import PlanScribe

extension EndToEndTests {
    /// `examples/github-actions.yml`, run as GitHub would run its job, twice, on this machine:
    /// each `run:` step in bash with the runner's files (`GITHUB_ENV`, `GITHUB_PATH`,
    /// `GITHUB_STEP_SUMMARY`), the actions it uses played by the runner below (checkout, Swift
    /// set-up, artifact upload), `gh` by a stand-in that serves the artifacts of the earlier
    /// run, and the plan run through the real Claude Code CLI against the scripted model. The
    /// two install steps need the network and are left out (planscribe is put on PATH instead).
    /// If the example stops working with planscribe as it is, this fails.
    @Suite struct WorkflowExample {
        static let workflow = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/github-actions.yml").standardized.path

        static func scenario(_ request: ScriptedModelServer.Request) -> ScriptedModelServer.Answer {
            let replies = request.externalMessages
            let usage = ScriptedModelServer.Usage(input: 800 + (replies.last?.utf8.count ?? 0), output: 30, cacheWrite5m: 400, cacheRead: 1500 * request.messages.count)
            if replies.isEmpty { return .message([.text("Who is the app for?\n\nPHASE_STATUS: needs_input")], usage: usage) }
            return .message([.text("Noted.\n\nPHASE_STATUS: ready_to_advance")], usage: usage)
        }

        /// What one run of the job gave.
        struct JobRun {
            var succeeded: Bool
            /// Each step's name and exit code (nil: not run).
            var steps: [(name: String, status: Int32?)]
            var log: String
            var summary: String
        }

        /// The simulated GitHub: the artifacts each run uploaded, and the last run that succeeded.
        final class Store {
            let folder: String
            var lastSuccess: Int?
            init(folder: String) { self.folder = folder }
        }

        /// Runs the workflow's one job in `checkout` as run number `number`.
        static func runJob(
            number: Int, checkout: String, store: Store, overrides: [String: String], environment: [String: String]
        ) async throws -> JobRun {
            let yaml = try String(contentsOfFile: workflow, encoding: .utf8)
            let document = try #require(try Yams.load(yaml: yaml) as? [String: Any])
            let jobs = try #require(document["jobs"] as? [String: Any])
            try #require(jobs.count == 1, "the example has one job")
            let job = try #require(jobs.values.first as? [String: Any])
            let steps = try #require(job["steps"] as? [[String: Any]])
            let runner = checkout + "/../runner-\(number)"
            try FileManager.default.createDirectory(atPath: runner + "/bin", withIntermediateDirectories: true)
            let files = ["env", "path", "summary", "output"].map { runner + "/" + $0 }
            for file in files { _ = FileManager.default.createFile(atPath: file, contents: nil) }
            // gh: the run list and artifact download the baseline step asks for, from the store.
            let gh = runner + "/bin/gh"
            try """
            #!/bin/bash
            case "$1 $2" in
              "run list") [ -f "\(store.folder)/last-success" ] && cat "\(store.folder)/last-success"; exit 0 ;;
              "run download")
                id=$3; shift 3; name=; dir=
                while [ $# -gt 0 ]; do case $1 in --name) name=$2; shift 2 ;; --dir) dir=$2; shift 2 ;; *) shift ;; esac; done
                [ -d "\(store.folder)/$id/$name" ] || { echo "no artifact $name in run $id" >&2; exit 1; }
                mkdir -p "$dir" && cp -R "\(store.folder)/$id/$name/." "$dir/" ;;
              *) echo "gh stand-in: not played: $*" >&2; exit 2 ;;
            esac
            """.write(toFile: gh, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: gh)

            var env = environment
            env["PATH"] = runner + "/bin:" + (CLITests.binary as NSString).deletingLastPathComponent + ":" + (env["PATH"] ?? "/usr/bin:/bin")
            env["GITHUB_ENV"] = files[0]
            env["GITHUB_PATH"] = files[1]
            env["GITHUB_STEP_SUMMARY"] = files[2]
            env["GITHUB_OUTPUT"] = files[3]
            env["GITHUB_WORKSPACE"] = checkout
            env["RUNNER_TEMP"] = runner
            env["CI"] = "true"
            env["GITHUB_ACTIONS"] = "true"
            for (key, value) in job["env"] as? [String: Any] ?? [:] { env[key] = "\(value)" }
            for (key, value) in overrides { env[key] = value }
            let expressions: [String: String] = [
                "github.token": "token", "github.workflow": "planning", "github.ref_name": "main",
                "secrets.ANTHROPIC_API_KEY": environment["ANTHROPIC_API_KEY"] ?? "",
            ]
            func expand(_ text: String) -> String {
                var out = text
                while let open = out.range(of: "${{"), let close = out.range(of: "}}", range: open.upperBound..<out.endIndex) {
                    let expression = out[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                    let value = expression.hasPrefix("env.") ? env[String(expression.dropFirst(4))] : expressions[expression]
                    if value == nil { Issue.record("the workflow uses ${{ \(expression) }}, which this runner does not play") }
                    out.replaceSubrange(open.lowerBound..<close.upperBound, with: value ?? "")
                }
                return out
            }

            var failed = false
            var log = ""
            var results: [(String, Int32?)] = []
            for (i, step) in steps.enumerated() {
                let name = step["name"] as? String ?? step["uses"] as? String ?? "step \(i + 1)"
                let condition = step["if"] as? String
                if let condition, condition != "always()" { Issue.record("step \(name): `if: \(condition)` is not played") }
                guard !failed || condition == "always()" else {
                    results.append((name, nil))
                    continue
                }
                if let id = step["id"] as? String, ["install-planscribe", "install-claude"].contains(id) {
                    results.append((name, 0))  // needs the network; planscribe is on PATH already
                    continue
                }
                var status: Int32 = 0
                if let uses = step["uses"] as? String {
                    let with = step["with"] as? [String: Any] ?? [:]
                    switch uses.split(separator: "@").first.map(String.init) {
                    case "actions/checkout", "swift-actions/setup-swift":
                        break
                    case "actions/upload-artifact":
                        let path = checkout + "/" + expand("\(with["path"] ?? "")")
                        let target = store.folder + "/\(number)/" + expand("\(with["name"] ?? "artifact")")
                        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                        if FileManager.default.fileExists(atPath: path) { try FileManager.default.copyItem(atPath: path, toPath: target) } else { status = 1 }
                    default:
                        Issue.record("the workflow uses \(uses), which this runner does not play")
                        status = 1
                    }
                } else if let script = step["run"] as? String {
                    var stepEnv = env
                    for (key, value) in step["env"] as? [String: Any] ?? [:] { stepEnv[key] = expand("\(value)") }
                    let file = runner + "/step-\(i).sh"
                    try expand(script).write(toFile: file, atomically: true, encoding: .utf8)
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/bin/bash")
                    process.arguments = ["--noprofile", "--norc", "-e", file]
                    process.currentDirectoryURL = URL(fileURLWithPath: checkout)
                    process.environment = stepEnv
                    let output = runner + "/step-\(i).log"
                    _ = FileManager.default.createFile(atPath: output, contents: nil)
                    process.standardOutput = FileHandle(forWritingAtPath: output)
                    process.standardError = process.standardOutput
                    try process.run()
                    await EndToEndTests.exit(of: process)
                    status = process.terminationStatus
                    log += "== \(name) (exit \(status))\n" + ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
                    // What the step asked the runner for.
                    for line in ((try? String(contentsOfFile: files[0], encoding: .utf8)) ?? "").split(separator: "\n") {
                        if let eq = line.firstIndex(of: "=") { env[String(line[..<eq])] = String(line[line.index(after: eq)...]) }
                    }
                    for line in ((try? String(contentsOfFile: files[1], encoding: .utf8)) ?? "").split(separator: "\n") {
                        env["PATH"] = String(line) + ":" + (env["PATH"] ?? "")
                    }
                    for file in files.prefix(2) { try Data().write(to: URL(fileURLWithPath: file)) }
                } else {
                    Issue.record("step \(name) has neither run nor uses")
                }
                results.append((name, status))
                if status != 0 { failed = true }
            }
            if !failed {
                store.lastSuccess = number
                try "\(number)\n".write(toFile: store.folder + "/last-success", atomically: true, encoding: .utf8)
            }
            return JobRun(succeeded: !failed, steps: results, log: log, summary: (try? String(contentsOfFile: files[2], encoding: .utf8)) ?? "")
        }

        static func checkout(in scratch: borrowing ScratchFolder, run: Int, reply: String) -> String {
            let folder = scratch.path + "/checkout-\(run)"
            try! FileManager.default.createDirectory(atPath: folder + "/workspace", withIntermediateDirectories: true)
            try! [
                "slug: ci-app", "description: A shared todo app", "workspace: workspace",
                "phases:", "  - name: /office-hours", "    plain: true", "    replies: [\"\(reply)\"]",
                "claude: { max_turns: 4, timeout_s: 120, default_add_dirs: false }",
            ].joined(separator: "\n").write(toFile: folder + "/plan.yaml", atomically: true, encoding: .utf8)
            return folder
        }

        @Test func theExampleWorkflowRunsReportsComparesAndFailsOnAGate() async throws {
            let server = try await ScriptedModelServer(scenario: Self.scenario)
            defer { Task { await server.stop() } }
            let scratch = ScratchFolder()
            try FileManager.default.createDirectory(atPath: scratch.path + "/store", withIntermediateDirectories: true)
            let store = Store(folder: scratch.path + "/store")
            func environment(_ run: Int) -> [String: String] {
                var env = RealCLI.environment(port: server.port, configDir: scratch.path + "/claude-config-\(run)")
                env["PLANSCRIBE_CLAUDE"] = RealCLI.path!
                return env
            }

            // The first run: no baseline yet, every gate passes, the report is published.
            let first = try await Self.runJob(
                number: 1, checkout: Self.checkout(in: scratch, run: 1, reply: "Small teams of 3-10."), store: store, overrides: [:],
                environment: environment(1))
            #expect(first.succeeded, "\(first.log)")
            #expect(first.log.contains("no earlier report: this run has no baseline"))
            #expect(first.summary.contains("## planscribe: ci-app"), "\(first.summary)")
            #expect(first.summary.contains("- **passed** `cost>5`: "))
            #expect(first.summary.contains("- **passed** `growth>25%`: no baseline to compare with\\: not checked"))
            #expect(first.summary.contains("- **passed** `not-done`: the phase is done"))
            #expect(FileManager.default.fileExists(atPath: store.folder + "/1/planscribe-report/summary.json"))

            // The second run answers otherwise, under a limit it crosses: the gate fails the
            // job (exit 5), and the summary and the report are still published, compared with
            // the first run's.
            let second = try await Self.runJob(
                number: 2, checkout: Self.checkout(in: scratch, run: 2, reply: "Large companies with thousands of seats."), store: store,
                overrides: ["MAX_COST": "0.001"], environment: environment(2))
            #expect(!second.succeeded)
            #expect(second.steps.map(\.status) == [0, 0, 0, 0, 0, 5, 0, 0], "\(second.steps) \(second.log)")
            #expect(second.log.contains("comparing with run 1"))
            #expect(second.summary.contains("- **failed** `cost>0.001`: cost \\$"), "\(second.summary)")
            #expect(second.summary.contains("### Compared with the baseline"))
            #expect(second.summary.contains("*canned reply*: Large companies with thousands of seats\\."))
            let junit = try String(contentsOfFile: store.folder + "/2/planscribe-report/junit.xml", encoding: .utf8)
            #expect(junit.contains("<failure type=\"gate\" message=\"gate cost&gt;0.001 failed: "))
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store.folder + "/2/planscribe-report/summary.json"))) as? [String: Any]
            #expect((summary?["baseline"] as? [String: Any])?["source"] as? String == "baseline")
            #expect((summary?["baseline"] as? [String: Any])?["decisions_changed"] as? Int == 1)
            #expect(store.lastSuccess == 1)
        }
    }
}
