/// One piece of a message's content.
public enum ContentBlock: Sendable, Hashable {
    /// Markdown text.
    case text(String)
    /// The model's visible reasoning.
    case thinking(String)
    /// Reasoning the API returned encrypted; nothing to show but the fact.
    case redactedThinking
    /// A call of a tool.
    case toolUse(ToolUse)
    /// What a tool answered.
    case toolResult(ToolResult)
    /// An image, described but not embedded.
    case image(ImageInfo)
    /// A block of a kind planscribe does not render, kept by name.
    case unsupported(type: String)
}

/// A tool call made by the assistant.
public struct ToolUse: Sendable, Hashable {
    /// The call's id (`toolu_…`), which its result refers to.
    public var id: String
    /// The tool's name (`Write`, `Bash`, `Agent`, …).
    public var name: String
    /// The arguments as given.
    public var input: JSONValue
}

/// A tool's answer to a call.
public struct ToolResult: Sendable, Hashable {
    /// The id of the call answered.
    public var toolUseID: String
    /// The text of the answer (text parts joined by newlines).
    public var text: String
    /// True when the tool reported a failure.
    public var isError: Bool
    /// Images in the answer.
    public var images: [ImageInfo]
}

/// An image that appeared in a message: what it was, not its pixels.
public struct ImageInfo: Sendable, Hashable {
    /// The media type, such as `image/png`.
    public var mediaType: String
    /// The size of the decoded image in bytes (estimated from base64), when embedded.
    public var byteCount: Int?
    /// The image itself, base64, when the transcript embeds it and it is no larger than
    /// ``embedLimit`` (read at full detail only).
    public var base64: String?

    /// The largest image kept to be shown, in bytes of base64 (about 750 KB of image).
    public static let embedLimit = 1_000_000

    /// Creates an image's description.
    public init(mediaType: String, byteCount: Int?, base64: String? = nil) {
        self.mediaType = mediaType
        self.byteCount = byteCount
        self.base64 = base64
    }

    /// A `data:` URL for the image, when it can be shown safely: a raster type a browser
    /// shows as a picture (PNG, JPEG, GIF, WebP; never SVG, which can hold script) and data
    /// of base64 characters only. Nil otherwise.
    public var dataURL: String? {
        guard let base64, ["image/png", "image/jpeg", "image/gif", "image/webp"].contains(mediaType), !base64.isEmpty else { return nil }
        for byte in base64.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                continue
            default:
                return nil
            }
        }
        return "data:" + mediaType + ";base64," + base64
    }
}

/// One message of a conversation: a user prompt, tool results, an assistant response
/// (its split lines already merged), or a note from the CLI.
public struct Message: Sendable, Hashable {
    /// Who speaks.
    public enum Role: String, Sendable, Hashable, Codable {
        /// A person, or planscribe's replies, or tool results.
        case user
        /// The model.
        case assistant
        /// The CLI itself (notes, attachments).
        case system
    }

    /// What the message is.
    public enum Kind: Sendable, Hashable {
        /// Text a person (or a runner, for canned replies) sent.
        case prompt
        /// Results of tool calls, sent back to the model.
        case toolResults
        /// A response of the model.
        case response
        /// The summary that starts a compacted conversation.
        case compactSummary
        /// The marker where a conversation was compacted.
        case compactBoundary
        /// Context the CLI attached (environment, date, skill listings, …), by attachment type.
        case attachment(String)
        /// A CLI note (`system` line), by subtype.
        case note(String)
    }

    /// The line's uuid.
    public var uuid: String
    /// The uuid of the line before it in the conversation.
    public var parentUUID: String?
    /// Who speaks.
    public var role: Role
    /// What it is.
    public var kind: Kind
    /// ISO-8601 time of the (first) line.
    public var timestamp: String?
    /// The content, in order.
    public var blocks: [ContentBlock]
    /// The model that answered (assistant messages).
    public var model: String?
    /// The API message id (`msg_…`).
    public var messageID: String?
    /// The API request id (`req_…`).
    public var requestID: String?
    /// Token usage of the API call, after de-duplication; nil when this message carries no
    /// cost (a duplicate, a synthetic error message, a user message).
    public var usage: TokenUsage?
    /// What else sets the price of its API call (speed, region, web searches).
    public var terms: CallTerms = .standard
    /// True for lines the CLI marks as meta, attachments, and injected reminders: context
    /// a report can hide behind a toggle.
    public var isMeta: Bool
    /// True for subagent (sidechain) lines.
    public var isSidechain: Bool
    /// True for an API error the CLI wrote in the model's place.
    public var isAPIError: Bool
    /// The 1-based line number of the first line in its file.
    public var line: Int

    /// The text blocks joined, for prompts and responses.
    public var text: String {
        blocks.compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined(separator: "\n\n")
    }

    /// The tool calls in this message.
    public var toolUses: [ToolUse] {
        blocks.compactMap { if case .toolUse(let u) = $0 { return u } else { return nil } }
    }

    /// The tool results in this message.
    public var toolResults: [ToolResult] {
        blocks.compactMap { if case .toolResult(let r) = $0 { return r } else { return nil } }
    }

    /// True for a line the CLI wrote in the model's place (`<synthetic>`): an API error, or a
    /// note such as "No response requested." after a resumed kill. Never billed.
    public var isSynthetic: Bool { model == "<synthetic>" }

    /// True for a prompt a person or runner sent (not meta, not a tool result).
    public var isPrompt: Bool { kind == .prompt && !isMeta }
}
