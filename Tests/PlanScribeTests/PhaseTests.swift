import Testing

@testable import PlanScribe

struct PhaseNameTests {
    @Test(arguments: ["office-hours", "/office-hours", " /Office-Hours ", "\t/OFFICE-HOURS\n"])
    func spellingsOfOnePhase(_ raw: String) {
        #expect(PhaseName(raw)?.command == "/office-hours")
    }

    @Test(arguments: ["", "/", "office hours", "/../etc", "-x", "/plan<script>"])
    func notPhaseNames(_ raw: String) {
        #expect(PhaseName(raw) == nil)
    }

    @Test func promptsThatStartAPhase() {
        #expect(PhaseName.startedBy(prompt: "/office-hours A todo app")?.slug == "office-hours")
        #expect(PhaseName.startedBy(prompt: "<command-name>/plan-eng-review</command-name>\n<command-args></command-args>")?.slug == "plan-eng-review")
        #expect(PhaseName.startedBy(prompt: "/compact") == nil)
        #expect(PhaseName.startedBy(prompt: "please run /office-hours") == nil)
        #expect(PhaseName.startedBy(prompt: "/usr/bin/env is a path") == nil)
    }

    /// Every form the CLI writes for a skill or custom command: message first (`claude -p`
    /// with a skill installed), name first (interactive), white space between, with and
    /// without args; the prompt reads as typed.
    @Test(arguments: [
        ("<command-message>office-hours</command-message>\n<command-name>/office-hours</command-name>\n<command-args>A todo app</command-args>", "/office-hours A todo app"),
        ("<command-name>/office-hours</command-name>\n            <command-message>office-hours</command-message>\n            <command-args>A todo app</command-args>", "/office-hours A todo app"),
        ("<command-args>A todo app</command-args><command-name>/office-hours</command-name>", "/office-hours A todo app"),
        ("<command-message>office-hours</command-message>\n<command-name>/office-hours</command-name>", "/office-hours"),
        ("\n <command-name> /office-hours </command-name>\t<command-args></command-args>\n", "/office-hours"),
    ])
    func commandTagsInAnyOrderStartAPhase(_ prompt: String, _ typed: String) {
        #expect(PhaseName.startedBy(prompt: prompt)?.command == "/office-hours")
        #expect(PromptText.plain(prompt) == typed)
    }

    /// What is not a whole set of command tags is typed text, and text after the tags (a
    /// newer CLI's extra tag) leaves the command as read; the tags are found by their bytes
    /// in a long prompt with other scripts in it.
    @Test func commandTagsAreReadWholeOrNotAtAll() {
        #expect(PromptText.command(in: "plan <command-name>/x</command-name>") == nil)
        #expect(PromptText.command(in: "<command-name>/office-hours") == nil)
        #expect(PromptText.command(in: "<command-message>only</command-message>") == nil)
        let extra = PromptText.command(in: "<command-name>/a</command-name><command-args>b c</command-args>\n<command-contents>x</command-contents>")
        #expect(extra?.name == "/a" && extra?.args == "b c")
        let long = String(repeating: "Ünïcödé 計画 🙂 ", count: 5_000)
        let found = PromptText.command(in: "<command-name>/plan-eng-review</command-name><command-args>" + long + "</command-args>")
        #expect(found?.name == "/plan-eng-review" && found?.args == long.trimmingCharacters(in: .whitespaces))
        // A bash-mode line reads as typed; an unclosed tag leaves the text as it is.
        #expect(PromptText.plain("<bash-input>  ls -la 計画\n</bash-input>") == "! ls -la 計画")
        #expect(PromptText.plain("note: <bash-input>git status</bash-input><bash-stdout></bash-stdout>") == "! git status")
        #expect(PromptText.plain("<bash-input>ls") == "<bash-input>ls")
    }

    @Test func commandTagsThatDoNotStartAPhase() {
        #expect(PhaseName.startedBy(prompt: "<command-message>compact</command-message>\n<command-name>/compact</command-name>") == nil)
        #expect(PhaseName.startedBy(prompt: "<command-message>office-hours</command-message>") == nil)  // no name
        #expect(PhaseName.startedBy(prompt: "<command-name>/office-hours") == nil)  // not closed
        #expect(PhaseName.startedBy(prompt: "<local-command-stdout>Compacted</local-command-stdout>") == nil)
    }
}

