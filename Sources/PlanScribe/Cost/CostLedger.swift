/// Tokens and estimated cost of a set of API calls.
public struct CostEstimate: Sendable, Hashable, Codable {
    /// How many API calls.
    public var calls = 0
    /// Their tokens.
    public var usage = TokenUsage.zero
    /// The estimated cost of the calls whose model has a price.
    public var estimated = USD.zero
    /// Models without a price; when not empty, `estimated` covers only part of the calls.
    public var unpricedModels: [String] = []

    /// Creates an empty estimate.
    public init() {}

    /// The estimate as a complete figure, or nil when some calls could not be priced.
    public var completeCost: USD? { unpricedModels.isEmpty ? estimated : nil }

    /// Adds another estimate's calls into this one.
    mutating func add(_ other: CostEstimate) {
        calls += other.calls
        usage += other.usage
        estimated += other.estimated
        unpricedModels = Array(Set(unpricedModels + other.unpricedModels)).sorted()
    }

    mutating func add(_ call: APICall, price: ModelPrice?) {
        add(model: call.model, usage: call.usage, terms: call.terms, price: price)
    }

    mutating func add(model: String, usage callUsage: TokenUsage, terms: CallTerms, price: ModelPrice?) {
        calls += 1
        usage += callUsage
        if let price {
            estimated += price.cost(of: callUsage, terms: terms)
        } else if !unpricedModels.contains(model) {
            unpricedModels.append(model)
            unpricedModels.sort()
        }
    }
}

/// One row of a cost table: a session, a phase, a model or a day.
public struct CostRow: Sendable, Hashable, Encodable {
    /// What the row is about (a session id, a phase, a model, a date).
    public var key: String
    /// The estimate from usage × prices.
    public var estimate: CostEstimate
    /// The CLI's own figure (sessions and the total over sessions): for a total, the sum over
    /// the sessions that carry one.
    public var reported: USD?
    /// Why the reported figure and the estimate may differ, as far as the transcripts show.
    public var notes: [CostNote] = []
    /// For rows of sessions: how many sessions.
    public var sessions = 0
    /// How many of them carry a reported figure.
    public var sessionsReported = 0
    /// When only some of the row's sessions carry a reported figure, the estimate of those:
    /// what `reported` is compared with.
    public var reportedEstimate: CostEstimate?

    enum CodingKeys: String, CodingKey {
        case key, calls, usage, differs, notes, sessions
        case estimated = "estimated_cost_usd"
        case reported = "reported_cost_usd"
        case unpricedModels = "unpriced_models"
        case sessionsReported = "sessions_reported"
    }

    /// Encodes the row flat: key, calls, usage, estimated and reported cost, whether they differ.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(estimate.calls, forKey: .calls)
        try c.encode(estimate.usage, forKey: .usage)
        try c.encode(estimate.completeCost, forKey: .estimated)
        try c.encode(reported, forKey: .reported)
        try c.encode(differs, forKey: .differs)
        try c.encode(estimate.unpricedModels, forKey: .unpricedModels)
        try c.encode(notes, forKey: .notes)
        if sessions > 0 {
            try c.encode(sessions, forKey: .sessions)
            try c.encode(sessionsReported, forKey: .sessionsReported)
        }
    }

    /// Creates a row.
    public init(key: String, estimate: CostEstimate, reported: USD?) {
        self.key = key
        self.estimate = estimate
        self.reported = reported
    }

    /// True when only some of the row's sessions carry a reported figure.
    public var isPartlyReported: Bool { sessionsReported > 0 && sessionsReported < sessions }

    /// True when both figures exist and differ by more than 1 % of the reported one; a figure
    /// that covers only some sessions is compared with those sessions' estimate.
    public var differs: Bool {
        guard let reported, let estimated = (reportedEstimate ?? estimate).completeCost else { return false }
        let (exact, overflow) = estimated.picodollars.subtractingReportingOverflow(reported.picodollars)
        let diff = overflow ? abs(Double(estimated.picodollars) - Double(reported.picodollars)) : abs(Double(exact))
        return diff > 0.01 * Double(reported.picodollars) && diff >= 1_000_000  // ignore sub-microdollar noise
    }
}

/// How cost rows are grouped.
public enum CostGrouping: String, Sendable, CaseIterable, Codable {
    /// One row per session, in the order they started.
    case session
    /// One row per phase command, in the order phases first ran.
    case phase
    /// One row per model.
    case model
    /// One row per UTC day.
    case day
}

/// Adds up the cost of sessions: estimated from usage and the price table, and reported by
/// the CLI where the transcripts carry its figure.
public struct CostLedger: Sendable {
    /// The prices used.
    public let prices: PriceTable
    private var groups = [RowGroup](repeating: RowGroup(), count: CostGrouping.allCases.count)
    /// The sum over everything added.
    public private(set) var total = CostRow(key: "total", estimate: CostEstimate(), reported: nil)
    /// Sessions added, and how many of them carry a reported cost.
    public private(set) var sessions = 0
    /// Sessions with a reported cost.
    public private(set) var sessionsWithReportedCost = 0

