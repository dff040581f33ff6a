/// The notes printed under a cost table: which rows' estimate and reported figure differ and
/// why, as far as the transcripts show, and how much of a total the reported figure covers.
public enum CostFootnote {
    /// The lines to print; none when there is nothing to say.
    ///
    /// - Parameters:
    ///   - rows: the table's session rows (other rows carry no reported figure).
    ///   - total: the total row.
    ///   - key: how a session row is named in the table.
    public static func lines(rows: [CostRow], total: CostRow, key: (String) -> String) -> [String] {
        var out: [String] = []
        let flagged = rows.filter(\.differs).map { (key($0.key), $0) } + (total.differs ? [("total", total)] : [])
        if !flagged.isEmpty {
            out.append("* estimated and reported differ by more than 1 %" + (flagged.contains { !$0.1.notes.isEmpty } ? ":" : ""))
            var told = Set<CostNote>()
            for (name, row) in flagged {
                // The total's notes are its sessions'; each is told once.
                for note in row.notes where name != "total" || !told.contains(note) {
                    out.append("  \(name): \(note.explanation)")
                    told.insert(note)
                }
            }
        }
        if let coverage = coverage(total) { out.append(coverage) }
        return out
    }

    /// "4 of 9": how many of a row's sessions its reported figure covers, when not all (and
    /// some) do; nil otherwise.
    public static func share(reported: Int, of sessions: Int) -> String? {
        reported > 0 && reported < sessions ? "\(reported) of \(sessions)" : nil
    }

    /// "The reported total covers 3 of 5 sessions …" for a total only partly reported.
    public static func coverage(_ total: CostRow) -> String? {
        guard total.isPartlyReported, let reported = total.reported else { return nil }
        let estimate = total.reportedEstimate?.completeCost.map { ", whose estimate is \($0.description)" } ?? ""
        return "The reported \(reported.description) covers \(total.sessionsReported) of \(total.sessions) sessions\(estimate); the others carry no figure of the CLI's."
    }
}