struct PhaseMarkerTests {
    @Test(arguments: [
        ("Done.\n\nPHASE_STATUS: ready_to_advance", PhaseStatus.readyToAdvance),
        ("Q?\n\nPHASE_STATUS: needs_input", .needsInput),
        ("Q?\n   PHASE_STATUS:   needs_input   \n\n", .needsInput),
        ("Q?\n**PHASE_STATUS: needs_input**", .needsInput),
        ("Q?\n**PHASE_STATUS:** ready_to_advance", .readyToAdvance),
        ("Q?\n`PHASE_STATUS: needs_input`", .needsInput),
        ("Done.\nPHASE_STATUS: ready_to_advance.", .readyToAdvance),
        ("Done.\n_PHASE_STATUS: ready_to_advance_", .readyToAdvance),
        ("Done.\r\nPHASE_STATUS: ready_to_advance\r", .readyToAdvance),
    ])
    func markersAreFound(_ text: String, _ status: PhaseStatus) {
        #expect(PhaseMarker.status(of: text) == status)
    }

    @Test(arguments: [
        "When ready I will write PHASE_STATUS: ready_to_advance at the end.",
        "Example:\n```\nPHASE_STATUS: ready_to_advance\n```",
        "PHASE_STATUS: ready_to_advance\n\nBut one more question?",
        "PHASE_STATUS: maybe",
        "",
    ])
    func notMarkers(_ text: String) {
        #expect(PhaseMarker.status(of: text) == nil)
    }

    @Test func strippingRemovesMarkerLinesButNotCode() {
        let text = "Summary.\n\n**PHASE_STATUS: needs_input**\n\n```\nPHASE_STATUS: ready_to_advance\n```\nPHASE_STATUS: ready_to_advance\n\n"
        #expect(PhaseMarker.strip(text) == "Summary.\n\n\n```\nPHASE_STATUS: ready_to_advance\n```")
    }
}

