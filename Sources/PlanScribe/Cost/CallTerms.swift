/// What, besides its tokens, sets the price of one API call: where it ran, at which speed, and
/// how many server-side web searches it made. These do not add up across calls, so they travel
/// beside a call's ``TokenUsage`` rather than in it.
public struct CallTerms: Sendable, Hashable {
    /// `usage.inference_geo`: where the call was served (`"us"`, or empty when not pinned).
    public var inferenceGeo: String?
    /// True when `usage.speed` is `"fast"`.
    public var isFast: Bool
    /// `usage.server_tool_use.web_search_requests`.
    public var webSearches: Int

    /// Creates terms.
    public init(inferenceGeo: String? = nil, isFast: Bool = false, webSearches: Int = 0) {
        self.inferenceGeo = inferenceGeo
        self.isFast = isFast
        self.webSearches = webSearches
    }

    /// A call served at standard speed, without a pinned region or web searches.
    public static let standard = CallTerms()
}

extension CallTerms {
    /// Reads the terms from the Messages API usage object (a negative search count counts as 0).
    init(_ raw: RawUsage) {
        self.init(
            inferenceGeo: raw.inference_geo?.value.flatMap { $0.isEmpty ? nil : $0 }, isFast: raw.speed?.value == "fast",
            webSearches: max(0, raw.server_tool_use?.web_search_requests ?? 0))
    }
}
