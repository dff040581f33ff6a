/// What a report's search looks through: every turn of every phase (its prompt, the
/// assistant's text and the tools it called), each with where it is and a link to it. It is
/// written into the index page as an inert `<template>` of escaped text, which planscribe's
/// own script (`html/search.js`) reads; it is never a script, and without the script it is
/// never shown.
struct SearchIndex {
    /// One turn.
    struct Entry {
        /// Its phase: `1. /office-hours`.
        var phase: String
        /// Its number in the phase, from 1.
        var turn: Int
        /// Its page and the anchor of its prompt: `phases/01-office-hours-2.html#turn-31`.
        var href: String
        var text: String
    }

    var entries: [Entry] = []
    /// How many characters of each turn are kept.
    var perTurn = SearchIndex.turnLimit
    /// Whether some turn's text was longer than that.
    var isCut = false

    /// The characters of text the index holds at most, over all turns.
    static let budget = 200_000
    /// The most kept of one turn, and the least when there are many turns.
    static let turnLimit = 1_000
    static let turnMinimum = 60

    /// The index of a run.
    ///
    /// - Parameters:
    ///   - run: the run.
    ///   - pageOfTurn: the page (from 1) each turn is on, by phase number and turn number.
    init(_ run: ReportRun, pageOfTurn: [Int: [Int: Int]]) {
        let turns = run.phases.reduce(0) { $0 + ($1.phase?.turns.count ?? 0) }
        perTurn = min(Self.turnLimit, max(Self.turnMinimum, Self.budget / max(1, turns)))
        for p in run.phases {
            guard let phase = p.phase else { continue }
            for (t, turn) in phase.turns.enumerated() {
                let number = t + 1
                // The turn's words up to the limit, taken a piece at a time: a turn's whole
                // text (tool-heavy replies run to megabytes) is never joined.
                var text = TurnText(limit: perTurn)
                if let prompt = turn.prompt, !prompt.isMeta {
                    text.add(ConversationView.promptLabel(prompt, first: t == 0, replies: p.replyLabels).1)
                }
                for m in turn.messages where m.role == .assistant {
                    for block in m.blocks {
                        switch block {
                        // A marker is on a reply's last line: only a text that fits can show it.
                        case .text(let words): text.add(words.utf8.count <= 4 * perTurn + 64 ? PhaseMarker.strip(words) : words)
                        case .toolUse(let use): text.add(use.name)
                        default: break
                        }
                    }
                }
                guard !text.words.isEmpty else { continue }
                if text.isCut { isCut = true }
                let page = ReportBuilder.pageFile(stem: p.fileStem, page: pageOfTurn[p.number]?[number] ?? 1)
                entries.append(
                    Entry(
                        phase: "\(p.number). \(p.name)", turn: number,
                        href: "phases/" + page + (turn.prompt == nil ? "" : "#" + DecisionList.anchor(turn: number)), text: text.words))
            }
        }
    }

    /// Pieces of a turn's text joined by spaces, on one line, up to `limit` characters and an
    /// ellipsis.
    private struct TurnText {
        let limit: Int
        var words = ""
        /// Characters in `words`.
        var length = 0
        var isCut = false

        mutating func add(_ piece: String) {
            guard !isCut, !piece.isEmpty else { return }
            let room = limit - length - (length > 0 ? 1 : 0)
            guard room > 1 else {
                isCut = true
                return
            }
            let line = Figures.oneLine(piece, limit: room)
            if length > 0 { words += " " }
            words += line
            length += (length > 0 ? 1 : 0) + line.count
            if line.hasSuffix("…") && !piece.hasSuffix("…") { isCut = true }
        }
    }

    /// The `<template id="search-data">` the script reads: a `<div data-phase>` per phase
    /// holding a `<p data-turn data-href>` per turn, every value escaped.
    var html: String {
        var out = "<template id=\"search-data\">\n"
        var phase: String?
        for entry in entries {
            if entry.phase != phase {
                if phase != nil { out += "</div>\n" }
                out += "<div data-phase=\"" + HTMLText.escape(entry.phase) + "\">\n"
                phase = entry.phase
            }
            out += "<p data-turn=\"\(entry.turn)\" data-href=\"" + HTMLText.escape(entry.href) + "\">" + HTMLText.escape(entry.text) + "</p>\n"
        }
        if phase != nil { out += "</div>\n" }
        return out + "</template>"
    }

    /// What the page says of the search's reach, when it does not hold every turn whole.
    var note: String? {
        isCut ? "Search looks at the first \(Figures.count(perTurn)) characters of each turn." : nil
    }
}
