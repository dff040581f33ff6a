import Foundation

/// Drives a plan's phases through the Claude Code CLI: one session per phase, canned replies
/// through `--resume`, the `PHASE_STATUS` protocol, one nudge per protocol slip, one retry
/// after `error_max_turns`, everything recorded, resumable after a crash.
public struct PlanRunner: Sendable {
    /// How a run starts.
    public enum Start: Sendable {
        /// A fresh run; refuses when an unfinished run is recorded.
        case fresh
        /// Continue the recorded run.
        case resume
        /// Discard the recorded run and start over.
        case restart
    }

    /// The plan being run.
    public let plan: Plan
    /// Builds the command lines.
    public let command: ClaudeCommand
    /// Runs the CLI.
    public let process: ClaudeProcess
    /// Stop at the first phase that does not reach ready (false), or go on (true).
    public var keepGoing = false
    /// What the whole run may spend (the plan's `budget`, or the command line's).
    public var runBudget: Plan.Budget
    /// The prices that estimate a running invocation's spend from its stream.
    public var prices: PriceTable = .builtIn
    /// The nudge sent when a turn ends without a marker.
    public static let nudge = "Your last message did not end with the PHASE_STATUS line. End every turn with exactly one line: PHASE_STATUS: ready_to_advance or PHASE_STATUS: needs_input."
    /// The message of the retry after `error_max_turns`.
    public static let retryMessage = "You ran out of turns. Continue the phase from where you stopped."

    /// Creates a runner.
    public init(plan: Plan, command: ClaudeCommand, process: ClaudeProcess, keepGoing: Bool = false) {
        self.runBudget = plan.budget
        self.plan = plan
        self.command = command
        self.process = process
        self.keepGoing = keepGoing
    }

    /// Which phases a run takes.
    public enum Selection: Sendable, Equatable {
        /// Every phase not done yet, in order.
        case all
        /// These phases only, each from its start.
        case only([PhaseName])
        /// This phase and those after it, each from its start.
        case from(PhaseName)

        func includes(_ index: Int, of phases: [Plan.PhasePlan]) -> Bool {
            switch self {
            case .all: return true
            case .only(let names): return names.contains(phases[index].name)
            case .from(let name): return (phases.firstIndex { $0.name == name }).map { index >= $0 } ?? false
            }
        }
    }

