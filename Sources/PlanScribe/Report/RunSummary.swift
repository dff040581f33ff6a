import Foundation

/// `summary.json`: the run in numbers, for CI. The schema is versioned; fields are only ever
/// added within a version.
struct RunSummary: Encodable {
    static let schemaVersion = 1

    struct PhaseEntry: Encodable {
        var number: Int
        var name: String
        var page: String
        var outcome: String
        var status: String?
        var reason: String
        var turns: Int
        var apiCalls: Int
        var usage: TokenUsage
        var estimatedCostUSD: USD?
        var reportedCostUSD: USD?
        var sessionID: String?
        var startedAt: String?
        var finishedAt: String?
        var permissionDenials: [String]
        /// Each reply the phase got, with the question it answered (``DecisionList``).
        var decisions: [Decision] = []

        /// One reply and the question it answered.
        struct Decision: Encodable {
            var question: String
            /// How the reply came: `canned reply`, `default reply`, `nudge: …`.
            var label: String
            var reply: String
        }

        enum CodingKeys: String, CodingKey {
            case number, name, page, outcome, status, reason, turns, usage, decisions
            case sessionID = "session_id"
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case durationSeconds = "duration_s"
            case permissionDenials = "permission_denials"
            case apiCalls = "api_calls"
            case estimatedCostUSD = "estimated_cost_usd"
            case reportedCostUSD = "reported_cost_usd"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(number, forKey: .number)
            try c.encode(name, forKey: .name)
            try c.encode(page, forKey: .page)
            try c.encode(outcome, forKey: .outcome)
            try c.encode(status, forKey: .status)
            try c.encode(reason, forKey: .reason)
            try c.encode(turns, forKey: .turns)
            try c.encode(apiCalls, forKey: .apiCalls)
            try c.encode(usage, forKey: .usage)
            try c.encode(estimatedCostUSD, forKey: .estimatedCostUSD)
            try c.encode(reportedCostUSD, forKey: .reportedCostUSD)
            try c.encode(sessionID, forKey: .sessionID)
            try c.encode(startedAt, forKey: .startedAt)
            try c.encode(finishedAt, forKey: .finishedAt)
            try c.encode(RunSummary.seconds(from: startedAt, to: finishedAt), forKey: .durationSeconds)
            try c.encode(permissionDenials, forKey: .permissionDenials)
            try c.encode(decisions, forKey: .decisions)
        }
    }

    /// Seconds (to the millisecond) between two ISO 8601 times, nil when either is missing.
    static func seconds(from start: String?, to end: String?) -> Double? {
        guard let start, let end, let a = Timestamp.seconds(start), let b = Timestamp.seconds(end) else { return nil }
        return ((b - a) * 1000).rounded() / 1000
    }

    var schemaVersion = RunSummary.schemaVersion
    var title: String
    var slug: String
    var generatedAt: String?
    var phases: [PhaseEntry]
    var phasesDone: Int
    var allDone: Bool
    var usage: TokenUsage
    var estimatedCostUSD: USD?
    var reportedCostUSD: USD?
    /// How many sessions carry the CLI's figure (when fewer than all, it covers only those).
    var sessionsReported: Int
    var costNotes: [CostNote]
    var unpricedModels: [String]
    var sessions: [String]
    var cliVersions: [String]
    var models: [String]
    var start: String?
    var end: String?
    /// For a run planscribe drove: its status and when it started and last changed.
    var runStatus: String?
    var runExitCode: Int32?
    var runBudgetReason: String?
    var runStartedAt: String?
    var runUpdatedAt: String?
    /// The run against its baseline (`--baseline`), when there is one.
    var baseline: Baseline?
    /// The gates (`--fail-on`), checked.
    var gates: [GateEntry] = []

    /// The baseline and how the run's cost changed against it.
    struct Baseline: Encodable {
        var source: String
        var title: String
        var costUSD: USD?
        var costSource: String
        var costDeltaUSD: USD?
        var costDeltaPercent: Double?
        var decisionsChanged: Int

