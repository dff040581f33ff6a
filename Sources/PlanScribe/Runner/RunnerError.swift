import Foundation

/// How a run ended.
public struct RunOutcome: Sendable {
    /// The final state.
    public var state: RunState
    /// True when every phase reached `ready_to_advance`.
    public var allDone: Bool { state.phases.allSatisfy { $0.status == .done } }
}

/// Why a run stopped before its end.
public enum RunnerError: Error, Sendable, CustomStringConvertible {
    /// Ctrl-C: the child was ended, the state saved.
    case interrupted
    /// A run record exists; the user must say whether to resume or restart.
    case unfinishedRun(folder: String)
    /// A finished run is recorded there; a plain run does not replace it.
    case finishedRun(folder: String)
    /// `--resume` without a saved run.
    case nothingToResume(folder: String)
    /// The plan changed its phases or its description since the run started.
    case planChanged(String)
    /// The canned replies of a phase under way changed.
    case repliesChanged(phase: String, were: [String])

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .interrupted: return "interrupted"
        case .unfinishedRun(let folder): return "\(folder) holds an unfinished run of this plan: continue it with --resume, or start over with --restart"
        case .finishedRun(let folder): return "\(folder) holds a finished run of this plan, which a new run would replace: start over with --restart, or choose another --output"
        case .nothingToResume(let folder): return "nothing to resume: \(folder) holds no saved run"
        case .planChanged(let what): return "the plan changed since the run started (\(what)): start over with --restart"
        case .repliesChanged(let phase, let were):
            let list = were.isEmpty ? "none" : were.map { "“" + Figures.oneLine($0, limit: 60) + "”" }.joined(separator: ", ")
            return "the canned replies of \(phase) changed while it was under way (they were: \(list)): run it again from its start with --only \(phase), or start over with --restart"
        }
    }
}

extension RunnerError: PlanScribeError {
    /// The state of the output folder asks the user to choose (resume, restart); an
    /// interrupted run is neither.
    public var isInputError: Bool {
        if case .interrupted = self { return false }
        return true
    }
}
