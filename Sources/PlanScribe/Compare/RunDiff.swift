import Foundation

/// What changed between two runs of a plan: per phase the outcome, turns, calls, tokens,
/// costs and duration, each with its delta and percentage; phases added or removed; the
/// decisions whose question or reply changed.
///
/// Phases are matched by name: the first `/office-hours` of one run with the first of the
/// other, the second with the second. A name that appears more than once in a run is said to
/// be so (``PhaseChange/timesBefore``, ``PhaseChange/timesAfter``).
public struct RunDiff: Sendable {
    /// One decision before and after; nil on the side that does not have it.
    public struct DecisionChange: Sendable, Equatable {
        /// The decision in the earlier run.
        public var before: RunSnapshot.Decision?
        /// The decision in the later run.
        public var after: RunSnapshot.Decision?
    }

    /// One phase, matched by name (and occurrence) across the two runs.
    public struct PhaseChange: Sendable {
        /// The phase's name.
        public var name: String
        /// Which run of that name this is in its input, from 1.
        public var occurrence: Int
        /// The phase in the earlier run; nil when it was added.
        public var before: RunSnapshot.Phase?
        /// The phase in the later run; nil when it was removed.
        public var after: RunSnapshot.Phase?
        /// How many times the earlier run has a phase of this name.
        public var timesBefore: Int
        /// How many times the later run has one.
        public var timesAfter: Int
        /// The decisions whose question or reply differ, in the later run's order, then the
        /// ones only the earlier run has.
        public var decisions: [DecisionChange]

        /// `added`, `removed`, `changed` or `same`.
        public var status: String {
            guard let before else { return "added" }
            guard let after else { return "removed" }
            let same =
                before.outcome == after.outcome && before.turns == after.turns && before.apiCalls == after.apiCalls
                && before.usage == after.usage && before.estimatedCostUSD == after.estimatedCostUSD
                && before.reportedCostUSD == after.reportedCostUSD && decisions.isEmpty
            return same ? "same" : "changed"
        }
    }

    /// The earlier run.
    public var before: RunSnapshot
    /// The later run.
    public var after: RunSnapshot
    /// Every phase of either run: the later run's order, then those only the earlier has.
    public var phases: [PhaseChange]

    /// Compares two runs.
    public init(before: RunSnapshot, after: RunSnapshot) {
        self.before = before
        self.after = after
        func keyed(_ phases: [RunSnapshot.Phase]) -> [(key: String, occurrence: Int, phase: RunSnapshot.Phase)] {
            var seen: [String: Int] = [:]
            return phases.map { p in
                seen[p.name, default: 0] += 1
                return (p.name, seen[p.name]!, p)
            }
        }
        let old = keyed(before.phases)
        let new = keyed(after.phases)
        let times = (Dictionary(before.phases.map { ($0.name, 1) }, uniquingKeysWith: +), Dictionary(after.phases.map { ($0.name, 1) }, uniquingKeysWith: +))
        var matched = Set<Int>()
        var changes: [PhaseChange] = []
        for n in new {
            let o = old.firstIndex { $0.key == n.key && $0.occurrence == n.occurrence }
            if let o { matched.insert(o) }
            let earlier = o.map { old[$0].phase }
            changes.append(
                PhaseChange(
                    name: n.key, occurrence: n.occurrence, before: earlier, after: n.phase, timesBefore: times.0[n.key] ?? 0,
                    timesAfter: times.1[n.key] ?? 0, decisions: Self.decisions(earlier?.decisions ?? [], n.phase.decisions)))
        }
        for (i, o) in old.enumerated() where !matched.contains(i) {
            changes.append(
                PhaseChange(
                    name: o.key, occurrence: o.occurrence, before: o.phase, after: nil, timesBefore: times.0[o.key] ?? 0,
                    timesAfter: times.1[o.key] ?? 0, decisions: Self.decisions(o.phase.decisions, [])))
        }
        phases = changes
    }

    /// The decisions that differ: paired first by the same question, then the rest in order;
    /// a pair with the same question and reply is not a change.
    static func decisions(_ old: [RunSnapshot.Decision], _ new: [RunSnapshot.Decision]) -> [DecisionChange] {
        var unpairedOld = Array(old.indices)
        var pairs: [(Int?, Int)] = []
        var unpairedNew: [Int] = []
        for (j, d) in new.enumerated() {
            if let at = unpairedOld.firstIndex(where: { old[$0].question == d.question }) {
                pairs.append((unpairedOld.remove(at: at), j))
            } else {
                unpairedNew.append(j)
            }
        }
        // Questions worded differently: paired in order.
        for j in unpairedNew {
            pairs.append((unpairedOld.isEmpty ? nil : unpairedOld.removeFirst(), j))
        }
        pairs.sort { $0.1 < $1.1 }
        var changes: [DecisionChange] = []
        for (i, j) in pairs {
            let a = i.map { old[$0] }
            if a == new[j] { continue }
            changes.append(DecisionChange(before: a, after: new[j]))
        }
        for i in unpairedOld { changes.append(DecisionChange(before: old[i], after: nil)) }
        return changes
    }

    /// The whole run's figures, as a phase-like total.
    public struct Totals: Sendable, Equatable {
        /// Planning phases that reached `ready_to_advance`.
        public var done: Int
        /// Planning phases (conversation outside any phase left out).
        public var planning: Int
        /// Turns of every phase.
        public var turns: Int
        /// API calls of every phase.
        public var apiCalls: Int
        /// The run's tokens.
        public var usage: TokenUsage
        /// The run's estimate; nil when a model has no price.
        public var estimatedCostUSD: USD?
        /// The CLI's figure for the sessions that carry one.
        public var reportedCostUSD: USD?
        /// The phases' durations, added up; nil when none is known.
        public var durationSeconds: Double?

