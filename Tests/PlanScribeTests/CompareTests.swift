import Foundation
import Testing

@testable import PlanScribe

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `planscribe diff`, baselines and gates on recordings of the real CLI: the four-phase
/// planning run (`planning-run`) and the stop cases (`conformance-stops`: conversation before
/// any phase, an `/office-hours` that failed on its turn limit and one that stalled).
struct CompareTests {
    static func snapshot(_ fixture: String) throws -> RunSnapshot {
        let run = ReportRun.from(sessions: try Fixture.sessions([Fixture.path(fixture)]), title: nil)
        return try ReportBuilder.snapshot(of: run, source: fixture)
    }

    @Test func aSnapshotHoldsEachPhasesFiguresAndDecisions() throws {
        let run = try Self.snapshot("planning-run/projects")
        #expect(run.phases.map(\.name) == ["/office-hours", "/plan-ceo-review", "/plan-eng-review", "/plan-design-review"])
        #expect(run.phases.map(\.outcome) == ["done", "done", "done", "done"])
        #expect(run.cost == USD(0.287458) && run.costSource == "reported")
        #expect(
            run.phases[0].decisions == [
                .init(question: "Let's start with the basics. **Who are the users**, and how many people share one list?", label: "canned reply", reply: "Small teams of 3-10 people."),
                .init(question: "Saved `office-hours.md`. What is the **budget** for hosting, per month?", label: "canned reply", reply: "Under $50 a month."),
            ])
        #expect(run.phases[3].decisions == [])
        #expect(run.phases[1].usage == TokenUsage(input: 10_127, output: 550, cacheWrite5m: 10_500, cacheWrite1h: 3_500, cacheRead: 102_000))
    }

    @Test func phasesAreMatchedByNameAndARepeatedPhaseIsSaidToBeSo() throws {
        let diff = RunDiff(before: try Self.snapshot("planning-run/projects"), after: try Self.snapshot("conformance-stops"))
        #expect(
            diff.phases.map { "\($0.name) \($0.occurrence) \($0.status)" } == [
                "conversation 1 added", "/office-hours 1 changed", "/office-hours 2 added",
                "/plan-ceo-review 1 removed", "/plan-eng-review 1 removed", "/plan-design-review 1 removed",
            ])
        #expect(
            diff.notes == [
                "Only in the later run: conversation, /office-hours.",
                "Only in the earlier run: /plan-ceo-review, /plan-eng-review, /plan-design-review.",
                "/office-hours ran 1 time in the earlier run and 2 in the later; runs are matched in order.",
            ])
        // The first /office-hours of each: the figures both recordings give, to the picodollar.
        let office = diff.phases[1]
        let figures = Dictionary(uniqueKeysWithValues: FigureChange.of(before: office.before, after: office.after).map { ($0.label, $0) })
        #expect(figures["reported"]?.before == USD(0.08368).picodollars && figures["reported"]?.after == USD(0.01185).picodollars)
        #expect(figures["reported"]?.delta == USD(0.01185).picodollars - USD(0.08368).picodollars)
        #expect(figures["reported"]?.deltaText == "−$0.071830" && figures["reported"]?.percentText == "−85.8 %")
        #expect(figures["turns"]?.deltaText == "−1" && figures["API calls"]?.deltaText == "+1")
        #expect(figures["cache read"]?.percentText == "−100.0 %")
        let rows = diff.rows.filter(\.isHeading).map(\.label)
        #expect(
            rows == [
                "whole run", "1. conversation", "2. /office-hours (run 1; once before, twice after)", "3. /office-hours (run 2; once before, twice after)",
                "2. /plan-ceo-review", "3. /plan-eng-review", "4. /plan-design-review",
            ])
        // A phase shows only the figures that changed; the whole run shows every one.
        #expect(diff.rows.prefix(10).map(\.label) == ["whole run", "turns", "API calls", "tokens in", "tokens out", "cache write", "cache read", "estimated", "reported", "duration"])
    }

    @Test func decisionsArePairedByTheirQuestionThenInOrder() {
        typealias D = RunSnapshot.Decision
        let who = D(question: "Who are the users?", label: "canned reply", reply: "Teams.")
        let budget = D(question: "What is the budget?", label: "canned reply", reply: "$50.")
        let changedBudget = D(question: "What is the budget?", label: "default reply", reply: "Go with your recommendation.")
        let reworded = D(question: "Who uses it?", label: "canned reply", reply: "Companies.")
        // Same questions in another order, one reply changed: only that one.
        #expect(RunDiff.decisions([who, budget], [changedBudget, who]) == [.init(before: budget, after: changedBudget)])
        // A question worded anew is paired with the one left over.
        #expect(RunDiff.decisions([who, budget], [budget, reworded]) == [.init(before: who, after: reworded)])
        // One more, one fewer.
        #expect(RunDiff.decisions([who], [who, budget]) == [.init(before: nil, after: budget)])
        #expect(RunDiff.decisions([who, budget], [who]) == [.init(before: budget, after: nil)])
        #expect(RunDiff.decisions([who, budget], [who, budget]) == [])
    }

    @Test func gatesAreReadAsWrittenAndSayWhatTheyFound() throws {
        #expect(try Gate(parsing: "cost>5") == .costOver(USD(5)))
        #expect(try Gate(parsing: "cost>$0.0412").description == "cost>0.0412")
        #expect(try Gate(parsing: " growth>20% ") == .growthOver(20))
        #expect(try Gate(parsing: "growth>-10%").description == "growth>-10%")
        #expect(try Gate(parsing: "not-done") == .notDone && Gate(parsing: "denied") == .permissionDenied)
        for bad in ["cost<5", "cost>", "cost>-1", "growth>20", "growth>x%", "done", "cost>nan"] {
            #expect(throws: CompareError.badGate(bad)) { try Gate(parsing: bad) }
        }
        let planning = try Self.snapshot("planning-run/projects")
        let stops = try Self.snapshot("conformance-stops")
        let results = Gate.check([.costOver(USD(0.02)), .notDone, .growthOver(50), .permissionDenied], run: stops, baseline: planning)
        #expect(results.map(\.failed) == [true, true, false, false])
        #expect(
            results.map(\.message) == [
                "cost $0.021330 (reported) is over $0.02",
                "2. /office-hours failed; 3. /office-hours stalled",
                "cost $0.021330 against $0.287458 in the baseline: −92.6%, within 50%",
                "no tool call was refused",
            ])
        #expect(Gate.growthOver(50).check(planning, baseline: stops).failed)
        #expect(Gate.growthOver(50).check(planning, baseline: nil) == .init(gate: .growthOver(50), failed: false, message: "no baseline to compare with: not checked"))
        #expect(Gate.notDone.check(planning, baseline: nil) == .init(gate: .notDone, failed: false, message: "all 4 phases done"))
    }

    @Test func aBaselineAndGatesAreShownOnEveryPageCIReads() throws {
        var options = ReportOptions()
        options.baseline = try Self.snapshot("conformance-stops")
        options.gates = [.costOver(USD(0.1)), .notDone]
        let files = try Render.files([Fixture.path("planning-run/projects")], options: options)
        let index = HTMLScan(files["index.html"]!)
        #expect(index.text.contains("Compared with the baseline"))
        #expect(index.text.contains("reported\n$0.021330\n$0.287458\n+$0.266128\n+1247.7 %"))
        #expect(index.text.contains("failed cost>0.1 cost $0.287458 (reported) is over $0.10"))
        #expect(index.text.contains("passed not-done all 4 phases done"))
        #expect(index.dangers(allowedScript: Fixture.searchScript) == [])
        let report = files["report.md"]!
        #expect(report.contains("## Gates\n\n- **failed** `cost>0.1`: cost \\$0\\.287458 \\(reported\\) is over \\$0\\.10\n- **passed** `not-done`: all 4 phases done\n"))
        #expect(report.contains("## Compared with the baseline\n\nbefore: cwd (conformance-stops)\n\n| | before | after | change | % |\n"))
        #expect(report.contains("| reported | $0.021330 | $0.287458 | +$0.266128 | +1247.7 % |\n"))
        let job = files["job-summary.md"]!
        #expect(job.contains("### Compared with the baseline\n"))
        #expect(job.contains("- **failed** `cost>0.1`: "))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(files["summary.json"]!.utf8)) as? [String: Any])
        let baseline = try #require(summary["baseline"] as? [String: Any])
        #expect(baseline["cost_delta_usd"] as? Double == 0.266128 && baseline["cost_delta_percent"] as? Double == 1247.7)
        #expect(baseline["source"] as? String == "conformance-stops" && baseline["cost_source"] as? String == "reported")
        #expect((summary["gates"] as? [[String: Any]])?.map { $0["failed"] as? Bool } == [true, false])
        let junit = files["junit.xml"]!
        #expect(XMLParser(data: Data(junit.utf8)).parse())
        #expect(junit.contains(#"<testsuites name="planscribe" tests="6" failures="1""#))
        #expect(junit.contains(#"<testcase classname="planscribe.todo-app.gates" name="gate cost&gt;0.1" time="0.000">"#))
        #expect(junit.contains(#"<failure type="gate" message="gate cost&gt;0.1 failed: cost $0.287458 (reported) is over $0.10">"#))
        // Without a baseline or gates, none of it.
        let plain = try Render.files([Fixture.path("planning-run/projects")])
        #expect(!plain["index.html"]!.contains("Compared with the baseline") && !plain["index.html"]!.contains("<h2>Gates</h2>"))
        #expect(!plain["junit.xml"]!.contains(".gates"))
    }

    @Test func aComparisonOfHostileTranscriptsRunsNothing() throws {
        let hostile = try Self.snapshot("hostile")
        let diff = RunDiff(before: try Self.snapshot("planning-run/projects"), after: hostile)
        let page = diff.htmlPage(templates: try TemplateSet.load())
        let scan = HTMLScan(page)
        #expect(scan.dangers() == [])
        #expect(scan.tags.filter { $0.name == "style" }.count == 1)
        #expect(HTMLScan(MarkdownProbe.unsafeHTML(diff.markdownPage)).dangers() == [])
        var options = ReportOptions()
        options.baseline = hostile
        options.gates = [.notDone]
        let files = try Render.files([Fixture.path("hostile")], title: HostileContentTests.title, options: options)
        #expect(HTMLScan(files["index.html"]!).dangers(allowedScript: Fixture.searchScript) == [])
        for (path, text) in files where path.hasSuffix(".md") { #expect(HTMLScan(MarkdownProbe.unsafeHTML(text)).dangers() == [], "\(path)") }
    }

    @Test func anOlderSummaryIsReadAndANewerOneIsRefused() throws {
        let golden = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/demo/summary.json"))
        var json = try #require(try JSONSerialization.jsonObject(with: golden) as? [String: Any])
        // Before decisions were written: the phases have none.
        json["phases"] = (json["phases"] as? [[String: Any]])?.map {
            var p = $0; p["decisions"] = nil; return p
        }
        let old = try RunSnapshot.decode(try JSONSerialization.data(withJSONObject: json), source: "old")
        #expect(old.phases.count == 4 && old.phases.allSatisfy(\.decisions.isEmpty))
        json["schema_version"] = 2
        #expect(throws: CompareError.unreadable(path: "new", reason: "schema_version 2 is newer than this planscribe reads (1)")) {
            try RunSnapshot.decode(try JSONSerialization.data(withJSONObject: json), source: "new")
        }
        #expect(throws: CompareError.unreadable(path: "x", reason: "not a planscribe summary.json: schema_version is missing")) {
            try RunSnapshot.decode(Data(#"{"title": "t"}"#.utf8), source: "x")
        }
        #expect(throws: CompareError.unreadable(path: "x", reason: "not JSON")) { try RunSnapshot.decode(Data("nope".utf8), source: "x") }
    }
}

