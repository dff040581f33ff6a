/// The slim Codable shapes a transcript line is decoded into: only the fields planscribe
/// uses, every one optional, so that new CLI versions adding fields change nothing.
struct RawLine: Decodable {
    var type: String?
    var subtype: String?
    var uuid: String?
    var parentUuid: String?
    var logicalParentUuid: String?
    var isSidechain: Bool?
    var isMeta: Bool?
    var isCompactSummary: Bool?
    var isApiErrorMessage: Bool?
    var agentId: String?
    var timestamp: String?
    var cwd: String?
    var version: String?
    var requestId: String?
    var message: RawMessage?
    var content: LenientString?
    var toolUseResult: RawToolUseResult?
    /// `"interrupted"` on the tool result the CLI writes for a call its invocation's end cut off.
    var toolDenialKind: LenientString?
    // cost-state
    var totalCostUSD: Double?
    // summary, titles
    var summary: String?
    var customTitle: String?
    var aiTitle: String?

    init() {}
}

struct RawMessage: Decodable {
    init() {}
    var id: String?
    var role: String?
    var model: String?
    var content: RawContent?
    var usage: RawUsage?
}

struct RawUsage: Decodable {
    init() {}
    var input_tokens: Int?
    var output_tokens: Int?
    var cache_creation_input_tokens: Int?
    var cache_read_input_tokens: Int?
    var cache_creation: RawCacheCreation?
    var inference_geo: LenientString?
    var speed: LenientString?
    var server_tool_use: RawServerToolUse?

    struct RawServerToolUse: Decodable {
        init() {}
        var web_search_requests: Int?
    }

    struct RawCacheCreation: Decodable {
        init() {}
        var ephemeral_5m_input_tokens: Int?
        var ephemeral_1h_input_tokens: Int?
    }
}

/// `message.content` and `tool_result.content`: a string, a list of blocks, or null.
enum RawContent: Decodable {
    case text(String)
    case blocks([RawBlock])

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let s = try? single.decode(String.self) {
            self = .text(s)
        } else {
            self = .blocks(try single.decode([RawBlock].self))
        }
    }
}

struct RawBlock: Decodable {
    init() {}
    var type: String?
    var text: String?
    var thinking: String?
    var id: String?
    var name: String?
    var input: JSONValue?
    var tool_use_id: String?
    /// A `tool_reference` part's tool (what ToolSearch loaded).
    var tool_name: String?
    var content: RawContent?
    var is_error: Bool?
    var source: RawImageSource?

    struct RawImageSource: Decodable {
        init() {}
        var type: String?
        var media_type: String?
        var data: String?
        var url: String?
        /// The length of `data` when only that was read.
        var dataLength: Int?

        enum CodingKeys: String, CodingKey { case type, media_type, data, url }
    }
}

/// `toolUseResult`: an object (whose `agentId` links a Task call to its subagent) or a
/// plain string (an error message). Only the agent id is kept.
struct RawToolUseResult: Decodable {
    var agentId: String?

    init(agentId: String?) {
        self.agentId = agentId
    }

    private enum Keys: String, CodingKey { case agentId }

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Keys.self) {
            agentId = try? keyed.decodeIfPresent(String.self, forKey: .agentId)
        } else {
            agentId = nil
        }
    }
}

/// A string field that some line kinds use for other shapes: kept when it is a string,
/// ignored otherwise.
struct LenientString: Decodable {
    var value: String?

    init(value: String?) {
        self.value = value
    }

    init(from decoder: any Decoder) throws {
        value = try? decoder.singleValueContainer().decode(String.self)
    }
}