        init(_ run: RunSnapshot) {
            let planning = run.phases.filter(\.isPlanning)
            done = planning.filter { $0.outcome == "done" }.count
            self.planning = planning.count
            turns = run.phases.reduce(0) { $0 + $1.turns }
            apiCalls = run.phases.reduce(0) { $0 + $1.apiCalls }
            usage = run.usage
            estimatedCostUSD = run.estimatedCostUSD
            reportedCostUSD = run.reportedCostUSD
            let durations = run.phases.compactMap(\.durationSeconds)
            durationSeconds = durations.isEmpty ? nil : durations.reduce(0, +)
        }
    }

    /// The totals of the earlier and the later run.
    public var totals: (before: Totals, after: Totals) { (Totals(before), Totals(after)) }
}

/// A figure before and after, with what it takes to show its change.
public struct FigureChange: Sendable, Equatable {
    /// The kind of figure, which says how it is written.
    public enum Kind: Sendable, Equatable {
        case count, money, seconds
    }

    /// What is measured (`turns`, `estimated`…).
    public var label: String
    /// How it is written.
    public var kind: Kind
    /// The earlier figure as an exact number: a count, picodollars, or milliseconds.
    public var before: Int64?
    /// The later figure, likewise.
    public var after: Int64?

    /// After less before; nil unless both are known.
    public var delta: Int64? {
        guard let before, let after else { return nil }
        return after.subtractingReportingOverflow(before).overflow ? nil : after - before
    }

    /// The delta as a percentage of the earlier figure (to 0.1); nil when that is zero or unknown.
    public var percent: Double? {
        guard let before, let delta, before != 0 else { return nil }
        return (Double(delta) / Double(before) * 1000).rounded() / 10
    }

    /// A figure as the tables write it.
    public func text(_ value: Int64?) -> String {
        guard let value else { return "–" }
        switch kind {
        case .count: return Figures.count(Int(value))
        case .money: return USD(picodollars: value).description
        case .seconds: return String(format: "%.1f s", Double(value) / 1000)
        }
    }

    /// The delta with its sign, or "" when there is none or it is zero.
    public var deltaText: String {
        guard let delta, delta != 0 else { return "" }
        let magnitude = text(delta.magnitude > UInt64(Int64.max) ? Int64.max : Int64(delta.magnitude))
        return (delta > 0 ? "+" : "−") + magnitude
    }

    /// The percentage with its sign, `new` for a figure that was zero, or "".
    public var percentText: String {
        if let percent, delta != 0 { return (percent > 0 ? "+" : percent < 0 ? "−" : "") + String(format: "%.1f %%", abs(percent)) }
        if before == 0, let after, after != 0 { return "new" }
        return ""
    }

    /// The figures of a phase (either may be missing), in the order the tables show them.
    static func of(before: RunSnapshot.Phase?, after: RunSnapshot.Phase?) -> [FigureChange] {
        figures(
            before.map { ($0.turns, $0.apiCalls, $0.usage, $0.estimatedCostUSD, $0.reportedCostUSD, $0.durationSeconds) },
            after.map { ($0.turns, $0.apiCalls, $0.usage, $0.estimatedCostUSD, $0.reportedCostUSD, $0.durationSeconds) })
    }

    /// The figures of two runs' totals.
    static func of(totals: (before: RunDiff.Totals, after: RunDiff.Totals)) -> [FigureChange] {
        let (a, b) = totals
        return figures(
            (a.turns, a.apiCalls, a.usage, a.estimatedCostUSD, a.reportedCostUSD, a.durationSeconds),
            (b.turns, b.apiCalls, b.usage, b.estimatedCostUSD, b.reportedCostUSD, b.durationSeconds))
    }

    private typealias Side = (turns: Int, calls: Int, usage: TokenUsage, estimated: USD?, reported: USD?, seconds: Double?)

    private static func figures(_ a: Side?, _ b: Side?) -> [FigureChange] {
        func ms(_ s: Double?) -> Int64? { s.map { Int64(saturating: $0 * 1000) } }
        return [
            FigureChange(label: "turns", kind: .count, before: a.map { Int64($0.turns) }, after: b.map { Int64($0.turns) }),
            FigureChange(label: "API calls", kind: .count, before: a.map { Int64($0.calls) }, after: b.map { Int64($0.calls) }),
            FigureChange(label: "tokens in", kind: .count, before: a.map { Int64($0.usage.input) }, after: b.map { Int64($0.usage.input) }),
            FigureChange(label: "tokens out", kind: .count, before: a.map { Int64($0.usage.output) }, after: b.map { Int64($0.usage.output) }),
            FigureChange(label: "cache write", kind: .count, before: a.map { Int64($0.usage.cacheWrite) }, after: b.map { Int64($0.usage.cacheWrite) }),
            FigureChange(label: "cache read", kind: .count, before: a.map { Int64($0.usage.cacheRead) }, after: b.map { Int64($0.usage.cacheRead) }),
            FigureChange(label: "estimated", kind: .money, before: a?.estimated?.picodollars, after: b?.estimated?.picodollars),
            FigureChange(label: "reported", kind: .money, before: a?.reported?.picodollars, after: b?.reported?.picodollars),
            FigureChange(label: "duration", kind: .seconds, before: ms(a?.seconds), after: ms(b?.seconds)),
        ]
    }
}
