import Foundation

/// Five rates, in US dollars per million tokens of each kind.
public struct TokenRates: Sendable, Hashable, Codable {
    /// Uncached input.
    public var input: Double
    /// Output.
    public var output: Double
    /// Writes to the 5-minute cache.
    public var cacheWrite5m: Double
    /// Writes to the 1-hour cache.
    public var cacheWrite1h: Double
    /// Reads from the cache.
    public var cacheRead: Double

    /// Creates rates.
    public init(input: Double, output: Double, cacheWrite5m: Double, cacheWrite1h: Double, cacheRead: Double) {
        self.input = input
        self.output = output
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.cacheRead = cacheRead
    }

    enum CodingKeys: String, CodingKey {
        case input, output
        case cacheWrite5m = "cache_write_5m"
        case cacheWrite1h = "cache_write_1h"
        case cacheRead = "cache_read"
    }

    /// The five rates in the order of their fields.
    var all: [Double] { [input, output, cacheWrite5m, cacheWrite1h, cacheRead] }

    /// The cost of some tokens at these rates, exact to the picodollar.
    ///
    /// - Parameter usage: the tokens.
    public func cost(of usage: TokenUsage) -> USD {
        func part(_ tokens: Int, _ perMillion: Double) -> USD {
            // USD per million tokens = picodollars per token × 10⁻⁶.
            USD(picodollars: Int64(tokens).multipliedSaturated(by: Int64(saturating: perMillion * 1_000_000)))
        }
        return part(usage.input, input) + part(usage.output, output)
            + part(usage.cacheWrite5m, cacheWrite5m) + part(usage.cacheWrite1h, cacheWrite1h)
            + part(usage.cacheRead, cacheRead)
    }
}

/// What a model charges: its rates, for some models other rates for calls with a long prompt,
/// and what changes the price of one call (its speed, its region, its web searches). Its rates
/// read as its own (`price.input`); in a price file everything is written flat
/// (`{"input": …, …, "long_prompt": {"above_tokens": …, "input": …, …}, "fast_multiplier": 2,
/// "inference_geo": {"us": 1.1}, "web_search": 0.01}`), and the last three, when left out, are
/// what the Claude Code CLI uses.
@dynamicMemberLookup
public struct ModelPrice: Sendable, Hashable, Codable {
    /// The rates of a call.
    public var rates: TokenRates
    /// The rates of calls with a long prompt, for models that have them.
    public var longPrompt: LongPromptPrice?
    /// What every rate is multiplied by for a call served at fast speed (`usage.speed == "fast"`);
    /// 1 for models without a fast mode.
    public var fastMultiplier: Double
    /// What a call's token cost is multiplied by when it was served in a region
    /// (`usage.inference_geo`), by region.
    public var geoMultipliers: [String: Double]
    /// USD per server-side web search (`usage.server_tool_use.web_search_requests`), added
    /// after the region's multiplier.
    public var webSearchUSD: Double

    /// The CLI's multiplier for calls pinned to the US.
    public static let cliGeoMultipliers = ["us": 1.1]
    /// The CLI's price of one web search.
    public static let cliWebSearchUSD = 0.01

    /// Creates a price.
    public init(
        input: Double, output: Double, cacheWrite5m: Double, cacheWrite1h: Double, cacheRead: Double, longPrompt: LongPromptPrice? = nil,
        fastMultiplier: Double = 1, geoMultipliers: [String: Double] = cliGeoMultipliers, webSearchUSD: Double = cliWebSearchUSD
    ) {
        rates = TokenRates(input: input, output: output, cacheWrite5m: cacheWrite5m, cacheWrite1h: cacheWrite1h, cacheRead: cacheRead)
        self.longPrompt = longPrompt
        self.fastMultiplier = fastMultiplier
        self.geoMultipliers = geoMultipliers
        self.webSearchUSD = webSearchUSD
    }

    /// One of its rates.
    public subscript(dynamicMember rate: KeyPath<TokenRates, Double>) -> Double { rates[keyPath: rate] }