struct DiffCLITests {
    let cli = CLITests()

    @Test func diffComparesReportsAndTranscriptsAndExplainsBadInput() throws {
        let scratch = ScratchFolder()
        let render = try cli.run(["render", Fixture.path("conformance-stops"), "-o", scratch.path + "/stops"])
        #expect(render.status == 0)
        // A report folder against transcripts: the same figures either way.
        let r = try cli.run(["diff", scratch.path + "/stops", "planning-run/projects", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect((json["before"] as? [String: Any])?["cost_usd"] as? Double == 0.02133)
        #expect((json["after"] as? [String: Any])?["cost_usd"] as? Double == 0.287458)
        let viaSummary = try cli.run(["diff", scratch.path + "/stops/summary.json", "planning-run/projects", "--json"])
        #expect(viaSummary.stdout == r.stdout.replacingOccurrences(of: scratch.path + "/stops", with: scratch.path + "/stops/summary.json"))

        let missing = try cli.run(["diff", scratch.path + "/nope", scratch.path + "/stops"])
        #expect(missing.status == 2 && missing.stderr == "Error: \(scratch.path)/nope: no such file or folder\n")
        try FileManager.default.createDirectory(atPath: scratch.path + "/empty", withIntermediateDirectories: true)
        let empty = try cli.run(["diff", scratch.path + "/empty", scratch.path + "/stops"])
        #expect(empty.status == 2 && empty.stderr.hasPrefix("Error: \(scratch.path)/empty: neither a report (it has no summary.json) nor transcripts"), "\(empty.stderr)")
        let gate = try cli.run(["diff", scratch.path + "/stops", scratch.path + "/stops", "--fail-on", "cost<1"])
        #expect(gate.status == 2 && gate.stderr.contains("--fail-on cost<1: not a condition planscribe knows"))
        let notDone = try cli.run(["diff", scratch.path + "/stops", scratch.path + "/stops", "--fail-on", "not-done"])
        #expect(notDone.status == 5 && notDone.stderr.contains("planscribe: gate not-done failed: 2. /office-hours failed; 3. /office-hours stalled\n"))
    }

    @Test func aReportTheCacheLeftAloneIsStillHeldToItsGates() throws {
        let scratch = ScratchFolder()
        let env = ["XDG_CACHE_HOME": scratch.path + "/cache"]
        let out = scratch.path + "/out"
        let first = try cli.run(["render", "planning-run/projects", "-o", out, "--fail-on", "cost>0.1"], environment: env)
        #expect(first.status == 5 && first.stderr.contains("planscribe: gate cost>0.1 failed for \(out): cost $0.287458 (reported) is over $0.10\n"))
        let again = try cli.run(["render", "planning-run/projects", "-o", out, "--fail-on", "cost>0.1"], environment: env)
        #expect(again.status == 5 && again.stderr.contains("is up to date") && again.stderr.contains("gate cost>0.1 failed"), "\(again.stderr)")
        // Other gates, or a baseline, are another report.
        let other = try cli.run(["render", "planning-run/projects", "-o", out, "--fail-on", "cost>1"], environment: env)
        #expect(other.status == 0 && !other.stderr.contains("is up to date"))
        _ = try cli.run(["render", "conformance-stops", "-o", scratch.path + "/base"], environment: env)
        let based = try cli.run(["render", "planning-run/projects", "-o", out, "--fail-on", "cost>1", "--baseline", scratch.path + "/base"], environment: env)
        #expect(based.status == 0 && !based.stderr.contains("is up to date"))
        #expect(try String(contentsOfFile: out + "/report.md", encoding: .utf8).contains("## Compared with the baseline"))
        let bad = try cli.run(["render", "planning-run/projects", "-o", out, "--baseline", scratch.path + "/cache"], environment: env)
        #expect(bad.status == 2 && bad.stderr == "Error: --baseline \(scratch.path)/cache: not a planscribe report (it has no summary.json)\n")
    }

    @Test func severalProjectsEachFindTheirBaselineByTheirFolderName() throws {
        let scratch = ScratchFolder()
        let first = try cli.run(["render", "claude-code-log-real", "-o", scratch.path + "/before", "--no-cache"])
        #expect(first.status == 0, "\(first.stderr)")
        let projects = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/before").filter { !$0.hasSuffix(".html") }.sorted()
        try #require(projects.count >= 2)
        // One project's earlier report is gone: it is rendered without a baseline, and says so.
        try FileManager.default.removeItem(atPath: scratch.path + "/before/" + projects[0])
        let second = try cli.run(["render", "claude-code-log-real", "-o", scratch.path + "/after", "--baseline", scratch.path + "/before", "--no-cache"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("warning: no baseline for \(scratch.path)/after/\(projects[0]): \(scratch.path)/before/\(projects[0]): no such file or folder"), "\(second.stderr)")
        for project in projects {
            let report = try String(contentsOfFile: scratch.path + "/after/\(project)/report.md", encoding: .utf8)
            #expect(report.contains("## Compared with the baseline") == (project != projects[0]), "\(project)")
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path + "/after/\(project)/summary.json"))) as? [String: Any]
            #expect(((summary?["baseline"] as? [String: Any])?["cost_delta_usd"] as? Double) == (project != projects[0] ? 0 : nil), "\(project)")
        }
    }

    @Test func costMaxCostExitsFiveOverTheAmount() throws {
        let over = try cli.run(["cost", "planning-run/projects", "--max-cost", "0.2"])
        #expect(over.status == 5 && over.stderr == "planscribe: --max-cost: cost $0.287458 (reported) is over $0.20\n")
        let under = try cli.run(["cost", "planning-run/projects", "--max-cost", "0.3"])
        #expect(under.status == 0)
        let bad = try cli.run(["cost", "planning-run/projects", "--max-cost", "-1"])
        #expect(bad.status == 2)
    }
}
