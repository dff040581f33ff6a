import ArgumentParser
import Dispatch
import Foundation
import PlanScribe

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a plan's phases through the Claude Code CLI and render the report.",
        discussion: """
            Each phase starts a fresh `claude -p "<phase> <description>"` in the plan's \
            workspace; every canned reply continues that session with --resume. The agent ends \
            each turn with PHASE_STATUS: ready_to_advance (next phase) or PHASE_STATUS: \
            needs_input (planscribe sends the next reply: a matching `when` reply, else the next \
            ordered one, else default_reply). A turn without a marker gets one nudge, counted \
            against max_replies. error_max_turns resumes the same session once with \
            retry_max_turns. Every invocation is recorded in <output>/run/ (state.json, \
            invocations.jsonl, the raw stream-json); the report is rendered into <output>/ at \
            the end. Ctrl-C, SIGTERM (a cancelled CI job) and SIGHUP end the CLI, save the \
            state, render the report and print the command that resumes the run.

            The CLI binary: --claude PATH, else $PLANSCRIBE_CLAUDE, else claude on PATH.

            Budgets (the plan's budget and each phase's, or --max-cost and --time-limit for the \
            run) are watched while an invocation runs, from the usage its stream shows: \
            crossing one ends the CLI at once, saves the state and renders the report.

            Exit codes: 0 every phase reached ready_to_advance; 3 a phase stalled, failed or \
            did not run; 4 a budget was crossed (cost or time; before 3); 1 a runtime failure \
            (the CLI missing, the run folder busy or unwritable); 2 a bad plan or flag; 5 a \
            --fail-on gate failed (when no other code applies); 130 interrupted (SIGINT), \
            143 terminated (SIGTERM), 129 hung up (SIGHUP).
            """)

    @Argument(help: ArgumentHelp("The plan file (YAML).", valueName: "plan"))
    var plan: String

    @Flag(help: "Continue the run recorded in the output folder after a crash or Ctrl-C, without repeating finished invocations; a CLI left running by a crashed run is ended first.")
    var resume = false

    @Flag(help: "Discard the run recorded in the output folder and start over.")
    var restart = false

    @Flag(help: "Print the budgets, each phase's first command line and the rendered system prompt; run nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("The Claude Code CLI binary.", valueName: "PATH"))
    var claude: String?

    @Flag(help: "Go on with the next phase when one stalls or fails (default: stop).")
    var keepGoing = false

    @Flag(help: "Give the CLI a fresh CLAUDE_CONFIG_DIR under <output>/run/, so the run's transcripts are its own (it then needs ANTHROPIC_API_KEY, not a login).")
    var isolate = false

    @Flag(name: .shortAndLong, help: "No progress lines on stderr.")
    var quiet = false

    @Flag(help: "With --resume: run the phases that stalled or failed again, from their start (their earlier invocations stay in the record).")
    var retry = false

    @Option(name: .customLong("only"), help: ArgumentHelp("Run only this phase (repeatable), from its start; in an existing run the other phases stay as recorded.", valueName: "PHASE"))
    var only: [String] = []

    @Option(name: .customLong("from"), help: ArgumentHelp("Run this phase and the ones after it, each from its start; in an existing run the phases before it stay as recorded.", valueName: "PHASE"))
    var fromPhase: String?

    @Option(help: ArgumentHelp("Stop the run once it has cost this many dollars (replaces the plan's budget.max_cost_usd).", valueName: "USD"))
    var maxCost: Double?

    @Option(help: ArgumentHelp("Stop the run after this many seconds (replaces the plan's budget.time_limit_s; counted from this command's start).", valueName: "SECONDS"))
    var timeLimit: Int?

    @Option(help: ArgumentHelp("Write every runner event as one JSON object per line to this file (appended), for tools that follow a run.", valueName: "FILE"))
    var events: String?

    @Option(help: ArgumentHelp("When stderr is not a terminal, print a progress line every this many seconds while an invocation runs (0: never).", valueName: "SECONDS"))
    var heartbeat: Int = 30

    @Flag(name: .customLong("no-redact"), help: "Keep API keys, tokens and passwords as they are in the report and in run/stream/*.jsonl (the rest of the run record always redacts them).")
    var noRedact = false

    @OptionGroup var report: ReportFlags

    func validate() throws {
        if resume && restart { throw ValidationError("--resume and --restart cannot be used together") }
        if retry && !resume { throw ValidationError("--retry goes with --resume") }
        if !only.isEmpty && fromPhase != nil { throw ValidationError("--only and --from cannot be used together") }
        if let maxCost, !(maxCost > 0) || !maxCost.isFinite { throw ValidationError("--max-cost must be an amount above 0") }
        if let timeLimit, timeLimit < 1 { throw ValidationError("--time-limit must be at least 1 second") }
        if heartbeat < 0 { throw ValidationError("--heartbeat must be 0 or more seconds") }
    }

    /// The phases named by --only / --from, checked against the plan.
    private func selection(_ plan: Plan) throws -> PlanRunner.Selection {
        func find(_ raw: String, _ flag: String) throws -> PhaseName {
            guard let name = PhaseName(raw), plan.phases.contains(where: { $0.name == name }) else {
                throw InputError(message: "\(flag) \(raw): the plan has no such phase (its phases: \(plan.phases.map(\.name.command).joined(separator: ", ")))")
            }
            return name
        }
        if let fromPhase { return .from(try find(fromPhase, "--from")) }
        if !only.isEmpty { return .only(try only.map { try find($0, "--only") }) }
        return .all
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let plan = try Plan.load(path: self.plan, environment: environment)
        let template = try plan.systemPromptTemplate()
        let command = ClaudeCommand(plan: plan, promptTemplate: template)
        let output = report.output ?? "output/" + plan.slug
        let settings = try effectiveSettings(output: output, environment: environment)
        // What planscribe adds to the CLI's environment.
        var added: [(String, String)] = []
        if let dir = settings.configDir { added.append(("CLAUDE_CONFIG_DIR", dir)) }
        let selection = try selection(plan)
        if plan.phases.contains(where: { $0.claude.bypassesPermissions }) && geteuid() == 0 && (environment["IS_SANDBOX"] ?? "").isEmpty {
            added.append(("IS_SANDBOX", "1"))  // the CLI refuses to skip permissions as root without it
        }
        if dryRun {
            printDryRun(plan, command: command, binary: (try? ClaudeProcess.locate(explicit: settings.claude, environment: environment)) ?? "claude", added: added)
            return
        }
        if settings.configDir != nil, !IsolatedConfig.credentialKeys.contains(where: { !(environment[$0] ?? "").isEmpty }) {
            // A fresh config folder holds no login: the CLI would fail every phase.
            Console.error(
                "error: --isolate gives the CLI a config folder of its own, where it is not logged in: set ANTHROPIC_API_KEY (or CLAUDE_CODE_OAUTH_TOKEN, ANTHROPIC_AUTH_TOKEN), or run without --isolate"
            )
            throw ExitCode(1)
        }
        let templates = try report.templateSet()
        var options = try report.reportOptions()
        options.redactSecrets = !noRedact
        options.baseline = try report.baselineSnapshot()
        let binary = try ClaudeProcess.locate(explicit: settings.claude, environment: environment)
        if resume && !FileManager.default.fileExists(atPath: output + "/run/state.json") {
            // Said before the run folder is made, so that nothing is left behind.
            throw RunnerError.nothingToResume(folder: output + "/run")
        }
        let record = try RunRecord(folder: output + "/run")
        var childEnvironment = environment
        var configDir: String?
        for (key, value) in added { childEnvironment[key] = value }
        if let dir = settings.configDir {
            configDir = dir  // made, with the user's skills linked in, once the run folder is ready
        }
        var process = ClaudeProcess(binary: binary, environment: childEnvironment)
        process.redactsRawOutput = settings.redact
        var runner = PlanRunner(plan: plan, command: command, process: process, keepGoing: settings.keepGoing)
        runner.runBudget = runBudget(plan)
        let recorded = RunSettings(claude: binary, isolate: settings.configDir != nil, keepGoing: settings.keepGoing, redact: settings.redact)
        let progress = ProgressPrinter(quiet: quiet, heartbeat: Double(heartbeat), environment: environment)
        let start: PlanRunner.Start = resume ? .resume : (restart ? .restart : .fresh)
        let log = try events.map { try EventLog(path: $0) }

        let task = Task {
            try await runner.run(record: record, start: start, claudeConfigDir: configDir, settings: recorded, retryFailed: retry, selection: selection, userEnvironment: environment) { event in
                progress.show(event)
                log?.write(event)
            }
        }
        let interrupts = InterruptWatcher { task.cancel() }
        defer { interrupts.stop() }

        var interrupted = false
        do {
            _ = try await task.value
        } catch RunnerError.interrupted {
            interrupted = true
        } catch {
            progress.finish()
            throw error
        }
        progress.finish()

        guard let state = try record.loadState() else { throw ExitCode(1) }
        let signal = interrupted ? interrupts.received ?? SIGINT : nil
        let sessions = RunTranscripts.read(state: state, environment: childEnvironment, redactSecrets: !noRedact)
        let run = ReportRun.from(plan: plan, state: state, sessions: sessions, invocations: record.loadInvocations(), signal: signal)
        let (index, failedGates) = try report.write(run, into: output, templates: templates, prices: .builtIn, options: options)
        Console.out(index)
        ReportFlags.report(failedGates: failedGates, of: output)
        let verdict = RunVerdict(state, signal: signal)
        if let signal {
            let name = signal == SIGTERM ? "terminated (SIGTERM)" : signal == SIGHUP ? "hung up (SIGHUP)" : "interrupted"
            Console.error("planscribe: \(name); the run is saved in \(output)/run. Continue it with: " + resumeCommand(settings))
        } else {
            let total = state.phases.reduce(0) { $0 + $1.costUSD }
            let unreported = state.phases.reduce(0) { $0 + ($1.unreportedUSD ?? 0) }
            let done = state.phases.filter { $0.status == .done }.count
            Console.error(
                "planscribe: \(done) of \(Figures.plural(state.phases.count, "phase")) ready · reported cost \(USD(total).description)"
                    + (unreported > 0 ? " (and ≈ \(USD(unreported).description) the CLI did not report)" : ""))
            if let crossing = state.overBudget {
                Console.error("planscribe: over budget: \(crossing.reason). Raise the budget and continue with: " + resumeCommand(settings) + " --retry")
            }
        }
        if let code = verdict.exitCode, code != 0 { throw ExitCode(code) }
        if !failedGates.isEmpty { throw ExitCode(Gate.exitCode) }
    }

    /// The command that continues this run, with the flags that must stay the same.
    private func resumeCommand(_ settings: Effective) -> String {
        var words = ["planscribe", "run", plan, "--resume"]
        if let output = report.output { words += ["--output", output] }
        if settings.configDir != nil { words.append("--isolate") }
        if let claude = settings.claude { words += ["--claude", claude] }
        if settings.keepGoing { words.append("--keep-going") }
        if !settings.redact { words.append("--no-redact") }
        return words.map(Shell.quote).joined(separator: " ")
    }

    /// The settings a run goes with: the flags given, and on `--resume` what the run
    /// recorded (flags that contradict it are refused).
    struct Effective {
        var claude: String?
        var configDir: String?
        var keepGoing: Bool
        var redact: Bool
    }

    private func effectiveSettings(output: String, environment: [String: String]) throws -> Effective {
        let folder = Paths.absolute(output)
        var effective = Effective(
            claude: claude, configDir: isolate ? (folder as NSString).appendingPathComponent("run/claude-config") : nil,
            keepGoing: keepGoing, redact: !noRedact)
        guard resume, let data = FileManager.default.contents(atPath: output + "/run/state.json"),
            let saved = try? JSONDecoder().decode(RunState.self, from: data)
        else { return effective }
        func refuse(_ what: String) -> InputError {
            InputError(message: "the run in \(output)/run was started \(what); resume it without that flag (the run's own setting is used), or start over with --restart")
        }
        if isolate && saved.claudeConfigDir == nil { throw refuse("without --isolate") }
        effective.configDir = saved.claudeConfigDir
        if let recorded = saved.settings {
            if let given = claude, let found = try? ClaudeProcess.locate(explicit: given, environment: environment), found != recorded.claude {
                throw refuse("with --claude \(recorded.claude)")
            }
            if claude == nil, FileManager.default.isExecutableFile(atPath: recorded.claude) { effective.claude = recorded.claude }
            effective.keepGoing = keepGoing || recorded.keepGoing
            effective.redact = noRedact ? false : recorded.redact
        }
        return effective
    }

    private func printDryRun(_ plan: Plan, command: ClaudeCommand, binary: String, added: [(String, String)]) {
        Console.out("# workspace: \(plan.workspace)")
        let budget = describe(runBudget(plan))
        Console.out("# run budget: " + (budget.isEmpty ? "none (set budget: in the plan, or --max-cost / --time-limit)" : budget))
        for (key, value) in added { Console.out("# environment: \(key)=\(Shell.quote(value))") }
        if added.contains(where: { $0.0 == "CLAUDE_CONFIG_DIR" }) {
            for (name, source) in IsolatedConfig.shared(environment: ProcessInfo.processInfo.environment) {
                Console.out("# isolated config folder: \(name) links to \(source)")
            }
        }
        let kept = Set(command.existingAddDirs())
        for dir in plan.claude.addDirs where !kept.contains(dir) { Console.out("# add_dirs: \(dir) is not a folder here; not passed") }
        for phase in plan.phases {
            Console.out("")
            Console.out("# \(phase.name.command): first turn" + (phase.budget.isEmpty ? "" : "; phase budget: " + describe(phase.budget)) + "; timeout_s \(phase.claude.timeoutSeconds)")
            let argv =
                [binary]
                + command.firstTurn(phase).map { arg in
                    arg.count > 200 ? "<system prompt below>" : arg
                }
            Console.out(argv.map(Shell.quote).joined(separator: " "))
        }
        if let first = plan.phases.first {
            Console.out("")
            Console.out(
                "# system prompt, " + (plan.systemPromptFile.map { "from \($0)" } ?? "built in (planscribe init writes an editable copy)") + " (for \(first.name.command); {phase} changes per phase)")
            Console.out(command.systemPrompt(for: first.name))
        }
    }
}