    private enum CodingKeys: String, CodingKey {
        case longPrompt = "long_prompt"
        case fastMultiplier = "fast_multiplier"
        case geoMultipliers = "inference_geo"
        case webSearchUSD = "web_search"
    }

    /// Decodes the rates and the optional `long_prompt`, `fast_multiplier`, `inference_geo` and
    /// `web_search` from one object.
    public init(from decoder: any Decoder) throws {
        rates = try TokenRates(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        longPrompt = try c.decodeIfPresent(LongPromptPrice.self, forKey: .longPrompt)
        fastMultiplier = try c.decodeIfPresent(Double.self, forKey: .fastMultiplier) ?? 1
        geoMultipliers = try c.decodeIfPresent([String: Double].self, forKey: .geoMultipliers) ?? Self.cliGeoMultipliers
        webSearchUSD = try c.decodeIfPresent(Double.self, forKey: .webSearchUSD) ?? Self.cliWebSearchUSD
    }

    /// Encodes the rates and the optional parts into one object.
    public func encode(to encoder: any Encoder) throws {
        try rates.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(longPrompt, forKey: .longPrompt)
        try c.encode(fastMultiplier, forKey: .fastMultiplier)
        try c.encode(geoMultipliers, forKey: .geoMultipliers)
        try c.encode(webSearchUSD, forKey: .webSearchUSD)
    }

    /// The cost of one API call, exact to the picodollar for the CLI's own prices, billed as the
    /// Claude Code CLI bills it: a call whose prompt (input, cache reads and cache writes) is
    /// longer than ``LongPromptPrice/aboveTokens`` is priced whole at the long-prompt rates; a
    /// fast call at those rates times ``fastMultiplier``; the tokens' cost times the region's
    /// multiplier; plus ``webSearchUSD`` per web search.
    ///
    /// - Parameters:
    ///   - usage: the tokens of one call.
    ///   - terms: the call's speed, region and web searches.
    public func cost(of usage: TokenUsage, terms: CallTerms = .standard) -> USD {
        let tier = longPrompt.flatMap { usage.prompt > $0.aboveTokens ? $0.rates : nil } ?? rates
        var tokens = tier.cost(of: usage)
        if terms.isFast { tokens = tokens.scaled(by: fastMultiplier) }
        if let geo = terms.inferenceGeo, let multiplier = geoMultipliers[geo] { tokens = tokens.scaled(by: multiplier) }
        guard terms.webSearches > 0 else { return tokens }
        return tokens + USD(webSearchUSD).scaled(by: Double(terms.webSearches))
    }

    /// Every rate and multiplier, the long-prompt ones included.
    var allRates: [Double] { rates.all + (longPrompt?.rates.all ?? []) + [fastMultiplier, webSearchUSD] + geoMultipliers.values }

    /// Everything that sets a cost, as text that differs whenever a cost could.
    var fingerprint: String {
        var text = rates.all.map { "\($0)" }.joined(separator: ",")
        if let long = longPrompt { text += " above \(long.aboveTokens) " + long.rates.all.map { "\($0)" }.joined(separator: ",") }
        text += " fast \(fastMultiplier) search \(webSearchUSD) geo "
        text += geoMultipliers.keys.sorted().map { "\($0):\(geoMultipliers[$0]!)" }.joined(separator: ",")
        return text
    }
}

/// The rates of a model for calls with a long prompt.
public struct LongPromptPrice: Sendable, Hashable, Codable {
    /// A call whose input, cache reads and cache writes add up to more than this is priced
    /// whole at these rates.
    public var aboveTokens: Int
    /// The rates of such a call.
    public var rates: TokenRates

    /// Creates long-prompt rates.
    public init(aboveTokens: Int, input: Double, output: Double, cacheWrite5m: Double, cacheWrite1h: Double, cacheRead: Double) {
        self.aboveTokens = aboveTokens
        rates = TokenRates(input: input, output: output, cacheWrite5m: cacheWrite5m, cacheWrite1h: cacheWrite1h, cacheRead: cacheRead)
    }

