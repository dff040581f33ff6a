import Foundation

/// `junit.xml`: one test case per phase; a planning phase that did not reach
/// `ready_to_advance` fails with the reason, one that never ran is skipped, and conversation
/// outside any phase passes (it is not a planning phase).
enum JUnitReport {
    static func xml(run: ReportRun, figures: ReportBuilder.RunFigures) -> String {
        let failures = run.phases.filter(\.outcome.isFailure).count
        let skipped = run.phases.filter { $0.outcome == .notRun }.count
        let suite = "planscribe." + run.slug
        var seconds = 0.0
        var cases: [String] = []
        for (p, e) in zip(run.phases, figures.phases) {
            let time = duration(p.phase)
            seconds += time
            let name = Figures.twoDigits(p.number) + " " + p.name
            var body = "<testcase classname=\"\(escape(suite))\" name=\"\(escape(name))\" time=\"\(Figures.fixed(time, places: 3))\">"
            if p.outcome.isFailure {
                body += "\n    <failure type=\"\(p.outcome.rawValue)\" message=\"\(escape(p.outcome.label + ": " + p.reason))\">\(escape(p.reason))</failure>"
            } else if p.outcome == .notRun {
                body += "\n    <skipped message=\"\(escape(p.reason))\"/>"
            }
            var out = "turns: \(p.phase?.turns.count ?? 0), API calls: \(e.calls), estimated cost: \(e.completeCost?.description ?? "unknown"), reported cost: \(p.reported?.description ?? "none")"
            if let note = p.permissionNote { out += "\n" + note }
            body += "\n    <system-out>\(escape(out))</system-out>"
            body += "\n  </testcase>"
            cases.append("  " + body)
        }
        // The gates (`--fail-on`): a suite of their own, a failed gate a failure named by it.
        var gateSuite = ""
        let gateFailures = figures.gates.filter(\.failed).count
        if !figures.gates.isEmpty {
            let gateName = suite + ".gates"
            let gateCases = figures.gates.map { g in
                var body = "  <testcase classname=\"\(escape(gateName))\" name=\"\(escape("gate " + g.gate.description))\" time=\"0.000\">"
                if g.failed {
                    body += "\n    <failure type=\"gate\" message=\"\(escape("gate " + g.gate.description + " failed: " + g.message))\">\(escape(g.message))</failure>"
                } else {
                    body += "\n    <system-out>\(escape(g.message))</system-out>"
                }
                return body + "\n  </testcase>"
            }
            gateSuite =
                "\n<testsuite name=\"\(escape(gateName))\" tests=\"\(figures.gates.count)\" failures=\"\(gateFailures)\" errors=\"0\" skipped=\"0\" time=\"0.000\">\n"
                + gateCases.joined(separator: "\n") + "\n</testsuite>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="planscribe" tests="\(run.phases.count + figures.gates.count)" failures="\(failures + gateFailures)" errors="0" time="\(Figures.fixed(seconds, places: 3))">
            <testsuite name="\(escape(suite))" tests="\(run.phases.count)" failures="\(failures)" errors="0" skipped="\(skipped)" time="\(Figures.fixed(seconds, places: 3))">
            \(cases.joined(separator: "\n"))
            </testsuite>\(gateSuite)
            </testsuites>

            """
    }

    /// Seconds from the phase's first to its last timestamp.
    static func duration(_ phase: Phase?) -> Double {
        guard let phase else { return 0 }
        // The earliest and latest stamps, without copying the messages.
        var earliest: String?
        var latest: String?
        func see(_ message: Message) {
            guard let stamp = message.timestamp else { return }
            if earliest.map({ stamp < $0 }) ?? true { earliest = stamp }
            if latest.map({ stamp > $0 }) ?? true { latest = stamp }
        }
        for turn in phase.turns {
            if let prompt = turn.prompt { see(prompt) }
            turn.messages.forEach(see)
        }
        guard let first = earliest.flatMap(Timestamp.seconds), let last = latest.flatMap(Timestamp.seconds) else { return 0 }
        return max(0, last - first)
    }

    /// XML text and attribute escaping; characters XML 1.0 cannot hold are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