    /// Runs the plan.
    ///
    /// - Parameters:
    ///   - record: the run folder (locked).
    ///   - start: fresh, resume or restart.
    ///   - claudeConfigDir: the `CLAUDE_CONFIG_DIR` given to the CLI, to record.
    ///   - settings: how the run was started, recorded for `--resume` (a resumed run keeps
    ///     what it recorded).
    ///   - retryFailed: on resume, run phases that stalled or failed again from their start
    ///     (otherwise such a phase stops the run, unless the runner keeps going).
    ///   - selection: the phases to run; chosen phases run from their start, within the
    ///     recorded run when there is one (their earlier invocations stay in the record).
    ///   - userEnvironment: planscribe's own environment, where the user's skills are found
    ///     for an isolated config folder (``IsolatedConfig``).
    ///   - onEvent: progress.
    /// - Returns: the final state.
    /// - Throws: ``RunnerError`` (``RunnerError/interrupted`` after Ctrl-C, state saved),
    ///   ``ClaudeProcessError``, ``RunRecordError``.
    public func run(
        record: RunRecord, start: Start, claudeConfigDir: String?, settings: RunSettings? = nil, retryFailed: Bool = false,
        selection: Selection = .all, userEnvironment: [String: String] = ProcessInfo.processInfo.environment,
        onEvent: @escaping @Sendable (RunnerEvent) -> Void
    ) async throws -> RunOutcome {
        var state: RunState
        let now = Self.timestamp()
        let clock = ContinuousClock.now
        // A CLI a crashed run left running would write into the folder being read or wiped.
        if let orphan = record.endOrphanedChild() {
            onEvent(.orphanEnded(pid: orphan))
        }
        let saved = try record.loadState()
        switch (start, saved) {
        case (.restart, _):
            try record.clear()
            state = newState(now, claudeConfigDir: claudeConfigDir)
            state.settings = settings
        case (.resume, nil):
            throw RunnerError.nothingToResume(folder: record.folder)
        case (.resume, let saved?):
            state = saved
        case (.fresh, let saved?) where selection != .all:
            // Chosen phases run again inside the recorded run.
            state = saved
        case (.fresh, let saved?) where saved.status != .finished:
            throw RunnerError.unfinishedRun(folder: record.folder)
        case (.fresh, .some):
            throw RunnerError.finishedRun(folder: record.folder)
        case (.fresh, nil):
            try record.clear()
            state = newState(now, claudeConfigDir: claudeConfigDir)
            state.settings = settings
        }
        guard state.phases.map(\.name) == plan.phases.map(\.name.command) else {
            throw RunnerError.planChanged("phases were " + state.phases.map(\.name).joined(separator: ", "))
        }
        if saved != nil, start != .restart {
            // What the run's sessions were told must not change under them.
            if let recorded = state.description, recorded != plan.description {
                throw RunnerError.planChanged("its description was “\(Figures.oneLine(recorded, limit: 80))”, and every phase's first prompt holds it")
            }
            for (i, record) in state.phases.enumerated() where record.status == .running && selection == .all {
                if let replies = record.replies, replies != plan.phases[i].replyRecord {
                    throw RunnerError.repliesChanged(phase: record.name, were: replies)
                }
            }
        }
        if state.description == nil { state.description = plan.description }
        if let dir = state.claudeConfigDir { IsolatedConfig.prepare(dir, environment: userEnvironment) }
        let resumedRun = saved != nil && start != .restart
        state.status = .running
        state.overBudget = nil
        let earlier = record.loadInvocations()
        var invocationIndex = earlier.count
        var runSpent = earlier.reduce(0) { $0 + ($1.costUSD ?? $1.streamEstimateUSD ?? 0) }
        let runDeadline = runBudget.timeLimitSeconds.map { clock + .seconds($0) }
        try record.save(state)
        onEvent(.runStarted(phases: plan.phases.count, resumed: resumedRun, spentUSD: runSpent))

        phases: for (i, phasePlan) in plan.phases.enumerated() {
            guard selection.includes(i, of: plan.phases) else { continue }
            var phase = state.phases[i]
            if selection != .all {
                if phase.status != .pending { phase = PhaseRecord(name: phase.name) }
            } else if phase.status == .done {
                continue
            } else if phase.status == .stalled || phase.status == .failed {
                guard retryFailed else {
                    // As in the run that recorded it: a phase that did not end ready stops it.
                    if keepGoing { continue } else { break }
                }
                phase = PhaseRecord(name: phase.name)
            }
            if let crossing = BudgetWatch(
                run: runBudget, phase: .init(), runSpentBefore: runSpent, phaseSpentBefore: 0, phaseSecondsBefore: 0, runDeadline: runDeadline
            ).crossed(running: 0, elapsed: 0) {
                // The run's budget is spent: this phase and those after it are not started.
                state.overBudget = crossing
                onEvent(.budgetReached(crossing))
                break
            }
            let resumed = phase.status == .running
            if phase.startedAt == nil { phase.startedAt = Self.timestamp() }
            if !resumed { phase.replies = phasePlan.replyRecord }
            phase.status = .running
            if phase.next == nil { phase.next = PendingStep(kind: .start) }
            onEvent(.phaseStarted(index: i + 1, count: plan.phases.count, name: phasePlan.name.command, resumed: resumed))
            while let step = phase.next {
                state.phases[i] = phase
                state.updatedAt = Self.timestamp()
                try record.save(state)

                let watch = BudgetWatch(
                    run: runBudget, phase: phasePlan.budget, runSpentBefore: runSpent, phaseSpentBefore: phase.spentUSD,
                    phaseSecondsBefore: phase.seconds ?? 0, runDeadline: runDeadline)
                if let crossing = watch.crossed(running: 0, elapsed: 0) {
                    // Crossed by what was spent already: the next invocation is not started.
                    stop(&phase, &state, crossing, onEvent: onEvent)
                    break
                }
                let outcome: TimedOutcome
                do {
                    outcome = try await invoke(step, phase: phase, plan: phasePlan, index: invocationIndex, record: record, watch: watch, onEvent: onEvent)
                } catch let error as ClaudeProcessError {
                    // Recorded, so that the run is not left "running" for the next one to refuse.
                    record.clearChild()
                    _ = finish(&phase, .failed, error.description)
                    phase.next = nil
                    phase.finishedAt = Self.timestamp()
                    state.phases[i] = phase
                    state.status = .finished
                    state.updatedAt = Self.timestamp()
                    try record.save(state)
                    onEvent(.phaseFinished(name: phasePlan.name.command, status: phase.status, reason: phase.reason ?? ""))
                    throw error
                }
                invocationIndex += 1
                phase.invocations += 1
                phase.seconds = (phase.seconds ?? 0) + Double(outcome.durationMs) / 1000
                if step.kind == .start {
                    // A (re)started first turn opens a new session.
                    phase.sessionID = outcome.sessionID
                    phase.sessionTotalUSD = nil
                } else if phase.sessionID == nil {
                    phase.sessionID = outcome.sessionID
                }
                if state.cliVersion == nil { state.cliVersion = outcome.cliVersion }
                let (cost, source) = Self.reportedCost(outcome, previousTotal: phase.sessionTotalUSD)
                // The session's total after it: from the result, else the transcript's figure that priced it.
                let sessionTotal = outcome.result?.totalCostUSD ?? (source == "cost_state" ? outcome.sessionTotalFromTranscript : nil)
                if let sessionTotal { phase.sessionTotalUSD = sessionTotal }
                let estimate = outcome.spend.estimate.dollars
                if let cost {
                    phase.costUSD += cost
                } else if estimate > 0 {
                    phase.unreportedUSD = (phase.unreportedUSD ?? 0) + estimate
                }
                runSpent += cost ?? estimate
                let marker = outcome.finalText.flatMap(PhaseMarker.status(of:))
                var entry = InvocationRecord(
                    index: invocationIndex, phase: phasePlan.name.command, kind: step.kind, replyIndex: step.replyIndex,
                    question: step.question.map(Redactor.redact), argv: ClaudeCommand.recorded(arguments(for: step, phase: phase, plan: phasePlan, promptFolder: Self.promptFolder(of: record))),
                    startedAt: outcome.startedAt, durationMs: outcome.durationMs, exitCode: outcome.base.exitCode, signal: outcome.base.signal,
                    timedOut: outcome.base.timedOut, interrupted: outcome.base.interrupted, subtype: outcome.result?.subtype,
                    isError: outcome.result?.isError, sessionID: outcome.sessionID, usage: outcome.result?.usage, costUSD: cost,
                    sessionTotalUSD: sessionTotal,
                    marker: marker?.rawValue, failure: (outcome.crossing?.reason ?? outcome.base.failure).map(Redactor.redact),
                    apiRetries: outcome.base.apiRetries, streamFile: outcome.streamFile, permissionDenials: outcome.result?.permissionDenials)
                entry.costSource = source
                entry.streamAPICalls = outcome.spend.callCount
                entry.streamEstimateUSD = estimate
                try record.append(entry)
                onEvent(
                    .invocationFinished(
                        phase: phasePlan.name.command, costUSD: cost ?? (estimate > 0 ? estimate : nil), estimated: cost == nil && estimate > 0,
                        marker: marker, failure: outcome.crossing?.reason ?? outcome.base.failure, denied: outcome.result?.permissionDenials ?? [],
                        seconds: Double(outcome.durationMs) / 1000, runUSD: runSpent))

                if outcome.base.interrupted {
                    // The same step runs again on --resume.
                    state.phases[i] = phase
                    state.status = .interrupted
                    state.updatedAt = Self.timestamp()
                    try record.save(state)
                    onEvent(.runFinished(status: .interrupted, spentUSD: runSpent))
                    throw RunnerError.interrupted
                }
                if let crossing = outcome.crossing {
                    stop(&phase, &state, crossing, onEvent: onEvent)
                    break
                }
                phase.next = decide(outcome.base, marker: marker, phase: &phase, plan: phasePlan)
            }
            phase.finishedAt = Self.timestamp()
            state.phases[i] = phase
            state.updatedAt = Self.timestamp()
            try record.save(state)
            onEvent(.phaseFinished(name: phasePlan.name.command, status: phase.status, reason: phase.reason ?? ""))
            if state.overBudget?.scope == .run { break phases }
            if phase.status != .done && !keepGoing { break }
        }
        state.status = state.overBudget == nil ? .finished : .overBudget
        state.updatedAt = Self.timestamp()
        try record.save(state)
        onEvent(.runFinished(status: state.status, spentUSD: runSpent))
        return RunOutcome(state: state)
    }