    private enum CodingKeys: String, CodingKey {
        case aboveTokens = "above_tokens"
    }

    /// Decodes `above_tokens` and the rates from one object.
    public init(from decoder: any Decoder) throws {
        aboveTokens = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .aboveTokens)
        rates = try TokenRates(from: decoder)
    }

    /// Encodes `above_tokens` and the rates into one object.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(aboveTokens, forKey: .aboveTokens)
        try rates.encode(to: encoder)
    }
}

/// Why a price file could not be used.
public enum PriceTableError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be read.
    case unreadable(path: String, reason: String)
    /// The file is not the expected JSON.
    case invalid(path: String, reason: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read price file: \(reason)"
        case .invalid(let path, let reason): return "\(path): invalid price file: \(reason)"
        }
    }
}

/// Model prices: the built-in table, optionally extended or overridden from a JSON file.
///
/// A model id is looked up as given, then without a `[1m]` suffix, then without its
/// `-YYYYMMDD` date, then by the longest table entry it starts with.
public struct PriceTable: Sendable {
    /// Prices by model id.
    public private(set) var prices: [String: ModelPrice]

    /// Creates a table.
    public init(prices: [String: ModelPrice]) {
        self.prices = prices
    }

    /// Model ids already looked up, with what they matched: a report looks up the same few
    /// ids for every message, and an id with a date or a suffix walks the whole table.
    private let resolved = ResolvedPrices()

    /// The prices the Claude Code CLI 2.1.332 charges, probed for each model (see
    /// `Tests/Recording/probe_prices.sh`); claude-haiku-5-5 has short and long-prompt rates,
    /// and the models with a fast mode bill it at 2× or 6× every rate. Every model bills a call
    /// pinned to the US at 1.1× and a web search at $0.01.
    /// The Opus 4 and 4.1 rows, which that CLI remaps to a newer model, are the published list
    /// prices.
    public static let builtIn = PriceTable(prices: [
        "claude-opus-5-5": ModelPrice(input: 4, output: 20, cacheWrite5m: 5, cacheWrite1h: 8, cacheRead: 0.2, fastMultiplier: 2),
        "claude-sonnet-5-5": ModelPrice(input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.1),
        "claude-haiku-5-5": ModelPrice(
            input: 0.1, output: 0.5, cacheWrite5m: 0.125, cacheWrite1h: 0.2, cacheRead: 0.01,
            longPrompt: LongPromptPrice(aboveTokens: 100_000, input: 0.5, output: 2.5, cacheWrite5m: 0.625, cacheWrite1h: 1, cacheRead: 0.05)),
        "claude-sonnet-5": ModelPrice(input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2),
        "claude-opus-5": ModelPrice(input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, fastMultiplier: 2),
        "claude-fable-5-2": ModelPrice(input: 8, output: 40, cacheWrite5m: 10, cacheWrite1h: 16, cacheRead: 0.2, fastMultiplier: 2),
        "claude-opus-4-8": ModelPrice(input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, fastMultiplier: 2),
        "claude-opus-4-7": ModelPrice(input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, fastMultiplier: 6),
        "claude-opus-4-6": ModelPrice(input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, fastMultiplier: 6),
        "claude-opus-4-5": ModelPrice(input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5),
        "claude-opus-4-1": ModelPrice(input: 15, output: 75, cacheWrite5m: 18.75, cacheWrite1h: 30, cacheRead: 1.5),
        "claude-opus-4": ModelPrice(input: 15, output: 75, cacheWrite5m: 18.75, cacheWrite1h: 30, cacheRead: 1.5),
        "claude-sonnet-4-6": ModelPrice(input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3),
        "claude-sonnet-4-5": ModelPrice(input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3),
        "claude-sonnet-4": ModelPrice(input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3),
        "claude-haiku-4-5": ModelPrice(input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1),
        "claude-3-5-haiku": ModelPrice(input: 0.8, output: 4, cacheWrite5m: 1, cacheWrite1h: 1.6, cacheRead: 0.08),
    ])

