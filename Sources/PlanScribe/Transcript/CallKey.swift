/// What identifies one API call: its message id and request id (a missing request id is
/// the same as an empty one).
struct CallKey: Hashable {
    var messageID: String
    var requestID: String

    init(messageID: String, requestID: String?) {
        self.messageID = messageID
        self.requestID = requestID ?? ""
    }

    /// The ``StableHash`` of the two ids joined by U+001F.
    var hash: UInt64 { StableHash.of(messageID, "\u{1F}", requestID) }
}

/// What identifies the API call a billed line belongs to: its message and request ids, or,
/// for a line without a message id, its file and line (a call of its own).
enum UsageKey: Hashable {
    case call(CallKey)
    case line(path: String, line: Int)

    /// The ``StableHash`` of the key written out: the ids joined by U+001F, or `path#line`.
    var hash: UInt64 {
        switch self {
        case .call(let key): key.hash
        case .line(let path, let line): StableHash.of("\(path)#\(line)")
        }
    }
}