    /// Creates an empty ledger.
    ///
    /// - Parameter prices: the price table to estimate with.
    public init(prices: PriceTable = .builtIn) {
        self.prices = prices
    }

    /// The estimate for some API calls.
    public func estimate(_ calls: [APICall]) -> CostEstimate {
        var e = CostEstimate()
        for call in calls { e.add(call, price: prices.price(for: call.model)) }
        return e
    }

    /// The estimated cost of one message, nil when it has no usage or no price.
    public func estimate(_ message: Message) -> USD? {
        guard let usage = message.usage, let model = message.model, let price = prices.price(for: model) else { return nil }
        return price.cost(of: usage, terms: message.terms)
    }

    /// Adds a session, with its phases for the per-phase rows.
    ///
    /// - Parameters:
    ///   - session: the session.
    ///   - phases: its phases (from ``PhaseSplitter``).
    public mutating func add(_ session: Session, phases: [Phase]) {
        addSessionRow(id: session.id, reportedCostUSD: session.reportedCostUSD, notes: session.costNotes, estimate: estimate(session.apiCalls))
        for call in session.apiCalls {
            addCall(model: call.model, day: call.timestamp.map { String($0.prefix(10)) } ?? "unknown", usage: call.usage, terms: call.terms, price: prices.price(for: call.model))
        }
        for phase in phases {
            let key = phase.name?.command ?? "(no phase)"
            for call in phase.apiCalls {
                let price = prices.price(for: call.model)
                update(.phase, key: key) { $0.add(call, price: price) }
            }
        }
    }

    /// Counts a session and sets its row; its reported cost and notes go into the total.
    private mutating func addSessionRow(id: String, reportedCostUSD: Double?, notes: [CostNote], estimate: CostEstimate) {
        sessions += 1
        var row = CostRow(key: id, estimate: estimate, reported: reportedCostUSD.map(USD.init))
        row.notes = notes
        row.sessions = 1
        total.sessions += 1
        total.notes = Array(Set(total.notes + notes)).sorted()
        if let reported = row.reported {
            sessionsWithReportedCost += 1
            row.sessionsReported = 1
            total.sessionsReported += 1
            total.reported = (total.reported ?? .zero) + reported
            reportedEstimateOfTotal.add(estimate)
        }
        total.reportedEstimate = total.isPartlyReported ? reportedEstimateOfTotal : nil
        put(.session, row)
    }

    /// The estimate of the sessions that carry a reported figure.
    private var reportedEstimateOfTotal = CostEstimate()

    /// The total row of some sessions alone: their estimate, and their reported figure with
    /// its coverage and notes.
    public func total(of sessions: [Session]) -> CostRow {
        var ledger = CostLedger(prices: prices)
        for session in sessions { ledger.add(session, phases: []) }
        return ledger.total
    }

    /// Adds one call to its model's row, its day's row and the total.
    private mutating func addCall(model: String, day: String, usage: TokenUsage, terms: CallTerms, price: ModelPrice?) {
        update(.model, key: model) { $0.add(model: model, usage: usage, terms: terms, price: price) }
        update(.day, key: day) { $0.add(model: model, usage: usage, terms: terms, price: price) }
        total.estimate.add(model: model, usage: usage, terms: terms, price: price)
    }

    /// The rows of one grouping: sessions and phases in the order they happened, models and
    /// days sorted.
    public func rows(by grouping: CostGrouping) -> [CostRow] {
        let rows = groups[grouping.position].rows
        let inOrder = grouping == .session || grouping == .phase
        return inOrder ? rows : rows.sorted { $0.key < $1.key }
    }

    /// Every model that had no price.
    public var unpricedModels: [String] { total.estimate.unpricedModels }

    private mutating func put(_ grouping: CostGrouping, _ row: CostRow) {
        groups[grouping.position].put(row)
    }

    private mutating func update(_ grouping: CostGrouping, key: String, _ change: (inout CostEstimate) -> Void) {
        groups[grouping.position].update(key, change)
    }
}

/// The rows of one grouping in the order their keys first came, found by key.
private struct RowGroup: Sendable {
    var rows: [CostRow] = []
    private var positionOfKey: [String: Int] = [:]
    /// The row updated last: consecutive calls mostly share a model and a day.
    private var last: Int?

    private mutating func position(of key: String) -> Int {
        if let last, rows[last].key == key { return last }
        if let at = positionOfKey[key] {
            last = at
            return at
        }
        positionOfKey[key] = rows.count
        rows.append(CostRow(key: key, estimate: CostEstimate(), reported: nil))
        last = rows.count - 1
        return rows.count - 1
    }

    /// Sets the row of `row.key`.
    mutating func put(_ row: CostRow) {
        rows[position(of: row.key)] = row
    }

    /// Changes the estimate of the row of `key`, adding an empty row first when there is none.
    mutating func update(_ key: String, _ change: (inout CostEstimate) -> Void) {
        change(&rows[position(of: key)].estimate)
    }
}

extension CostGrouping {
    /// Its position in `allCases`.
    fileprivate var position: Int {
        switch self {
        case .session: return 0
        case .phase: return 1
        case .model: return 2
        case .day: return 3
        }
    }
}
