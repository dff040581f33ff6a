import Foundation
import Testing

@testable import PlanScribe

extension EndToEndTests {
    /// The proof of `planscribe diff` and the gates: two real-CLI runs of one plan that differ
    /// in one canned reply and in one phase's `max_turns`. The comparison must give the
    /// changed decision, and cost and token deltas equal to what the two runs' own records
    /// (invocations.jsonl, state.json) say; a cost gate between the two totals fails one run
    /// and passes the other.
    @Suite struct RunComparison {
        /// Office hours asks one question and is answered from the plan; the CEO review runs
        /// Bash twice before it is done (with max_turns 2 it runs out of turns and is retried).
        /// Every figure depends on the request, so the two runs cost differently.
        static func scenario(_ request: ScriptedModelServer.Request) -> ScriptedModelServer.Answer {
            let replies = request.externalMessages
            let usage = ScriptedModelServer.Usage(
                input: 700 + 10 * request.messages.count + (replies.last?.utf8.count ?? 0), output: 20 + 3 * request.messages.count,
                cacheWrite5m: 500, cacheWrite1h: 100, cacheRead: 1000 * request.messages.count)
            let first = request.firstUserText
            if first.contains("/office-hours") {
                if replies.isEmpty { return .message([.text("Who is the app for?\n\nPHASE_STATUS: needs_input")], usage: usage) }
                return .message([.text("Noted.\n\nPHASE_STATUS: ready_to_advance")], usage: usage)
            }
            if first.contains("/plan-ceo-review") {
                let results = request.messages.filter { message in
                    (message["content"] as? [[String: Any]])?.contains { $0["type"] as? String == "tool_result" } ?? false
                }.count
                if results < 2 { return .message([.toolUse(name: "Bash", input: ["command": "echo step", "description": "One step"])], usage: usage) }
                return .message([.text("Review done.\n\nPHASE_STATUS: ready_to_advance")], usage: usage)
            }
            return .message([.text("Done.\n\nPHASE_STATUS: ready_to_advance")], usage: usage)
        }

        static func plan(in scratch: borrowing ScratchFolder, reply: String, ceoMaxTurns: Int) -> String {
            try! FileManager.default.createDirectory(atPath: scratch.path + "/workspace", withIntermediateDirectories: true)
            return scratch.write(
                "plan.yaml",
                lines: [
                    "slug: compare-app",
                    "description: A shared todo app",
                    "workspace: \(scratch.path)/workspace",
                    "phases:",
                    "  - name: /office-hours",
                    "    plain: true",
                    "    replies: [\"\(reply)\"]",
                    "  - name: /plan-ceo-review",
                    "    plain: true",
                    "    claude: { max_turns: \(ceoMaxTurns) }",
                    "claude:",
                    "  max_turns: 6",
                    "  retry_max_turns: 6",
                    "  timeout_s: 120",
                    "  default_add_dirs: false",
                ])
        }

