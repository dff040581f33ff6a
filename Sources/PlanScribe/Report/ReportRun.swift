import Foundation

/// How a phase ended, as the report shows it.
public enum PhaseOutcome: String, Sendable, Hashable, Codable {
    /// The agent said `PHASE_STATUS: ready_to_advance`.
    case done
    /// The phase ended waiting for input, or without a marker.
    case stalled
    /// The phase ended in an error (an API error, or a failure the runner recorded).
    case failed
    /// The phase never started.
    case notRun = "not-run"

    /// The label shown in reports.
    public var label: String {
        switch self {
        case .done: return "done"
        case .stalled: return "stalled"
        case .failed: return "failed"
        case .notRun: return "not run"
        }
    }
}

/// One phase as a report shows it.
public struct ReportPhase: Sendable {
    /// 1-based position in the run.
    public var number: Int
    /// The phase command (`/office-hours`), or `conversation` for text outside any phase.
    public var name: String
    /// The file name without extension: `01-office-hours`.
    public var fileStem: String
    /// The phase read from the transcript; nil when it never ran.
    public var phase: Phase?
    /// The session it was read from (for tool results and subagents).
    public var session: Session?
    /// How it ended.
    public var outcome: PhaseOutcome
    /// Why, in a sentence (shown on the page and in junit.xml).
    public var reason: String
    /// The CLI's own cost for the phase, when it is known for exactly this phase.
    public var reported: USD?
    /// Canned replies the plan gave for this phase that were never sent.
    public var unusedReplies: [String] = []

    /// Creates a report phase.
    public init(number: Int, name: String, fileStem: String, phase: Phase?, session: Session?, outcome: PhaseOutcome, reason: String, reported: USD?) {
        self.number = number
        self.name = name
        self.fileStem = fileStem
        self.phase = phase
        self.session = session
        self.outcome = outcome
        self.reason = reason
        self.reported = reported
    }
}

/// Everything a report is made from: the phases in order and the sessions they came from.
public struct ReportRun: Sendable {
    /// The report's title (the project or plan).
    public var title: String
    /// The slug used for the default output folder and in junit.xml.
    public var slug: String
    /// The phases, in order.
    public var phases: [ReportPhase]
    /// The sessions read.
    public var sessions: [Session]

    /// Creates a run.
    public init(title: String, slug: String, phases: [ReportPhase], sessions: [Session]) {
        self.title = title
        self.slug = slug
        self.phases = phases
        self.sessions = sessions
    }

    /// A run read from transcripts alone: phases split at slash-phase prompts, each judged by
    /// its final marker. A phase that is the whole of its session gets that session's
    /// reported cost.
    ///
    /// - Parameters:
    ///   - sessions: sessions, oldest first.
    ///   - title: a title; by default the name of the project folder.
    public static func from(sessions: [Session], title: String? = nil) -> ReportRun {
        var phases: [ReportPhase] = []
        for session in sessions {
            let split = PhaseSplitter.split(session)
            let withCalls = split.filter { !$0.apiCalls.isEmpty || $0.name != nil }
            for phase in split {
                let number = phases.count + 1
                let name = phase.name?.command ?? "conversation"
                let stem = String(format: "%02d-", number) + ReportSlug.make(phase.name?.slug ?? "conversation", fallback: "phase")
                let (outcome, reason) = judge(phase)
                let reported = withCalls.count == 1 ? session.reportedCostUSD.map(USD.init) : nil
                phases.append(ReportPhase(number: number, name: name, fileStem: stem, phase: phase, session: session, outcome: outcome, reason: reason, reported: reported))
            }
        }
        let project = sessions.compactMap(\.projectPath).first
        let name = title ?? project.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "transcripts"
        return ReportRun(title: name, slug: ReportSlug.make(name, fallback: "transcripts"), phases: phases, sessions: sessions)
    }

    /// Judges a phase from its transcript.
    static func judge(_ phase: Phase) -> (PhaseOutcome, String) {
        let last = phase.turns.last?.messages.last(where: { $0.role == .assistant })
        if let last, last.isAPIError {
            return (.failed, "the last response was an API error: " + Figures.oneLine(last.text, limit: 160))
        }
        switch phase.status {
        case .readyToAdvance?:
            return (.done, "ended with PHASE_STATUS: ready_to_advance")
        case .needsInput?:
            return (.stalled, "ended waiting for input (PHASE_STATUS: needs_input)")
        case nil:
            return (.stalled, phase.turns.contains { $0.finalText != nil } ? "the final turn has no PHASE_STATUS marker" : "no response")
        }
    }
}

/// Turns names into safe file and folder names.
public enum ReportSlug {
    /// Lower case `[a-z0-9-]`, no leading, trailing or doubled dashes, at most 64 characters;
    /// `fallback` when nothing is left.
    public static func make(_ text: String, fallback: String) -> String {
        var out = ""
        var dash = false
        for scalar in text.lowercased().unicodeScalars {
            let v = scalar.value
            if (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) {
                if dash && !out.isEmpty { out.append("-") }
                out.unicodeScalars.append(scalar)
                dash = false
            } else {
                dash = true
            }
            if out.count >= 64 { break }
        }
        return out.isEmpty ? fallback : out
    }
}
