/// How a run planscribe drove ended, as CI reads it: a status word and the exit code
/// `planscribe run` ends with (one rule for both, so that summary.json and the process agree).
public struct RunVerdict: Sendable, Equatable {
    /// `finished` (every phase ready), `failed` (a phase stalled, failed or did not run),
    /// `over_budget`, `interrupted`, or `running` (the record of a run that crashed).
    public var status: String
    /// 0, 3, 4, or 128 + the signal for an interrupted run; nil for a crashed one.
    public var exitCode: Int32?
    /// The budget crossed, when one was.
    public var budgetReason: String?

    /// Exit code: every phase reached ready_to_advance.
    public static let allDone: Int32 = 0
    /// Exit code: a phase stalled, failed or did not run.
    public static let notAllDone: Int32 = 3
    /// Exit code: a budget (cost or time, the run's or a phase's) was crossed.
    public static let overBudget: Int32 = 4

    /// The verdict on a saved state.
    ///
    /// - Parameters:
    ///   - state: the run's state.
    ///   - signal: the signal that interrupted the run, when one did (SIGINT by default).
    public init(_ state: RunState, signal: Int32? = nil) {
        budgetReason = state.overBudget?.reason
        switch state.status {
        case .interrupted:
            status = "interrupted"
            exitCode = 128 + (signal ?? 2)
        case .running:
            status = "running"
            exitCode = nil
        case .overBudget:
            status = "over_budget"
            exitCode = Self.overBudget
        case .finished:
            let done = state.phases.allSatisfy { $0.status == .done }
            status = done ? "finished" : "failed"
            exitCode = done ? Self.allDone : Self.notAllDone
        }
    }
}
