/// What every error planscribe's library throws at its callers says about itself: a message a
/// user can act on, and whether the input was at fault (a bad plan, flag, path, template or
/// price file: the user must change something) or the work met a runtime failure (a missing
/// CLI, a busy or unwritable folder). The command line turns this into its exit codes in one
/// place.
public protocol PlanScribeError: Error, CustomStringConvertible {
    /// True when the input is at fault; false for a runtime failure.
    var isInputError: Bool { get }
}

extension PlanError: PlanScribeError {
    /// A plan is input.
    public var isInputError: Bool { true }
}

extension TemplateError: PlanScribeError {
    /// A user's template is input; missing built-in templates are a broken installation.
    public var isInputError: Bool { self != .builtInsMissing }
}

extension PriceTableError: PlanScribeError {
    /// A price file is input.
    public var isInputError: Bool { true }
}

extension TranscriptError: PlanScribeError {
    /// A path or project that is not there is input; a file that cannot be read is not.
    public var isInputError: Bool {
        if case .unreadable = self { return false }
        return true
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

extension ClaudeProcessError: PlanScribeError {
    /// The CLI is missing or cannot start.
    public var isInputError: Bool { false }
}

extension RunRecordError: PlanScribeError {
    /// The run folder is busy or unwritable.
    public var isInputError: Bool { false }
}

extension ReportWriteError: PlanScribeError {
    /// The report folder cannot be written.
    public var isInputError: Bool { false }
}
