import Foundation

extension ReportRun {
    /// A run as the runner recorded it: phases in plan order with the runner's statuses
    /// (phases never reached are "not run"), conversations from the sessions the runner
    /// started, reported costs summed from the invocations, unused canned replies listed.
    ///
    /// - Parameters:
    ///   - plan: the plan.
    ///   - state: the saved run state.
    ///   - sessions: the transcripts of the run's sessions (any order; missing ones are
    ///     shown without a conversation).
    ///   - invocations: the run's invocation records (for each phase's permission denials).
    ///   - signal: the signal that interrupted the run, when one did.
    public static func from(plan: Plan, state: RunState, sessions: [Session], invocations: [InvocationRecord] = [], signal: Int32? = nil) -> ReportRun {
        let byID = Dictionary(sessions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var phases: [ReportPhase] = []
        var used: [Session] = []
        for (i, (phasePlan, record)) in zip(plan.phases, state.phases).enumerated() {
            let number = i + 1
            let stem = Figures.twoDigits(number) + "-" + ReportSlug.make(phasePlan.name.slug, fallback: "phase")
            let session = record.sessionID.flatMap { byID[$0] }
            if let session, !used.contains(where: { $0.id == session.id }) { used.append(session) }
            // The runner's session holds this phase (and perhaps context before it).
            let phase = session.flatMap { s in
                let split = PhaseSplitter.split(s)
                return split.first { $0.name == phasePlan.name } ?? split.last
            }
            let outcome: PhaseOutcome
            switch record.status {
            case .done: outcome = .done
            case .stalled: outcome = .stalled
            case .failed: outcome = .failed
            case .pending: outcome = .notRun
            case .running: outcome = .stalled
            }
            var reason = record.reason ?? (record.status == .pending ? "not run" : "interrupted before it finished")
            if record.sessionID != nil && session == nil { reason += " (its transcript was not found)" }
            if let phase, record.status != .pending {
                // What the transcript shows that the record does not say.
                let notes = PhaseStops(phase).notes.filter { !reason.contains($0) }
                if !notes.isEmpty { reason += " (" + notes.joined(separator: "; ") + ")" }
            }
            var item = ReportPhase(
                number: number, name: phasePlan.name.command, fileStem: stem, phase: phase, session: session,
                outcome: outcome, reason: reason, reported: record.invocations > 0 ? USD(record.costUSD) : nil)
            item.unusedReplies = phasePlan.replies.enumerated().filter { !record.usedReplies.contains($0.offset) }.map(\.element.text)
            if let reply = plan.defaultReply, !phasePlan.replies.contains(where: { $0.text == reply }) { item.replyLabels[reply] = "default reply" }
            item.permissionDenials = invocations.filter { $0.phase == record.name }.flatMap { $0.permissionDenials ?? [] }
            item.startedAt = record.startedAt
            item.finishedAt = record.finishedAt
            phases.append(item)
        }
        var run = ReportRun(title: plan.slug, slug: plan.slug, phases: phases, sessions: used)
        run.runStatus = (RunVerdict(state, signal: signal), state.startedAt, state.updatedAt)
        return run
    }
}