    /// The price of a model, or nil when the table does not know it.
    ///
    /// - Parameter model: a model id as the API reports it.
    public func price(for model: String) -> ModelPrice? {
        if let p = prices[model] { return p }
        if let known = resolved.lookup(model) { return known }
        let found = match(model)
        resolved.store(model, found)
        return found
    }

    private func match(_ model: String) -> ModelPrice? {
        var id = model
        if let bracket = id.firstIndex(of: "[") { id = String(id[..<bracket]) }
        if let p = prices[id] { return p }
        let parts = id.split(separator: "-")
        if let last = parts.last, last.count == 8, last.allSatisfy(\.isNumber) {
            id = parts.dropLast().joined(separator: "-")
            if let p = prices[id] { return p }
        }
        let match = prices.keys.filter { id.hasPrefix($0 + "-") }.max { $0.count < $1.count }
        return match.flatMap { prices[$0] }
    }

    /// This table with the models of a JSON price file added or replaced.
    ///
    /// The file maps model ids to prices in USD per million tokens:
    /// `{"my-model": {"input": 3, "output": 15, "cache_write_5m": 3.75, "cache_write_1h": 6, "cache_read": 0.3}}`
    /// (optionally wrapped as `{"models": {…}}`). A model may add long-prompt rates:
    /// `"long_prompt": {"above_tokens": 100000, "input": …, "output": …, "cache_write_5m": …, "cache_write_1h": …, "cache_read": …}`.
    ///
    /// - Parameter path: the file.
    /// - Throws: ``PriceTableError``.
    public func merging(contentsOf path: String) throws -> PriceTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PriceTableError.unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        struct Wrapped: Decodable { var models: [String: ModelPrice] }
        let decoder = JSONDecoder()
        let added: [String: ModelPrice]
        do {
            if let wrapped = try? decoder.decode(Wrapped.self, from: data) {
                added = wrapped.models
            } else {
                added = try decoder.decode([String: ModelPrice].self, from: data)
            }
        } catch {
            let reason: String
            if let e = error as? DecodingError, case .keyNotFound(let key, let ctx) = e {
                reason = "model \(ctx.codingPath.first?.stringValue ?? "?"): missing \"\(key.stringValue)\""
            } else if let e = error as? DecodingError, case .typeMismatch(_, let ctx) = e {
                reason = "\(ctx.codingPath.map(\.stringValue).joined(separator: ".")): expected a number"
            } else {
                reason = "expected {\"model-id\": {\"input\": …, \"output\": …, \"cache_write_5m\": …, \"cache_write_1h\": …, \"cache_read\": …}}"
            }
            throw PriceTableError.invalid(path: path, reason: reason)
        }
        for (model, price) in added {
            if price.allRates.contains(where: { $0 < 0 || !$0.isFinite || $0 > 10_000 }) {
                throw PriceTableError.invalid(path: path, reason: "model \(model): prices and multipliers must be between 0 and 10000")
            }
            if let long = price.longPrompt, long.aboveTokens < 0 {
                throw PriceTableError.invalid(path: path, reason: "model \(model): long_prompt.above_tokens must not be negative")
            }
        }
        var merged = prices
        merged.merge(added) { _, new in new }
        return PriceTable(prices: merged)
    }
}

/// A price table's memo of model ids that are not keys of the table (see
/// ``PriceTable/price(for:)``), shared by the threads of a render.
private final class ResolvedPrices: @unchecked Sendable {
    private let lock = NSLock()
    private var matches: [String: ModelPrice?] = [:]

    /// `.some(nil)` when the id is known to have no price; nil when it was never looked up.
    func lookup(_ model: String) -> ModelPrice?? {
        lock.lock()
        defer { lock.unlock() }
        return matches[model]
    }

    func store(_ model: String, _ price: ModelPrice?) {
        lock.lock()
        if matches.count < 1_000 { matches[model] = price }
        lock.unlock()
    }
}

extension PriceTableError: PlanScribeError {
    /// A price file is input.
    public var isInputError: Bool { true }
}