    /// A budget stopped the phase: it fails with the budget as its reason, and the run
    /// records the crossing.
    private func stop(_ phase: inout PhaseRecord, _ state: inout RunState, _ crossing: BudgetCrossing, onEvent: @Sendable (RunnerEvent) -> Void) {
        _ = finish(&phase, .failed, "stopped: " + crossing.reason)
        phase.next = nil
        phase.overBudget = crossing.scope.rawValue
        if state.overBudget == nil || crossing.scope == .run { state.overBudget = crossing }
        onEvent(.budgetReached(crossing))
    }

    private func newState(_ now: String, claudeConfigDir: String?) -> RunState {
        RunState(
            slug: plan.slug, planFile: plan.file, workspace: plan.workspace, claudeConfigDir: claudeConfigDir, description: plan.description,
            startedAt: now, updatedAt: now, phases: plan.phases.map { PhaseRecord(name: $0.name.command) })
    }

    /// The next step after an invocation, or nil when the phase is over (its status set).
    func decide(_ outcome: InvocationOutcome, marker: PhaseStatus?, phase: inout PhaseRecord, plan phasePlan: Plan.PhasePlan) -> PendingStep? {
        if outcome.timedOut {
            return finish(&phase, .failed, "timed out after \(phasePlan.claude.timeoutSeconds) s")
        }
        if let result = outcome.result, result.subtype == "error_max_turns" {
            guard !phase.retried, phase.sessionID != nil else {
                return finish(&phase, .failed, "ran out of turns again after the retry with \(phasePlan.claude.retryMaxTurns) turns")
            }
            phase.retried = true
            return PendingStep(kind: .retry, message: ClaudeCommand.wrap(Self.retryMessage))
        }
        if let failure = outcome.failure {
            return finish(&phase, .failed, failure)
        }
        if phasePlan.claude.failOnPermissionDenial, let note = PermissionNote.text(outcome.result?.permissionDenials ?? []) {
            return finish(&phase, .failed, note + "; fail_on_permission_denial is set")
        }
        if marker != .readyToAdvance && phase.sessionID == nil {
            // A reply needs --resume with the session; without one the phase cannot go on.
            return finish(&phase, .failed, "the CLI reported no session id, so the phase cannot be continued")
        }
        if marker != nil { phase.nudgesInARow = nil }
        switch marker {
        case .readyToAdvance?:
            return finish(&phase, .done, "ended with PHASE_STATUS: ready_to_advance")
        case .needsInput?:
            let question = outcome.finalText ?? ""
            guard phase.repliesSent < phasePlan.maxReplies else {
                return finish(&phase, .stalled, "still needs input after \(Figures.plural(phase.repliesSent, "reply", "replies")) (max_replies \(phasePlan.maxReplies))")
            }
            guard let (index, text) = chooseReply(phasePlan, used: phase.usedReplies, question: question) else {
                return finish(&phase, .stalled, "needs input and no canned reply is left")
            }
            phase.repliesSent += 1
            if let index { phase.usedReplies.append(index) }
            return PendingStep(kind: .reply, message: ClaudeCommand.wrap(text), replyIndex: index, question: Figures.oneLine(PhaseMarker.strip(question), limit: 300))
        case nil:
            guard (phase.nudgesInARow ?? 0) < phasePlan.maxNudges else {
                return finish(&phase, .stalled, "no PHASE_STATUS marker after \(Figures.plural(phase.nudgesInARow ?? 0, "nudge")) in a row (max_nudges \(phasePlan.maxNudges))")
            }
            guard phase.repliesSent < phasePlan.maxReplies else {
                return finish(&phase, .stalled, "the final turn has no PHASE_STATUS marker and the reply budget (max_replies \(phasePlan.maxReplies)) is used up")
            }
            phase.repliesSent += 1
            phase.nudgesInARow = (phase.nudgesInARow ?? 0) + 1
            return PendingStep(kind: .nudge, message: ClaudeCommand.wrap(Self.nudge), question: Figures.oneLine(outcome.finalText ?? "", limit: 300))
        }
    }

