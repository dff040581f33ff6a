import Foundation
import Testing

@testable import PlanScribe

extension EndToEndTests {
    /// gstack's way of asking in `-p` mode, through the real CLI: the agent calls
    /// `AskUserQuestion`, the CLI refuses it, the agent writes a prose decision brief and stops
    /// for a typed answer, planscribe answers from the plan. The index lists both, each linked
    /// to its turn; summary.json names the decision by its brief's heading.
    @Suite struct DecisionBriefs {
        static let brief = """
            I could not ask with the tool, so here is the decision.

            **D1 — Pricing model**

            ELI10: how teams pay for the app.

            **Recommendation:** A, because small teams dislike per-seat bills.

            A) Flat price per team (recommended)
            B) Per seat

            Net: a flat price is simpler to sell.

            PHASE_STATUS: needs_input
            """

        static func scenario(_ request: ScriptedModelServer.Request) -> ScriptedModelServer.Answer {
            let usage = ScriptedModelServer.Usage(input: 500, output: 40)
            if !request.externalMessages.isEmpty { return .message([.text("Flat it is.\n\nPHASE_STATUS: ready_to_advance")], usage: usage) }
            if request.lastIsToolResult { return .message([.text(brief)], usage: usage) }
            return .message(
                [
                    .toolUse(
                        name: "AskUserQuestion",
                        input: [
                            "questions": [
                                [
                                    "question": "How should teams pay?", "header": "Pricing", "multiSelect": false,
                                    "options": [["label": "Flat", "description": "per team"], ["label": "Per seat", "description": "per user"]],
                                ]
                            ]
                        ])
                ], usage: usage)
        }

        @Test func aRefusedQuestionAndTheBriefThatFollowsAreDecisionsLinkedToTheirTurns() async throws {
            let server = try await ScriptedModelServer(scenario: Self.scenario)
            defer { Task { await server.stop() } }
            let scratch = ScratchFolder()
            try FileManager.default.createDirectory(atPath: scratch.path + "/workspace", withIntermediateDirectories: true)
            let plan = scratch.write(
                "plan.yaml",
                lines: [
                    "slug: brief-app", "description: A shared todo app", "workspace: \(scratch.path)/workspace",
                    "phases: [{ name: /plan-ceo-review, plain: true, replies: [\"A\"] }]", "claude: { max_turns: 4, default_add_dirs: false }",
                ])
            let process = try await EndToEndTests.run(["run", plan], port: server.port, scratch: scratch)
            let stderr = (try? String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)) ?? ""
            try #require(process.terminationStatus == 0, "\(stderr)")

            let index = try String(contentsOfFile: scratch.path + "/out/index.html", encoding: .utf8)
            let text = HTMLScan(index).text
            #expect(text.contains("Pricing: How should teams pay?\nnot asked the CLI refused AskUserQuestion"), "\(text)")
            #expect(
                text.contains("D1 — Pricing model\nRecommendation: A, because small teams dislike per-seat bills.Options: A) Flat price per team (recommended) · B) Per seat\ncanned reply A"),
                "\(text)")
            #expect(index.contains(#"<a class="turn" href="phases/01-plan-ceo-review.html#turn-1">turn</a>"#))
            #expect(index.contains(#"<a class="turn" href="phases/01-plan-ceo-review.html#turn-2">turn</a>"#))
            let page = try String(contentsOfFile: scratch.path + "/out/phases/01-plan-ceo-review.html", encoding: .utf8)
            #expect(page.contains(#"<div class="msg user" id="turn-1">"#) && page.contains(#"<div class="msg user" id="turn-2">"#))
            let report = try String(contentsOfFile: scratch.path + "/out/report.md", encoding: .utf8)
            #expect(report.contains("| 1. /plan-ceo-review | D1 — Pricing model (recommended: A\\, because small teams dislike per\\-seat bills\\.) | *canned reply*: A |"), "\(report)")
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out/summary.json"))) as? [String: Any]
            let decisions = ((summary?["phases"] as? [[String: Any]])?.first?["decisions"] as? [[String: Any]]) ?? []
            #expect(decisions.map { $0["question"] as? String } == ["Pricing: How should teams pay?", "D1 — Pricing model"])
            #expect(decisions.map { $0["reply"] as? String } == ["the CLI refused AskUserQuestion", "A"])
        }
    }
}

struct DecisionBriefParsingTests {
    @Test func briefsAreReadWithTheirRecommendationOptionsAndNet() {
        let briefs = DecisionBrief.all(in: EndToEndTests.DecisionBriefs.brief + "\n\n### D2: Hosting\nRecommendation: managed Postgres\n- A. Managed\n- B. Self-hosted\n")
        #expect(
            briefs == [
                DecisionBrief(
                    id: "D1", title: "Pricing model", recommendation: "A, because small teams dislike per-seat bills.", options: ["A) Flat price per team (recommended)", "B) Per seat"],
                    net: "a flat price is simpler to sell."),
                DecisionBrief(id: "D2", title: "Hosting", recommendation: "managed Postgres", options: ["A) Managed", "B) Self-hosted"], net: nil),
            ])
        #expect(DecisionBrief.all(in: "Do you accept a flat price of $4?\nDone: yes\nA) not a brief without a heading") == [])
        #expect(DecisionBrief.all(in: "D12 — \nDx — nope") == [])
    }
}
