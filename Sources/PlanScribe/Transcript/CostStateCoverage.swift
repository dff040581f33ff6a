/// What a session's main transcript file shows about how far the CLI's running cost figure
/// (its `cost-state` lines) covers the calls written there. The session reader fills one and
/// asks it for the session's ``CostNote``s.
struct CostStateCoverage: Sendable {
    /// Each `cost-state` line with a figure: its line and the CLI's running total there.
    private(set) var figures: [(line: Int, usd: Double)] = []
    /// The line of the last `cost-state` with a figure.
    var lastFigureLine: Int? { figures.last?.line }
    /// The line of the last billed assistant line.
    var lastBilledLine: Int?
    /// A compaction boundary was written.
    var compacted = false
    /// A tool result says its call was cut off when the invocation ended (`toolDenialKind:
    /// "interrupted"`).
    var interrupted = false
    /// The agent called WebSearch.
    var searchedWeb = false

    mutating func figure(_ usd: Double, at line: Int) { figures.append((line, usd)) }

    /// For lines in increasing order, the CLI's running total written next after each (the
    /// figure its invocation ended with), nil after the last figure. A fork's copy of a line
    /// tells from this what its parent had spent at the fork.
    func figuresAfter(_ lines: [Int]) -> [Double?] {
        var out: [Double?] = []
        var next = 0
        for line in lines {
            while next < figures.count, figures[next].line < line { next += 1 }
            out.append(next < figures.count ? figures[next].usd : nil)
        }
        return out
    }
    mutating func billed(at line: Int) { lastBilledLine = max(lastBilledLine ?? line, line) }

    /// The notes for the session, in their order.
    var notes: [CostNote] {
        var notes: [CostNote] = []
        if compacted { notes.append(.compacted) }
        let callsAfterFigure = lastFigureLine.map { figure in (lastBilledLine ?? 0) > figure } ?? false
        if interrupted || callsAfterFigure { notes.append(.cutShort) }
        if searchedWeb { notes.append(.webSearch) }
        return notes
    }
}
