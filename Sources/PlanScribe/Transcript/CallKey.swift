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