    /// The reply to a question: the first unused `when` reply whose pattern matches, else the
    /// next unused ordered reply, else the default reply (index nil), else nil.
    func chooseReply(_ phasePlan: Plan.PhasePlan, used: [Int], question: String) -> (Int?, String)? {
        let range = NSRange(question.startIndex..., in: question)
        for (i, reply) in phasePlan.replies.enumerated() where !used.contains(i) {
            guard let pattern = reply.when else { continue }
            if pattern.isEmpty { return (i, reply.text) }
            if let regex = try? NSRegularExpression(pattern: pattern), regex.firstMatch(in: question, range: range) != nil {
                return (i, reply.text)
            }
        }
        for (i, reply) in phasePlan.replies.enumerated() where !used.contains(i) && reply.when == nil {
            return (i, reply.text)
        }
        return plan.defaultReply.map { (nil, $0) }
    }

    private func finish(_ phase: inout PhaseRecord, _ status: PhaseRecord.Status, _ reason: String) -> PendingStep? {
        phase.status = status
        phase.reason = reason
        return nil
    }

    /// The arguments of a step; a first turn reads its system prompt from
    /// `<promptFolder>/<phase>.md` when a folder is given.
    func arguments(for step: PendingStep, phase: PhaseRecord, plan phasePlan: Plan.PhasePlan, promptFolder: String? = nil) -> [String] {
        switch step.kind {
        case .start:
            return command.firstTurn(phasePlan, systemPromptFile: promptFolder.map { Self.promptFile(phasePlan, in: $0) })
        case .retry:
            return command.resume(phase.sessionID ?? "", message: step.message ?? ClaudeCommand.wrap(Self.retryMessage), phase: phasePlan, maxTurns: phasePlan.claude.retryMaxTurns)
        case .reply, .nudge:
            return command.resume(phase.sessionID ?? "", message: step.message ?? "", phase: phasePlan)
        }
    }

