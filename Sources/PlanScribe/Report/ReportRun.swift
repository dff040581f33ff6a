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
    /// Not a planning phase: conversation that no phase command started (an ordinary chat,
    /// context before the first phase). Neither passed nor failed.
    case conversation

    /// The label shown in reports.
    public var label: String {
        switch self {
        case .done: return "done"
        case .stalled: return "stalled"
        case .failed: return "failed"
        case .notRun: return "not run"
        case .conversation: return "conversation"
        }
    }

    /// True for a planning phase that did not end ready to advance: a CI failure.
    public var isFailure: Bool { self == .stalled || self == .failed }
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
    /// How its canned messages read: the text the runner sent (unwrapped) → "default reply",
    /// "nudge", …; other wrapped prompts are canned replies.
    public var replyLabels: [String: String] = [:]
    /// Canned replies the plan gave for this phase that were never sent.
    public var unusedReplies: [String] = []
    /// For a run planscribe drove: the tools whose calls the CLI refused for want of
    /// permission, one per refused call.
    public var permissionDenials: [String] = []

    /// `the CLI refused 3 tool calls for want of permission (Write ×2, Bash)`, nil when it
    /// refused none.
    public var permissionNote: String? { PermissionNote.text(permissionDenials) }
    /// When the phase started (its first invocation), for a run planscribe drove.
    public var startedAt: String?
    /// When it finished.
    public var finishedAt: String?

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
    /// For a run planscribe drove: how it ended (its status and exit code), and when it
    /// started and last changed; nil for transcripts read alone.
    public var runStatus: (verdict: RunVerdict, startedAt: String, updatedAt: String)?

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
                let stem = Figures.twoDigits(number) + "-" + ReportSlug.make(phase.name?.slug ?? "conversation", fallback: "phase")
                let (outcome, reason) = judge(phase)
                let reported = withCalls.count == 1 ? session.reportedCostUSD.map(USD.init) : nil
                phases.append(ReportPhase(number: number, name: name, fileStem: stem, phase: phase, session: session, outcome: outcome, reason: reason, reported: reported))
            }
        }
        let project = sessions.compactMap(\.projectPath).first
        let name = title ?? project.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "transcripts"
        return ReportRun(title: name, slug: ReportSlug.make(name, fallback: "transcripts"), phases: phases, sessions: sessions)
    }

    /// Judges a phase from its transcript: its marker, or why it has none (the turn limit,
    /// an API error, an interruption), with what else went wrong on the way (denied tool
    /// calls). Conversation that no phase command started is not a planning phase.
    static func judge(_ phase: Phase) -> (PhaseOutcome, String) {
        let stops = PhaseStops(phase)
        let also = stops.notes.isEmpty ? "" : " (" + stops.notes.joined(separator: "; ") + ")"
        guard phase.name != nil else {
            return (.conversation, "not a planning phase: no phase command started it" + also)
        }
        let last = phase.turns.last?.messages.last(where: { $0.role == .assistant && !$0.isSynthetic || $0.isAPIError })
        if let last, last.isAPIError {
            return (.failed, "the last response was an API error: " + Figures.oneLine(last.text, limit: 160) + also)
        }
        switch phase.status {
        case .readyToAdvance?:
            return (.done, "ended with PHASE_STATUS: ready_to_advance" + also)
        case .needsInput?:
            return (.stalled, "ended waiting for input (PHASE_STATUS: needs_input)" + also)
        case nil:
            if stops.turnLimits > 0 {
                let others = stops.notes.dropFirst()
                return (
                    .failed, "stopped at the CLI's turn limit (--max-turns) \(stops.turnLimits)× without a PHASE_STATUS marker" + (others.isEmpty ? "" : " (" + others.joined(separator: "; ") + ")")
                )
            }
            if stops.interrupted { return (.failed, "interrupted before it finished" + also) }
            return (.stalled, (phase.turns.contains { $0.finalText != nil } ? "the final turn has no PHASE_STATUS marker" : "no response") + also)
        }
    }
}

/// What a phase's transcript shows about how it stopped, besides its marker: the CLI's turn
/// limit (`max_turns_reached` attachments), tool calls refused for want of permission, and an
/// invocation cut off (a tool result the end of the invocation interrupted, or the user's
/// interrupt).
struct PhaseStops {
    var turnLimits = 0
    var maxTurns: [Int] = []
    var deniedCalls = 0
    var interrupted = false

    init(_ phase: Phase) {
        for turn in phase.turns {
            if let prompt = turn.prompt, prompt.text.hasPrefix("[Request interrupted by user") { interrupted = true }
            for m in turn.messages {
                if case .attachment("max_turns_reached") = m.kind { turnLimits += 1 }
                if m.text.hasPrefix("[Request interrupted by user") { interrupted = true }
                for result in m.toolResults where result.isError {
                    if result.text.contains("requested permissions to") || result.text.contains("haven't granted it yet") { deniedCalls += 1 }
                    if result.text.hasPrefix("[Tool call interrupted") { interrupted = true }
                }
            }
        }
    }

    /// "reached the CLI's turn limit 2×", "3 tool calls denied permission", "interrupted".
    var notes: [String] {
        var notes: [String] = []
        if turnLimits > 0 { notes.append("reached the CLI's turn limit (--max-turns) \(turnLimits)×") }
        if deniedCalls > 0 { notes.append(Figures.plural(deniedCalls, "tool call") + " denied permission") }
        if interrupted { notes.append("interrupted") }
        return notes
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