extension RunCommand {
    /// The run's budget: the plan's, with the command line's limits in its place.
    func runBudget(_ plan: Plan) -> Plan.Budget {
        var budget = plan.budget
        if let maxCost { budget.maxCostUSD = maxCost }
        if let timeLimit { budget.timeLimitSeconds = timeLimit }
        return budget
    }

    func describe(_ budget: Plan.Budget) -> String {
        var parts: [String] = []
        if let usd = budget.maxCostUSD { parts.append("max_cost_usd \(USD(usd).formatted(decimals: 2))") }
        if let s = budget.timeLimitSeconds { parts.append("time_limit_s \(s)") }
        return parts.joined(separator: ", ")
    }
}

/// Quotes an argument for a POSIX shell.
enum Shell {
    static func quote(_ arg: String) -> String {
        if !arg.isEmpty && arg.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) }) { return arg }
        return "'" + arg.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Turns SIGINT (Ctrl-C), SIGTERM (what CI systems send to cancel a job) and SIGHUP (a closed
/// terminal) into a callback, so the run can end the CLI, save its state and render its
/// report; the first signal received decides the exit code (128 + its number).
final class InterruptWatcher: @unchecked Sendable {
    static let signals = [SIGINT, SIGTERM, SIGHUP]
    private let sources: [DispatchSourceSignal]
    private let lock = NSLock()
    private var first: Int32?

    init(_ onInterrupt: @escaping @Sendable () -> Void) {
        var sources: [DispatchSourceSignal] = []
        for number in Self.signals {
            signal(number, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: number, queue: .global()))
        }
        self.sources = sources
        for (source, number) in zip(sources, Self.signals) {
            source.setEventHandler { [weak self] in
                self?.lock.lock()
                if self?.first == nil { self?.first = number }
                self?.lock.unlock()
                onInterrupt()
            }
            source.resume()
        }
    }

    /// The first signal that arrived, if any.
    var received: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return first
    }

    func stop() {
        for source in sources { source.cancel() }
        for number in Self.signals { signal(number, SIG_DFL) }
    }
}
