import Foundation

/// Why a plan cannot run: the file, the line and what is wrong.
public struct PlanError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The plan file.
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// The field (`phases[1].replies[0].when`), when the problem belongs to one.
    public var field: String?
    /// What is wrong.
    public var message: String
    /// The plan's other problems, found in the same reading (a plan is refused with all of
    /// them at once).
    public var more: [PlanError] = []

    /// Creates an error.
    public init(file: String, line: Int?, field: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `plan.yaml:7: phases[0].max_replies: must be between 0 and 100`, one line per problem.
    public var description: String {
        ([self] + more).map { problem in
            var out = problem.file
            if let line = problem.line { out += ":\(line)" }
            out += ": "
            if let field = problem.field { out += field + ": " }
            return out + problem.message
        }.joined(separator: "\n")
    }
}

extension PlanError: PlanScribeError {
    /// A plan is input.
    public var isInputError: Bool { true }
}