    /// The run record's `prompts/` folder as an absolute path: the CLI runs in the workspace.
    static func promptFolder(of record: RunRecord) -> String {
        (Paths.absolute(record.folder) as NSString).standardizingPath + "/prompts"
    }

    /// On a phase's first turn: when the CLI's `system/init` lists what it loaded and the phase's
    /// command is not among its slash commands and skills, the phase must not run as plain text
    /// (a misspelt `/office-hourz`, a skill not installed where the CLI looks).
    static func unloadedCommandCheck(_ name: PhaseName, workspace: String, environment: [String: String]) -> @Sendable (StreamEvent) -> String? {
        let user = TranscriptLocator.configFolder(environment: environment)
        let places = [workspace + "/.claude/skills", workspace + "/.claude/commands", user + "/skills", user + "/commands"]
        return { event in
            guard case .started(_, _, _, let commands?) = event, !commands.contains(name.slug) else { return nil }
            return
                "the CLI did not load \(name.command) as a skill or command (it looks in \(places.joined(separator: ", "))); install it there, or mark the phase plain: true to send it as a plain prompt"
        }
    }

    /// Where a phase's rendered system prompt is kept in the run folder.
    static func promptFile(_ phasePlan: Plan.PhasePlan, in folder: String) -> String {
        folder + "/" + phasePlan.name.slug.replacingOccurrences(of: ":", with: "-") + ".md"
    }

    struct TimedOutcome {
        var base: InvocationOutcome
        var startedAt: String
        var durationMs: Int
        var streamFile: String
        /// The API calls its stream showed, with their estimated cost.
        var spend = StreamSpend(prices: .builtIn)
        /// The budget that ended it, when one did.
        var crossing: BudgetCrossing?
        /// Without a result: the session's total from its transcript's last `cost-state`.
        var sessionTotalFromTranscript: Double?
        var sessionID: String? { base.sessionID }
        var result: ResultEvent? { base.result }
        var cliVersion: String? { base.cliVersion }
        var finalText: String? { base.finalText }
    }