struct PhaseSplitterTests {
    @Test func thePlanningRunSplitsIntoItsFourPhases() throws {
        let phases = PhaseSplitter.split(try Fixture.sessions([Fixture.planningProject]))
        #expect(phases.map { $0.name?.command } == ["/office-hours", "/plan-ceo-review", "/plan-eng-review", "/plan-design-review"])
        #expect(phases.map(\.status) == [.readyToAdvance, .readyToAdvance, .readyToAdvance, .readyToAdvance])
        // Turn by turn: the CEO review's first turn slipped (no marker); the eng review's
        // marker inside a code block does not count.
        #expect(phases[0].turns.map(\.status) == [.needsInput, .needsInput, .readyToAdvance])
        #expect(phases[1].turns.map(\.status) == [nil, .needsInput, .readyToAdvance])
        #expect(phases[2].turns.map(\.status) == [.needsInput, .readyToAdvance])
        #expect(phases[3].turns.map(\.status) == [.readyToAdvance])
        #expect(
            phases[0].turns.map { $0.prompt?.text } == [
                "/office-hours A shared todo app for small teams",
                "[EXTERNAL CONTENT]\nSmall teams of 3-10 people.\n[END EXTERNAL CONTENT]",
                "[EXTERNAL CONTENT]\nUnder $50 a month.\n[END EXTERNAL CONTENT]",
            ])
        // Each phase carries its API calls, the subagent's with the CEO review's first turn.
        #expect(phases.map(\.apiCalls.count) == [4, 7, 2, 1])
        #expect(phases.map { $0.turns.map(\.apiCalls.count) } == [[1, 2, 1], [5, 1, 1], [1, 1], [1]])
        // The first turn of office hours: one call, 1002 in, 60 out, 1500 + 500 written, 9000 read.
        #expect(CostLedger().estimate(phases[0].turns[0].apiCalls).completeCost == USD(picodollars: 18_508_000_000))
        let ledger = CostLedger()
        #expect(
            phases.map { ledger.estimate($0.apiCalls).completeCost } == [
                USD(picodollars: 83_680_000_000), USD(picodollars: 152_408_000_000),
                USD(picodollars: 31_662_000_000), USD(picodollars: 19_708_000_000),
            ])
    }

    @Test func oneSessionWithTwoPhasesAndAPrelude() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "p/s.jsonl",
            lines: [
                Line.user("u1", parent: nil, "hello first"),
                Line.assistant("a1", parent: "u1", id: "msg_1", block: Line.text("hi")),
                Line.user("u2", parent: "a1", "/office-hours an app"),
                Line.assistant("a2", parent: "u2", id: "msg_2", block: Line.text("Who?\nPHASE_STATUS: needs_input")),
                Line.user("u3", parent: "a2", "Teams."),
                Line.assistant("a3", parent: "u3", id: "msg_3", block: Line.text("Done\nPHASE_STATUS: ready_to_advance")),
                Line.user("u4", parent: "a3", "/plan-ceo-review"),
                Line.assistant("a4", parent: "u4", id: "msg_4", block: Line.text("Thinking about it")),
            ])
        var filter = DuplicateFilter()
        let session = try SessionReader().read(SessionSource(file: file), filter: &filter)
        let phases = PhaseSplitter.split(session)
        #expect(phases.map { $0.name?.command } == [nil, "/office-hours", "/plan-ceo-review"])
        #expect(phases.map(\.status) == [nil, .readyToAdvance, nil])
        #expect(phases.map(\.apiCalls.count) == [1, 2, 1])
        #expect(phases[1].turns.count == 2)
    }

    @Test func aSessionWithoutPhasePromptsIsOnePrelude() throws {
        let phases = PhaseSplitter.split(try Fixture.sessions([Fixture.realProjects + "/-src-experiments-claude_p/94604a7b-062f-4369-bdf0-da948381c3e5.jsonl"]))
        #expect(phases.count == 1)
        #expect(phases[0].name == nil)
        #expect(phases[0].apiCalls.count == 1)
    }
}

struct FuzzRegressionTests {
    /// Found by Tests/Fuzz/run.sh (marker harness): stripping twice changed the text, because
    /// each pass took one more carriage return off a line ending in "\r\r".
    @Test func strippingIsIdempotent() {
        let bytes: [UInt8] = [0x00, 0x00, 0xB0, 0xDC, 0xDC, 0x00, 0x0A, 0xFB, 0x0A, 0x08, 0x00, 0x0A, 0xFB, 0x0A, 0x08, 0xFB, 0x0A, 0x08, 0x00, 0x0A, 0xFB, 0x0A, 0x08, 0x0D, 0x0D]
        let text = String(decoding: bytes, as: UTF8.self)
        let once = PhaseMarker.strip(text)
        #expect(PhaseMarker.strip(once) == once)
        #expect(PhaseMarker.strip("a\r\r\nPHASE_STATUS: needs_input\r\n") == "a\r\r")
    }

    /// The shortcut for texts without a marker gives what the line-by-line walk gives.
    @Test(arguments: [
        "", "\n", "  \n\t\n", "a", "a\n", "a\n\n \n", "a  ", "a\r\n\r\n", "é\n\n", "a\n\u{A0}\n", "```\ncode\n", "a\u{2028}\n",
        "x\n\n\u{0B}\u{0C}\n", "last line\nno newline", "snake_case_status and phase_x",
    ])
    func strippingTextWithoutMarkersTakesAShortcutToTheSameResult(_ text: String) {
        #expect(!PhaseMarker.mayHoldMarker(text))
        #expect(PhaseMarker.strip(text) == PhaseMarker.stripLineByLine(text))
    }

    @Test func theShortcutIsNotTakenWhenAMarkerMayBeThere() {
        #expect(PhaseMarker.mayHoldMarker("done\nPhase_Status: ready_to_advance"))
        #expect(PhaseMarker.mayHoldMarker("**PHASE_STATUS: needs_input**"))
        #expect(PhaseMarker.strip("ok\n**PHASE_STATUS: needs_input**\n\n") == "ok")
    }
}
