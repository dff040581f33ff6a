import Foundation

/// Whose budget was crossed.
public enum BudgetScope: String, Sendable, Codable {
    /// The whole run's: the run stops.
    case run
    /// One phase's: that phase stops (the run goes on only with `--keep-going`).
    case phase
}

/// A budget crossed: whose, and a sentence saying which limit and by how much.
public struct BudgetCrossing: Sendable, Equatable, Codable {
    /// Whose budget.
    public var scope: BudgetScope
    /// `the run's max_cost_usd ($5.00) was reached: $5.0412 spent`.
    public var reason: String
}

/// Watches one invocation against the run's and its phase's budgets: what was spent before
/// it, what its stream shows it spending, and the clocks.
struct BudgetWatch: Sendable {
    var run: Plan.Budget
    var phase: Plan.Budget
    /// Dollars spent by the run before this invocation (every recorded invocation).
    var runSpentBefore: Double
    /// Dollars spent by the phase before this invocation.
    var phaseSpentBefore: Double
    /// Seconds the phase's invocations took before this one.
    var phaseSecondsBefore: Double
    /// When the run's time limit ends, if it has one.
    var runDeadline: ContinuousClock.Instant?

    /// The first budget crossed with `running` dollars spent so far in this invocation and
    /// `elapsed` seconds of it gone, or nil.
    func crossed(running: Double, elapsed: Double, now: ContinuousClock.Instant = .now) -> BudgetCrossing? {
        if let limit = run.maxCostUSD, runSpentBefore + running >= limit {
            return BudgetCrossing(scope: .run, reason: "the run's max_cost_usd (\(Self.dollars(limit))) was reached: \(Self.dollars(runSpentBefore + running)) spent")
        }
        if let deadline = runDeadline, now >= deadline, let crossing = timeLimitReached(.run) { return crossing }
        if let limit = phase.maxCostUSD, phaseSpentBefore + running >= limit {
            return BudgetCrossing(scope: .phase, reason: "the phase's max_cost_usd (\(Self.dollars(limit))) was reached: \(Self.dollars(phaseSpentBefore + running)) spent")
        }
        if let limit = phase.timeLimitSeconds, phaseSecondsBefore + elapsed >= Double(limit) { return timeLimitReached(.phase) }
        return nil
    }

    /// The crossing of the run's or the phase's time limit, nil when it has none.
    func timeLimitReached(_ scope: BudgetScope) -> BudgetCrossing? {
        guard let limit = (scope == .run ? run : phase).timeLimitSeconds else { return nil }
        return BudgetCrossing(scope: scope, reason: "the \(scope.rawValue)'s time_limit_s (\(limit) s) was reached")
    }

    /// How long the next invocation may run: its `timeout_s`, or less when a time limit
    /// ends sooner (then the budget that ends it).
    func timeout(_ timeoutSeconds: Int, now: ContinuousClock.Instant = .now) -> (seconds: Double, by: BudgetScope?) {
        var best = (seconds: Double(timeoutSeconds), by: BudgetScope?.none)
        if let limit = phase.timeLimitSeconds, Double(limit) - phaseSecondsBefore < best.seconds {
            best = (max(0, Double(limit) - phaseSecondsBefore), .phase)
        }
        if let deadline = runDeadline {
            let left = (deadline - now).seconds
            if left < best.seconds { best = (max(0, left), .run) }
        }
        return best
    }

    /// `$5.00`, `$0.0412`: cents for whole-cent amounts, four decimals otherwise.
    static func dollars(_ usd: Double) -> String {
        let cents = (usd * 100).rounded()
        if abs(usd * 100 - cents) < 1e-9 { return String(format: "$%.2f", usd) }
        return String(format: "$%.4f", usd)
    }
}