    private func invoke(
        _ step: PendingStep, phase: PhaseRecord, plan phasePlan: Plan.PhasePlan, index: Int, record: RunRecord, watch: BudgetWatch,
        onEvent: @escaping @Sendable (RunnerEvent) -> Void
    ) async throws -> TimedOutcome {
        let replyNumber = phase.repliesSent
        onEvent(
            .invocationStarted(
                phase: phasePlan.name.command, kind: step.kind, replyNumber: replyNumber, question: step.question.map { Figures.oneLine($0, limit: 120) },
                reply: step.message.map { Figures.oneLine(ClaudeCommand.unwrap($0) ?? $0, limit: 120) }, choice: Self.choice(of: step)))
        let stream = String(format: "stream/%03d-%@-%@.jsonl", index + 1, phasePlan.name.slug.replacingOccurrences(of: ":", with: "-"), step.kind.rawValue)
        let prompts = Self.promptFolder(of: record)
        if step.kind == .start {
            // Passed by file: a long prompt would pass the argument size limit.
            do {
                try FileManager.default.createDirectory(atPath: prompts, withIntermediateDirectories: true)
                try Data(command.systemPrompt(for: phasePlan.name).utf8).write(to: URL(fileURLWithPath: Self.promptFile(phasePlan, in: prompts)), options: .atomic)
            } catch {
                throw RunRecordError.io(path: Self.promptFile(phasePlan, in: prompts), reason: (error as NSError).localizedDescription)
            }
        }
        let started = Self.timestamp()
        let clock = ContinuousClock.now
        // What the stream shows the invocation spending, and the budget a stop check found:
        // both written from the task that reads the stream.
        let tally = LockedValue(StreamSpend(prices: prices))
        let crossed = LockedValue<BudgetCrossing?>(nil)
        let (timeout, limitedBy) = watch.timeout(phasePlan.claude.timeoutSeconds)
        let unloaded = step.kind == .start && !phasePlan.plain ? Self.unloadedCommandCheck(phasePlan.name, workspace: plan.workspace, environment: process.environment) : nil
        let name = phasePlan.name.command
        let outcome = try await process.run(
            arguments: arguments(for: step, phase: phase, plan: phasePlan, promptFolder: prompts), workingDirectory: plan.workspace,
            timeout: .milliseconds(Int64(timeout * 1000)), rawOutput: record.folder + "/" + stream,
            onStart: { pid in record.recordChild(pid) },
            stopWhen: { event in
                if let reason = unloaded?(event) { return reason }
                guard case .assistant = event else { return nil }
                guard let crossing = watch.crossed(running: tally.value.estimate.dollars, elapsed: (ContinuousClock.now - clock).seconds) else { return nil }
                crossed.value = crossing
                return "stopped: " + crossing.reason
            }
        ) { event in
            switch event {
            case .apiRetry(let attempt, let max, let status, _):
                onEvent(.apiRetry(attempt: attempt, maxRetries: max, status: status))
            case .assistant(_, _, let call?):
                if let (usd, calls) = tally.withLock({ $0.add(call) ? ($0.estimate.dollars, $0.callCount) : nil }) {
                    onEvent(.spending(phase: name, invocationUSD: usd, calls: calls, runUSD: watch.runSpentBefore + usd))
                }
            default:
                break
            }
        }
        record.clearChild()
        let elapsed = ContinuousClock.now - clock
        let ms = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        var timed = TimedOutcome(base: outcome, startedAt: started, durationMs: ms, streamFile: stream, spend: tally.value, crossing: crossed.value)
        if timed.crossing == nil, outcome.timedOut, let scope = limitedBy {
            // The time limit, not timeout_s, ended it.
            timed.crossing = watch.timeLimitReached(scope)
        }
        if outcome.result == nil, let session = outcome.sessionID {
            // Ended before its result (a timeout, a budget, Ctrl-C): on SIGTERM the CLI still
            // writes the session's running total into its transcript.
            timed.sessionTotalFromTranscript = RunTranscripts.reportedTotal(of: session, workspace: plan.workspace, environment: process.environment)
        }
        return timed
    }

    /// What chose a step's message, for progress: `reply 2`, `default reply`, `nudge`.
    static func choice(of step: PendingStep) -> String? {
        switch step.kind {
        case .start: return nil
        case .retry: return "retry"
        case .nudge: return "nudge"
        case .reply: return step.replyIndex.map { "reply \($0 + 1)" } ?? "default reply"
        }
    }

    /// The CLI's own cost of one invocation and where it comes from: the growth of the
    /// session's cumulative total in its result (`result`), else the sum of
    /// `model_usage_since_last_result`, else the total itself (a first turn); without a result,
    /// the growth of the total its transcript's last `cost-state` line gives (`cost_state`);
    /// else none.
    static func reportedCost(_ outcome: TimedOutcome, previousTotal: Double?) -> (usd: Double?, source: String?) {
        if let result = outcome.result {
            if let total = result.totalCostUSD, let previous = previousTotal, total >= previous {
                return ((USD(total) - USD(previous)).dollars, "result")
            }
            if let since = result.costSinceLastResultUSD { return (since, "result") }
            return (result.totalCostUSD, result.totalCostUSD == nil ? nil : "result")
        }
        guard let total = outcome.sessionTotalFromTranscript else { return (nil, nil) }
        let previous = previousTotal ?? 0
        guard total > previous else { return (nil, nil) }
        return ((USD(total) - USD(previous)).dollars, "cost_state")
    }

    static func timestamp() -> String { Timestamp.now() }
}
