import Foundation

/// A condition that fails a CI job (`--fail-on`): checked on a run, with its baseline when
/// there is one. A failed gate makes the command exit ``exitCode`` and is a failed test case
/// in `junit.xml`, named by the gate.
public enum Gate: Sendable, Equatable, CustomStringConvertible {
    /// `cost>USD`: the run's cost (``RunSnapshot/cost``) is over the amount.
    case costOver(USD)
    /// `growth>PERCENT%`: the run's cost grew by more than this against the baseline (a
    /// negative figure asks for a saving: `growth>-10%` fails unless it fell by 10 % or more).
    case growthOver(Double)
    /// `not-done`: a planning phase did not reach `ready_to_advance` (or none ran).
    case notDone
    /// `denied`: the CLI refused a tool call for want of permission.
    case permissionDenied

    /// The exit code of a command whose gate failed (codes 1–4 come first).
    public static let exitCode: Int32 = 5

    /// Reads a condition as `--fail-on` takes it: `cost>5`, `cost>$5.00`, `growth>20%`,
    /// `not-done`, `denied`.
    ///
    /// - Throws: ``CompareError/badGate(_:)``.
    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        func number(after prefix: String, suffix: String = "", negative: Bool = false) -> Double? {
            guard t.hasPrefix(prefix) else { return nil }
            var rest = t.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            if rest.hasPrefix("$") { rest.removeFirst() }
            if !suffix.isEmpty {
                guard rest.hasSuffix(suffix) else { return nil }
                rest.removeLast(suffix.count)
            }
            guard let value = Double(rest.trimmingCharacters(in: .whitespaces)), value.isFinite, negative || value >= 0 else { return nil }
            return value
        }
        if let amount = number(after: "cost>") {
            self = .costOver(USD(amount))
        } else if let percent = number(after: "growth>", suffix: "%", negative: true) {
            self = .growthOver(percent)
        } else if t == "not-done" {
            self = .notDone
        } else if t == "denied" {
            self = .permissionDenied
        } else {
            throw CompareError.badGate(text)
        }
    }

    /// The gate as it is written.
    public var description: String {
        switch self {
        case .costOver(let usd):
            // Dollars as given, to the micro-dollar, without trailing zeros: cost>5, cost>0.0412.
            var digits = usd.formatted(decimals: 6).dropFirst()
            while digits.contains("."), digits.last == "0" || digits.last == "." { digits.removeLast() }
            return "cost>" + digits
        case .growthOver(let percent): return "growth>" + Self.percent(percent)
        case .notDone: return "not-done"
        case .permissionDenied: return "denied"
        }
    }

    private static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(format: "%.0f%%", value) : String(format: "%.1f%%", value)
    }

    /// What checking a gate gave.
    public struct Result: Sendable, Equatable {
        /// The gate.
        public var gate: Gate
        /// True when the run crossed it.
        public var failed: Bool
        /// What was found, in words ("cost $6.120000 (reported) is over $5.00").
        public var message: String
    }

    /// Checks the gate on a run.
    ///
    /// - Parameters:
    ///   - run: the run.
    ///   - baseline: the earlier run, for `growth`; without one, growth passes and says so.
    public func check(_ run: RunSnapshot, baseline: RunSnapshot?) -> Result {
        switch self {
        case .costOver:
            return checkCost(run.cost, source: run.costSource)
        case .growthOver(let limit):
            guard let baseline else { return Result(gate: self, failed: false, message: "no baseline to compare with: not checked") }
            guard let now = run.cost, let then = baseline.cost else {
                return Result(gate: self, failed: true, message: "a cost is unknown (a model has no price), so its growth cannot be checked")
            }
            let delta = now - then
            guard then.picodollars > 0 else {
                let grew = now.picodollars > 0
                return Result(gate: self, failed: grew, message: grew ? "cost \(now) against a baseline of \(then): growth without bound" : "cost \(now), as the baseline")
            }
            let growth = Double(delta.picodollars) / Double(then.picodollars) * 100
            let over = growth > limit
            let change = (growth >= 0 ? "+" : "−") + String(format: "%.1f%%", abs(growth))
            return Result(gate: self, failed: over, message: "cost \(now) against \(then) in the baseline: \(change), \(over ? "over" : "within") \(Self.percent(limit))")
        case .notDone:
            let planning = run.phases.filter(\.isPlanning)
            guard !planning.isEmpty else { return Result(gate: self, failed: true, message: "no planning phase ran") }
            let notDone = planning.filter { $0.outcome != "done" }
            guard !notDone.isEmpty else {
                return Result(gate: self, failed: false, message: planning.count == 1 ? "the phase is done" : "all \(planning.count) phases done")
            }
            return Result(gate: self, failed: true, message: notDone.map { "\($0.number). \($0.name) \($0.outcome)" }.joined(separator: "; "))
        case .permissionDenied:
            let denied = run.phases.filter { !$0.permissionDenials.isEmpty }
            guard !denied.isEmpty else { return Result(gate: self, failed: false, message: "no tool call was refused") }
            return Result(gate: self, failed: true, message: denied.map { "\($0.number). \($0.name): \($0.permissionDenials.joined(separator: ", "))" }.joined(separator: "; "))
        }
    }

    /// Checks a cost against `cost>USD` (any other gate passes): for a total that is not a
    /// run's, such as `planscribe cost --max-cost`.
    ///
    /// - Parameters:
    ///   - cost: the figure (``RunSnapshot/cost(estimated:reported:sessions:sessionsReported:)``); nil when unknown.
    ///   - source: which figure it is, `reported` or `estimated`.
    public func checkCost(_ cost: USD?, source: String) -> Result {
        guard case .costOver(let limit) = self else { return Result(gate: self, failed: false, message: "not a cost gate") }
        guard let cost else {
            return Result(gate: self, failed: true, message: "the cost is unknown (a model has no price), so it cannot be held under \(limit.formatted(decimals: 2))")
        }
        let over = cost > limit
        return Result(gate: self, failed: over, message: "cost \(cost) (\(source)) is \(over ? "over" : "within") \(limit.formatted(decimals: 2))")
    }

    /// Checks every gate.
    public static func check(_ gates: [Gate], run: RunSnapshot, baseline: RunSnapshot?) -> [Result] {
        gates.map { $0.check(run, baseline: baseline) }
    }
}
