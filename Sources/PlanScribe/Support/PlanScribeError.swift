/// What every error planscribe's library throws at its callers says about itself: a message a
/// user can act on, and whether the input was at fault (a bad plan, flag, path, template or
/// price file: the user must change something) or the work met a runtime failure (a missing
/// CLI, a busy or unwritable folder). The command line turns this into its exit codes in one
/// place.
public protocol PlanScribeError: Error, CustomStringConvertible {
    /// True when the input is at fault; false for a runtime failure.
    var isInputError: Bool { get }
}
