import Foundation

/// What a running invocation is spending, estimated from the API calls its stream-json shows
/// so far (the main conversation's and its subagents').
///
/// The stream writes one `assistant` event per content block with the `message_start` usage
/// snapshot: the input and cache tokens are final, the output tokens only begun. Each call is
/// counted once, by message id, with the largest usage its events gave. The figure is therefore
/// a little under the CLI's own (its output tokens are missing), and is replaced by the CLI's
/// figure once the invocation reports one.
public struct StreamSpend: Sendable {
    private let prices: PriceTable
    private var calls: [String: (usage: TokenUsage, cost: USD)] = [:]
    /// The estimated cost of the calls seen (those of a model the price table does not know
    /// count nothing, and are named in ``unpricedModels``).
    public private(set) var estimate = USD.zero
    /// Models of calls the price table has no price for.
    public private(set) var unpricedModels: Set<String> = []

    /// Creates an empty tally at the given prices.
    public init(prices: PriceTable) {
        self.prices = prices
    }

    /// API calls seen.
    public var callCount: Int { calls.count }

    /// Counts an assistant event's call; returns true when it changed the tally.
    @discardableResult
    public mutating func add(_ call: APICall) -> Bool {
        let id = call.messageID ?? call.uuid
        let seen = calls[id]
        if let seen, call.usage.output <= seen.usage.output, call.usage.prompt <= seen.usage.prompt { return false }
        var cost = USD.zero
        if let price = prices.price(for: call.model) {
            cost = price.cost(of: call.usage, terms: call.terms)
        } else {
            unpricedModels.insert(call.model)
        }
        estimate = estimate - (seen?.cost ?? .zero) + cost
        calls[id] = (call.usage, cost)
        return true
    }
}