        enum CodingKeys: String, CodingKey {
            case source, title
            case costUSD = "cost_usd"
            case costSource = "cost_source"
            case costDeltaUSD = "cost_delta_usd"
            case costDeltaPercent = "cost_delta_percent"
            case decisionsChanged = "decisions_changed"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source, forKey: .source)
            try c.encode(title, forKey: .title)
            try c.encode(costUSD, forKey: .costUSD)
            try c.encode(costSource, forKey: .costSource)
            try c.encode(costDeltaUSD, forKey: .costDeltaUSD)
            try c.encode(costDeltaPercent, forKey: .costDeltaPercent)
            try c.encode(decisionsChanged, forKey: .decisionsChanged)
        }
    }

    /// One gate and what checking it gave.
    struct GateEntry: Encodable {
        var gate: String
        var failed: Bool
        var message: String
    }

    enum CodingKeys: String, CodingKey {
        case title, slug, phases, usage, sessions, models, start, end
        case runStatus = "run_status"
        case runExitCode = "run_exit_code"
        case runBudgetReason = "run_over_budget"
        case runStartedAt = "run_started_at"
        case runUpdatedAt = "run_updated_at"
        case runDurationSeconds = "run_duration_s"
        case baseline, gates
        case schemaVersion = "schema_version"
        case generatedAt = "generated_at"
        case phasesDone = "phases_done"
        case allDone = "all_done"
        case estimatedCostUSD = "estimated_cost_usd"
        case reportedCostUSD = "reported_cost_usd"
        case unpricedModels = "unpriced_models"
        case cliVersions = "cli_versions"
        case sessionsReported = "sessions_reported"
        case costNotes = "cost_notes"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(title, forKey: .title)
        try c.encode(slug, forKey: .slug)
        try c.encode(generatedAt, forKey: .generatedAt)
        try c.encode(phases, forKey: .phases)
        try c.encode(phasesDone, forKey: .phasesDone)
        try c.encode(allDone, forKey: .allDone)
        try c.encode(usage, forKey: .usage)
        try c.encode(estimatedCostUSD, forKey: .estimatedCostUSD)
        try c.encode(reportedCostUSD, forKey: .reportedCostUSD)
        try c.encode(sessionsReported, forKey: .sessionsReported)
        try c.encode(costNotes, forKey: .costNotes)
        try c.encode(unpricedModels, forKey: .unpricedModels)
        try c.encode(sessions, forKey: .sessions)
        try c.encode(cliVersions, forKey: .cliVersions)
        try c.encode(models, forKey: .models)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(runStatus, forKey: .runStatus)
        try c.encode(runExitCode, forKey: .runExitCode)
        try c.encode(runBudgetReason, forKey: .runBudgetReason)
        try c.encode(runStartedAt, forKey: .runStartedAt)
        try c.encode(runUpdatedAt, forKey: .runUpdatedAt)
        try c.encode(Self.seconds(from: runStartedAt, to: runUpdatedAt), forKey: .runDurationSeconds)
        try c.encode(baseline, forKey: .baseline)
        try c.encode(gates, forKey: .gates)
    }

    /// - Parameter figures: the run's estimates, as the report's other files show them.
    init(run: ReportRun, figures: ReportBuilder.RunFigures, stamp: String?) {
        title = run.title
        slug = run.slug
        generatedAt = stamp
        let decisions = Dictionary(figures.decisions.phases.map { ($0.number, $0.items) }, uniquingKeysWith: { a, _ in a })
        phases = zip(run.phases, figures.phases).map { p, e in
            PhaseEntry(
                number: p.number, name: p.name, page: "phases/\(p.fileStem).html", outcome: p.outcome.rawValue,
                status: p.phase?.status?.rawValue, reason: p.reason, turns: p.phase?.turns.count ?? 0,
                apiCalls: e.calls, usage: e.usage, estimatedCostUSD: e.completeCost, reportedCostUSD: p.reported,
                sessionID: p.session?.id, startedAt: p.startedAt ?? p.phase.flatMap { $0.turns.first.flatMap { ($0.prompt ?? $0.messages.first)?.timestamp } },
                finishedAt: p.finishedAt ?? p.phase.flatMap { $0.turns.last.flatMap { ($0.messages.last ?? $0.prompt)?.timestamp } },
                permissionDenials: p.permissionDenials,
                decisions: (decisions[p.number] ?? []).map { PhaseEntry.Decision(question: $0.question, label: $0.label, reply: $0.answer) })
        }
        phasesDone = run.phases.filter { $0.outcome == .done }.count
        let planning = run.phases.filter { $0.outcome != .conversation }
        allDone = !planning.isEmpty && phasesDone == planning.count
        usage = figures.total.usage
        estimatedCostUSD = figures.total.completeCost
        reportedCostUSD = figures.reported
        sessionsReported = figures.totalRow.sessionsReported
        costNotes = figures.totalRow.notes
        unpricedModels = figures.total.unpricedModels
        sessions = run.sessions.map(\.id)
        cliVersions = Array(Set(run.sessions.flatMap(\.cliVersions))).sorted()
        models = Array(Set(run.sessions.flatMap(\.models))).sorted()
        start = run.sessions.compactMap(\.start).min()
        end = run.sessions.compactMap(\.end).max()
        runStatus = run.runStatus?.verdict.status
        runExitCode = run.runStatus?.verdict.exitCode
        runBudgetReason = run.runStatus?.verdict.budgetReason
        runStartedAt = run.runStatus?.startedAt
        runUpdatedAt = run.runStatus?.updatedAt
        if let diff = figures.comparison {
            let cost = FigureChange(label: "cost", kind: .money, before: diff.before.cost?.picodollars, after: diff.after.cost?.picodollars)
            baseline = Baseline(
                source: diff.before.source, title: diff.before.title, costUSD: diff.before.cost, costSource: diff.before.costSource,
                costDeltaUSD: cost.delta.map { USD(picodollars: $0) }, costDeltaPercent: cost.percent,
                decisionsChanged: diff.phases.reduce(0) { $0 + $1.decisions.count })
        }
        gates = figures.gates.map { GateEntry(gate: $0.gate.description, failed: $0.failed, message: $0.message) }
    }

    /// The summary as a comparison reads it back (``RunSnapshot``).
    func snapshot(source: String) throws -> RunSnapshot {
        try RunSnapshot.decode(json(), source: source)
    }

    func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        data.append(0x0A)
        return data
    }
}
