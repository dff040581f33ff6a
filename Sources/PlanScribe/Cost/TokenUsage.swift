/// Token counts of one API call or of any sum of them.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Uncached input tokens.
    public var input: Int
    /// Output tokens (thinking included).
    public var output: Int
    /// Input tokens written to the 5-minute cache.
    public var cacheWrite5m: Int
    /// Input tokens written to the 1-hour cache.
    public var cacheWrite1h: Int
    /// Input tokens read from the cache.
    public var cacheRead: Int

    /// Creates a usage.
    public init(input: Int = 0, output: Int = 0, cacheWrite5m: Int = 0, cacheWrite1h: Int = 0, cacheRead: Int = 0) {
        self.input = input
        self.output = output
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.cacheRead = cacheRead
    }

    /// No tokens.
    public static let zero = TokenUsage()

    /// All cache writes, whatever their lifetime.
    public var cacheWrite: Int { cacheWrite5m.addingSaturated(cacheWrite1h) }

    /// Every token of every kind.
    public var total: Int { input.addingSaturated(output).addingSaturated(cacheWrite).addingSaturated(cacheRead) }

    /// The usage with negative counts (never valid) replaced by zero.
    public var clampedToZero: TokenUsage {
        TokenUsage(input: max(0, input), output: max(0, output), cacheWrite5m: max(0, cacheWrite5m), cacheWrite1h: max(0, cacheWrite1h), cacheRead: max(0, cacheRead))
    }

    /// Adds two usages bucket by bucket (a count that would pass `Int.max` stays there).
    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(
            input: a.input.addingSaturated(b.input), output: a.output.addingSaturated(b.output),
            cacheWrite5m: a.cacheWrite5m.addingSaturated(b.cacheWrite5m),
            cacheWrite1h: a.cacheWrite1h.addingSaturated(b.cacheWrite1h), cacheRead: a.cacheRead.addingSaturated(b.cacheRead))
    }

    /// Adds `b` into `a`.
    public static func += (a: inout TokenUsage, b: TokenUsage) { a = a + b }
}

extension TokenUsage {
    /// Reads the Messages API usage object. Without a `cache_creation` split, every cache
    /// write is charged at the 5-minute rate (what the CLI and other tools do for old files).
    init(_ raw: RawUsage) {
        let written = raw.cache_creation_input_tokens ?? 0
        var five = written
        var hour = 0
        if let split = raw.cache_creation, split.ephemeral_5m_input_tokens != nil || split.ephemeral_1h_input_tokens != nil {
            five = split.ephemeral_5m_input_tokens ?? 0
            hour = split.ephemeral_1h_input_tokens ?? 0
        }
        self.init(
            input: raw.input_tokens ?? 0, output: raw.output_tokens ?? 0,
            cacheWrite5m: five, cacheWrite1h: hour, cacheRead: raw.cache_read_input_tokens ?? 0)
    }
}
