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

    /// The prompt's tokens: uncached input, cache reads and cache writes.
    public var prompt: Int { input.addingSaturated(cacheRead).addingSaturated(cacheWrite) }

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
    /// Reads the Messages API usage object the way the Claude Code CLI bills it: every token of
    /// `cache_creation_input_tokens` is a cache write; the `cache_creation` breakdown only says
    /// how many of them went to the 1-hour cache (held between 0 and the total), and the rest
    /// are 5-minute writes. A breakdown of zeros, a partial one or one larger than the total
    /// therefore never drops or adds written tokens.
    init(_ raw: RawUsage) {
        let written = max(0, raw.cache_creation_input_tokens ?? 0)
        let hour = min(max(0, raw.cache_creation?.ephemeral_1h_input_tokens ?? 0), written)
        self.init(
            input: raw.input_tokens ?? 0, output: raw.output_tokens ?? 0,
            cacheWrite5m: written - hour, cacheWrite1h: hour, cacheRead: raw.cache_read_input_tokens ?? 0)
    }
}
