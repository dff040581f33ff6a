/// A cost table as a page shows it: its cells as text. Written by ``CostTableHTML`` for the
/// built-in partial and handed to Mustache as ``context`` for a user's `cost-table` template.
struct CostTableView {
    /// One row: a phase or a turn, or the total.
    struct Row {
        var name: String
        /// The page the row links to.
        var href: String?
        var calls: String
        var input: String
        var output: String
        var cacheWrite: String
        var cacheRead: String
        var estimated: String
        var reported: String
        /// Estimated and reported differ by more than 1 %.
        var differs: Bool
        /// Why they may differ, when they do.
        var why: [String]
        /// How far the reported figure covers the sessions, when not all of them.
        var coverage: String?

        /// The row as the templates see it.
        var context: [String: Any] {
            [
                "name": name, "href": href ?? false, "calls": calls, "input": input, "output": output, "cache_write": cacheWrite,
                "cache_read": cacheRead, "estimated": estimated, "reported": reported, "differs": differs, "why": why,
                "coverage": coverage ?? false,
            ]
        }
    }

    /// The first column's header: `phase` or `turn`.
    var firstHeader: String
    var rows: [Row]
    var total: Row
    /// Models without a price, listed.
    var unpriced: String?

    /// Some row differs.
    var anyDiffers: Bool { (rows + [total]).contains(where: \.differs) }

    /// The reasons rows differ, each once, in order.
    var differsWhy: String? {
        var why: [String] = []
        for reason in (rows + [total]).flatMap(\.why) where !why.contains(reason) { why.append(reason) }
        return why.isEmpty ? nil : why.joined(separator: "; ")
    }

    /// The table as the templates see it.
    var context: [String: Any] {
        [
            "first_header": firstHeader, "rows": rows.map(\.context), "total": total.context, "any_differs": anyDiffers,
            "differs_why": differsWhy ?? false, "coverage": total.coverage ?? false, "unpriced": unpriced ?? false,
        ]
    }
}

/// The strip of a run's phases at the top of every page.
struct PhaseStripView {
    /// One phase in it.
    struct Item {
        var number: Int
        var name: String
        /// Its outcome's CSS class and label.
        var outcome: String
        var outcomeLabel: String
        var reason: String
        var href: String
        var markdownHref: String
        /// The page being shown is this phase's.
        var current: Bool

        /// The item as the templates see it.
        var context: [String: Any] {
            [
                "number": number, "name": name, "outcome": outcome, "outcome_label": outcomeLabel, "reason": reason, "href": href,
                "md_href": markdownHref, "current": current,
            ]
        }
    }

    var items: [Item]

    /// The strip as the templates see it.
    var context: [[String: Any]] { items.map(\.context) }
}
