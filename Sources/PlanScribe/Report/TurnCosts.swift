/// What the CLI reported for each turn of a session: in `-p` mode every turn is an
/// invocation, and the CLI writes its running total (a `cost-state` line) as each one ends, so
/// a turn's own cost is the growth of that total from the end of the turn before. A turn
/// gets a figure only when both ends are known: a total written between its last line and
/// the next turn, and one at the end of the turn before (or none before the session's first
/// turn); turns that one invocation covered together (an interactive session) get none.
enum TurnCosts {
    /// The reported cost of each turn of `session`, by the uuid of the turn's first message.
    static func reported(in session: Session) -> [String: USD] {
        let figures = session.costFigures
        guard !figures.isEmpty else { return [:] }
        let turns = PhaseSplitter.split(session).flatMap(\.turns).compactMap { turn -> (id: String, first: Int, last: Int)? in
            let messages = (turn.prompt.map { [$0] } ?? []) + turn.messages
            guard let first = messages.first, let low = messages.map(\.line).min(), let high = messages.map(\.line).max() else { return nil }
            return (first.uuid, low, high)
        }
        var out: [String: USD] = [:]
        var base: Double? = figures.contains { $0.line < (turns.first?.first ?? 0) } ? nil : 0
        var f = 0  // figures and turns are both in line order: one pass over each
        for (k, turn) in turns.enumerated() {
            let next = k + 1 < turns.count ? turns[k + 1].first : Int.max
            while f < figures.count && figures[f].line <= turn.last { f += 1 }
            var end: Double?
            while f < figures.count && figures[f].line < next {
                end = figures[f].usd
                f += 1
            }
            if let end, let from = base, end >= from { out[turn.id] = USD(end) - USD(from) }
            base = end
        }
        return out
    }
}
