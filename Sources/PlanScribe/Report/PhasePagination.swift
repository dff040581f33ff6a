/// A phase's conversation cut into pages of at most a given size of HTML, between messages
/// (a message is never split: one larger than the limit has a page of its own), so that a
/// long session gives pages a browser opens at once.
struct PhasePagination {
    /// Each page's messages.
    var bubbles: [[MessageBubble]]
    /// Each page's HTML, as ``MessageBubble/write(_:)`` (or a user's `message` template)
    /// writes it.
    var html: [String]
    /// The page each turn's prompt is on (from 1), by turn number.
    var pageOfTurn: [Int: Int]

    /// Cuts `messages` into pages of at most `limit` bytes of HTML each.
    static func pages(_ messages: [MessageBubble], limit: Int, templates: TemplateSet) -> PhasePagination {
        var result = PhasePagination(bubbles: [[]], html: [""], pageOfTurn: [:])
        for m in messages {
            let html = HTMLWriter.html(of: m, templates)
            if !result.bubbles[result.bubbles.count - 1].isEmpty, result.html[result.html.count - 1].utf8.count + html.utf8.count > limit {
                result.bubbles.append([])
                result.html.append("")
            }
            result.bubbles[result.bubbles.count - 1].append(m)
            result.html[result.html.count - 1] += html
            if let anchor = m.anchor, let turn = Int(anchor.dropFirst("turn-".count)) { result.pageOfTurn[turn] = result.bubbles.count }
        }
        return result
    }
}
