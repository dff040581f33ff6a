import Foundation

/// What the runner reports as it goes: for progress lines and for `--events FILE`.
public enum RunnerEvent: Sendable, Equatable {
    /// The run begins (or resumes) with what its record had spent already.
    case runStarted(phases: Int, resumed: Bool, spentUSD: Double)
    /// A phase begins (or resumes): its position, the count, its name.
    case phaseStarted(index: Int, count: Int, name: String, resumed: Bool)
    /// An invocation starts: for a reply or a nudge, the question it answers (its first
    /// line) and the message sent, with what chose it (`reply 2`, `default reply`, `nudge`).
    case invocationStarted(phase: String, kind: PendingStep.Kind, replyNumber: Int, question: String?, reply: String?, choice: String?)
    /// The CLI retries an API error itself.
    case apiRetry(attempt: Int, maxRetries: Int, status: Int?)
    /// A running invocation's spend changed (estimated from its stream's usage), with the
    /// run's total including it.
    case spending(phase: String, invocationUSD: Double, calls: Int, runUSD: Double)
    /// An invocation ended: its cost (the CLI's figure, else the stream's estimate), the
    /// marker it ended with, why it failed, the tools whose calls the CLI refused for want of
    /// permission, and the run's total so far.
    case invocationFinished(phase: String, costUSD: Double?, estimated: Bool, marker: PhaseStatus?, failure: String?, denied: [String], seconds: Double, runUSD: Double)
    /// A phase ended.
    case phaseFinished(name: String, status: PhaseRecord.Status, reason: String)
    /// A budget was crossed; the CLI was ended.
    case budgetReached(BudgetCrossing)
    /// The CLI process a killed run had left running was ended.
    case orphanEnded(pid: Int32)
    /// The run ended (for this time): its status and what it has spent in all.
    case runFinished(status: RunState.Status, spentUSD: Double)

    /// The event as one JSON object (the `--events` format): `event` names it, the other
    /// keys are its fields in snake case; texts are redacted.
    public var json: [String: Any] {
        func opt(_ value: Any?) -> Any { value ?? NSNull() }
        switch self {
        case .runStarted(let phases, let resumed, let spent):
            return ["event": "run_started", "phases": phases, "resumed": resumed, "spent_usd": spent]
        case .phaseStarted(let index, let count, let name, let resumed):
            return ["event": "phase_started", "number": index, "count": count, "phase": name, "resumed": resumed]
        case .invocationStarted(let phase, let kind, let replyNumber, let question, let reply, let choice):
            return [
                "event": "invocation_started", "phase": phase, "kind": kind.rawValue, "reply_number": replyNumber,
                "question": opt(question.map(Redactor.redact)), "reply": opt(reply.map(Redactor.redact)), "choice": opt(choice),
            ]
        case .apiRetry(let attempt, let maxRetries, let status):
            return ["event": "api_retry", "attempt": attempt, "max_retries": maxRetries, "status": opt(status)]
        case .spending(let phase, let usd, let calls, let run):
            return ["event": "spending", "phase": phase, "invocation_estimated_usd": usd, "api_calls": calls, "run_usd": run]
        case .invocationFinished(let phase, let cost, let estimated, let marker, let failure, let denied, let seconds, let run):
            return [
                "event": "invocation_finished", "phase": phase, "cost_usd": opt(cost), "cost_estimated": estimated,
                "marker": opt(marker?.rawValue), "failure": opt(failure.map(Redactor.redact)), "permission_denials": denied,
                "seconds": seconds, "run_usd": run,
            ]
        case .phaseFinished(let name, let status, let reason):
            return ["event": "phase_finished", "phase": name, "status": status.rawValue, "reason": Redactor.redact(reason)]
        case .budgetReached(let crossing):
            return ["event": "budget_reached", "scope": crossing.scope.rawValue, "reason": crossing.reason]
        case .orphanEnded(let pid):
            return ["event": "orphan_ended", "pid": pid]
        case .runFinished(let status, let spent):
            return ["event": "run_finished", "status": status.rawValue, "spent_usd": spent]
        }
    }
}