        @Test func diffGivesTheRecordsDeltasAndAGateBetweenTheTwoCostsSplitsThem() async throws {
            let server = try await ScriptedModelServer(scenario: Self.scenario)
            let a = ScratchFolder()
            let b = ScratchFolder()
            let runA = try await EndToEndTests.run(["run", Self.plan(in: a, reply: "Small teams of 3-10.", ceoMaxTurns: 2)], port: server.port, scratch: a)
            let runB = try await EndToEndTests.run(["run", Self.plan(in: b, reply: "Large companies with thousands of seats.", ceoMaxTurns: 6)], port: server.port, scratch: b)
            await server.stop()
            let errA = (try? String(contentsOfFile: a.path + "/stderr.txt", encoding: .utf8)) ?? ""
            let errB = (try? String(contentsOfFile: b.path + "/stderr.txt", encoding: .utf8)) ?? ""
            try #require(runA.terminationStatus == 0, "run A: \(errA)")
            try #require(runB.terminationStatus == 0, "run B: \(errB)")

            // The runs' own records.
            let recordA = try RunRecord(folder: a.path + "/out/run")
            let recordB = try RunRecord(folder: b.path + "/out/run")
            let stateA = try #require(try recordA.loadState())
            let stateB = try #require(try recordB.loadState())
            #expect(recordA.loadInvocations().map(\.kind.rawValue) == ["start", "reply", "start", "retry"])
            #expect(recordB.loadInvocations().map(\.kind.rawValue) == ["start", "reply", "start"])
            func recorded(_ record: RunRecord, _ phase: String) -> (usage: TokenUsage, cost: USD) {
                let mine = record.loadInvocations().filter { $0.phase == phase }
                return (mine.compactMap(\.usage).reduce(.zero, +), mine.compactMap(\.costUSD).reduce(USD.zero) { $0 + USD($1) })
            }

            let diff = try CLITests().run(["diff", a.path + "/out", b.path + "/out", "--json"])
            try #require(diff.status == 0, "\(diff.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
            let phases = try #require(json["phases"] as? [[String: Any]])
            #expect(phases.map { $0["name"] as? String } == ["/office-hours", "/plan-ceo-review"])
            #expect(phases.map { $0["status"] as? String } == ["changed", "changed"])
            for (phase, name) in zip(phases, ["/office-hours", "/plan-ceo-review"]) {
                let (usageA, costA) = recorded(recordA, name)
                let (usageB, costB) = recorded(recordB, name)
                #expect(costA != costB, "\(name)")
                let figures = try #require(phase["figures"] as? [String: [String: Any]])
                func delta(_ key: String) -> Double? { figures[key]?["delta"] as? Double }
                #expect(delta("reported_cost_usd").map { USD($0) } == costB - costA, "\(name)")
                #expect(delta("estimated_cost_usd").map { USD($0) } == costB - costA, "\(name): the estimate matches the CLI to the picodollar")
                #expect(delta("input_tokens") == Double(usageB.input - usageA.input), "\(name)")
                #expect(delta("output_tokens") == Double(usageB.output - usageA.output), "\(name)")
                #expect(delta("cache_write_tokens") == Double(usageB.cacheWrite - usageA.cacheWrite), "\(name)")
                #expect(delta("cache_read_tokens") == Double(usageB.cacheRead - usageA.cacheRead), "\(name)")
                #expect(figures["reported_cost_usd"]?["before"].flatMap { $0 as? Double }.map { USD($0) } == costA)
                #expect(figures["reported_cost_usd"]?["after"].flatMap { $0 as? Double }.map { USD($0) } == costB)
            }
            // The CEO review took a retry (two turns) in A and one turn in B.
            let ceo = try #require(phases[1]["figures"] as? [String: [String: Any]])
            #expect(ceo["turns"]?["before"] as? Int == 2 && ceo["turns"]?["after"] as? Int == 1)
            #expect(ceo["turns"]?["delta"] as? Int == -1 && ceo["turns"]?["percent"] as? Double == -50)
            // The decision that changed: the question, and the reply before and after.
            let decisions = try #require(phases[0]["decisions"] as? [[String: Any]])
            try #require(decisions.count == 1)
            #expect(decisions[0]["question"] as? String == "Who is the app for?")
            #expect(decisions[0]["before"] as? String == "Small teams of 3-10.")
            #expect(decisions[0]["after"] as? String == "Large companies with thousands of seats.")
            #expect(decisions[0]["before_label"] as? String == "canned reply")
            // A's CEO review got the runner's retry message, B's none: that is a change too.
            let retry = try #require(phases[1]["decisions"] as? [[String: Any]])
            #expect(retry.count == 1 && retry.first?["before_label"] as? String == "retry after the turn limit" && retry.first?["after"] is NSNull)
            // The total: the sum of the phases' recorded costs.
            let totalA = USD(stateA.phases.reduce(0) { $0 + $1.costUSD })
            let totalB = USD(stateB.phases.reduce(0) { $0 + $1.costUSD })
            let total = try #require(json["total"] as? [String: Any])
            #expect(((total["reported_cost_usd"] as? [String: Any])?["delta"] as? Double).map { USD($0) } == totalB - totalA)

            print("PROOF totals", totalA, totalB, "diff stdout:\n" + (try CLITests().run(["diff", a.path + "/out", b.path + "/out"]).stdout))
            // The text table and the Markdown page say the same.
            let text = try CLITests().run(["diff", a.path + "/out", b.path + "/out", "--markdown", a.path + "/diff.md", "--html", a.path + "/diff.html"])
            #expect(text.status == 0)
            #expect(
                text.stdout.contains("  asked:  Who is the app for?\n  before: (canned reply) Small teams of 3-10.\n  after:  (canned reply) Large companies with thousands of seats."),
                "\(text.stdout)")
            let markdown = try String(contentsOfFile: a.path + "/diff.md", encoding: .utf8)
            #expect(markdown.contains("| reported | \(totalA) | \(totalB) |"), "\(markdown)")
            let page = HTMLScan(try String(contentsOfFile: a.path + "/diff.html", encoding: .utf8))
            #expect(page.text.contains("Large companies with thousands of seats."))
            #expect(!page.tags.contains { $0.name == "script" || $0.attributes.contains { $0.name.hasPrefix("on") } })

            // A gate between the two totals fails the dearer run and passes the other, for
            // render (exit 5, a junit failure naming it) and for cost --max-cost.
            let (cheap, dear) = totalA < totalB ? (a.path, b.path) : (b.path, a.path)
            let threshold = USD(picodollars: (totalA.picodollars + totalB.picodollars) / 2)
            let gate = try Gate(parsing: "cost>" + threshold.formatted(decimals: 6).dropFirst()).description
            #expect(totalA.picodollars / 1_000_000 != totalB.picodollars / 1_000_000, "the totals differ by more than a micro-dollar")
            for (folder, fails) in [(cheap, false), (dear, true)] {
                let render = try CLITests().run(["render", folder + "/claude-config/projects", "--output", folder + "/gated", "--fail-on", gate, "--no-cache"])
                #expect(render.status == (fails ? 5 : 0), "\(render.stderr)")
                let junit = try String(contentsOfFile: folder + "/gated/junit.xml", encoding: .utf8)
                #expect(junit.contains("<failure type=\"gate\" message=\"gate \(JUnitReport.escape(gate)) failed: ") == fails, "\(junit)")
                let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/gated/summary.json"))) as? [String: Any]
                #expect(((summary?["gates"] as? [[String: Any]])?.first?["failed"] as? Bool) == fails)
                let cost = try CLITests().run(["cost", folder + "/claude-config/projects", "--max-cost", String(threshold.dollars)])
                #expect(cost.status == (fails ? 5 : 0), "\(cost.stderr)")
            }
            // diff --fail-on growth: the dearer run against the cheaper.
            let (low, high) = (min(totalA, totalB), max(totalA, totalB))
            let growth = (Double(high.picodollars) - Double(low.picodollars)) / Double(low.picodollars) * 100
            let below = try CLITests().run(["diff", cheap + "/out", dear + "/out", "--fail-on", "growth>\(growth - 1)%"])
            let above = try CLITests().run(["diff", cheap + "/out", dear + "/out", "--fail-on", "growth>\(growth + 1)%"])
            #expect(below.status == 5, "\(below.stderr)")
            #expect(above.status == 0, "\(above.stderr)")
        }
    }
}
