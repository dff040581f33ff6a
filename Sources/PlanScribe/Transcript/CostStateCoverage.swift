/// What a session's main transcript file shows about how far the CLI's running cost figure
/// (its `cost-state` lines) covers the calls written there. Both session readers fill one and
/// ask it for the session's ``CostNote``s, so the rule lives here once.
struct CostStateCoverage: Sendable {
    /// The line of the last `cost-state` with a figure.
    var lastFigureLine: Int?
    /// The line of the last billed assistant line.
    var lastBilledLine: Int?
    /// A compaction boundary was written.
    var compacted = false
    /// A tool result says its call was cut off when the invocation ended (`toolDenialKind:
    /// "interrupted"`).
    var interrupted = false

    mutating func figure(at line: Int) { lastFigureLine = line }
    mutating func billed(at line: Int) { lastBilledLine = max(lastBilledLine ?? line, line) }

    /// The notes for the session, in their order.
    var notes: [CostNote] {
        var notes: [CostNote] = []
        if compacted { notes.append(.compacted) }
        let callsAfterFigure = lastFigureLine.map { figure in (lastBilledLine ?? 0) > figure } ?? false
        if interrupted || callsAfterFigure { notes.append(.cutShort) }
        return notes
    }
}
