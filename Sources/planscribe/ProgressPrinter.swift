import Dispatch
import Foundation
import PlanScribe

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Progress on stderr. On a terminal: one live line, rewritten as the running invocation
/// spends (and every second, so that its clock moves), cut to the terminal's width; lines
/// that matter stay. Elsewhere (CI, pipes): plain lines, and while an invocation runs a
/// heartbeat line every `heartbeat` seconds.
final class ProgressPrinter: @unchecked Sendable {
    private let quiet: Bool
    private let live: Bool
    private let heartbeat: Double
    private let lock = NSLock()
    private let started = Date()
    private var runUSD = 0.0
    private var phase = ""
    /// The running invocation: what it is, when it began, what it has spent so far.
    private var running: (what: String, since: Date, usd: Double, calls: Int)?
    private var lastBeat = Date()
    private var hasLiveLine = false
    private var timer: DispatchSourceTimer?

    init(quiet: Bool, heartbeat: Double, environment: [String: String]) {
        self.quiet = quiet
        self.heartbeat = heartbeat
        self.live = isatty(2) != 0 && (environment["CI"] ?? "").isEmpty && environment["TERM"] != "dumb"
        guard !quiet, live || heartbeat > 0 else { return }
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        self.timer = timer
    }

    func show(_ event: RunnerEvent) {
        guard !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .runStarted(_, let resumed, let spent):
            runUSD = spent
            if resumed && spent > 0 { line("planscribe: resuming a run that has spent \(USD(spent).description)", keep: true) }
        case .phaseStarted(let index, let count, let name, let resumed):
            phase = "[\(index)/\(count)] \(name)"
            line("\(phase): \(resumed ? "resuming" : "starting")", keep: !live)
        case .invocationStarted(_, let kind, let replyNumber, let question, let reply, let choice):
            let what: String
            switch kind {
            case .start: what = "first turn"
            case .reply: what = "reply \(replyNumber)"
            case .nudge: what = "nudge for the missing marker (reply \(replyNumber))"
            case .retry: what = "retry after running out of turns"
            }
            if kind == .reply || kind == .nudge, let question {
                // The question and the reply chosen for it stay on screen.
                line("\(phase): asked: \(question)", keep: true)
                if kind == .reply, let reply { line("\(phase): answering with \(choice ?? "a reply"): \(reply)", keep: true) }
            }
            running = (what, Date(), 0, 0)
            lastBeat = Date()
            line(runningLine(), keep: !live)
        case .apiRetry(let attempt, let maxRetries, let status):
            line("\(phase): the CLI retries an API error\(status.map { " (\($0))" } ?? ""), attempt \(attempt) of \(maxRetries)", keep: true)
        case .spending(_, let usd, let calls, let run):
            running?.usd = usd
            running?.calls = calls
            runUSD = max(runUSD, run)
            if live { line(runningLine(), keep: false) }
        case .invocationFinished(_, let costUSD, let estimated, let marker, let failure, let denied, let seconds, let run):
            running = nil
            runUSD = run
            var text = "\(phase): " + String(format: "%.1f s", seconds)
            if let costUSD { text += " · " + (estimated ? "≈ " : "") + USD(costUSD).description }
            if let marker { text += " · \(marker.rawValue)" } else if failure == nil { text += " · no marker" }
            if let failure { text += " · " + Redactor.redact(failure) }
            if !denied.isEmpty { text += " · the CLI refused " + Figures.plural(denied.count, "tool call") + " (" + Array(Set(denied)).sorted().joined(separator: ", ") + ")" }
            line(text + " · total \(USD(run).description) · \(Self.clock(Date().timeIntervalSince(started)))", keep: !live)
        case .budgetReached(let crossing):
            line("planscribe: over budget: \(crossing.reason); the CLI was ended", keep: true)
        case .orphanEnded(let pid):
            line("planscribe: ended the Claude Code CLI (pid \(pid)) that the interrupted run had left running", keep: true)
        case .phaseFinished(_, let status, let reason):
            line("\(phase): \(status.rawValue) (\(reason))", keep: true)
        case .runFinished:
            running = nil
        }
    }

    func finish() {
        timer?.cancel()
        timer = nil
        lock.lock()
        defer { lock.unlock() }
        if hasLiveLine { FileHandle.standardError.write(Data("\n".utf8)) }
        hasLiveLine = false
    }

    private func tick() {
        lock.lock()
        defer { lock.unlock() }
        guard running != nil else { return }
        if live {
            line(runningLine(), keep: false)
        } else if heartbeat > 0, Date().timeIntervalSince(lastBeat) >= heartbeat {
            lastBeat = Date()
            line(runningLine() + " (still running)", keep: true)
        }
    }

    /// `[1/4] /office-hours: reply 2 … 1 min 5 s · ≈ $0.41 in 37 API calls · total $1.20`.
    private func runningLine() -> String {
        guard let running else { return phase }
        var text = "\(phase): \(running.what) … \(Self.clock(Date().timeIntervalSince(running.since)))"
        if running.calls > 0 { text += " · ≈ \(USD(running.usd).formatted(decimals: 4)) in \(Figures.plural(running.calls, "API call"))" }
        return text + " · total ≈ \(USD(runUSD).formatted(decimals: 4))"
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds)
        return s < 60 ? "\(s) s" : "\(s / 60) min \(s % 60) s"
    }

    private func line(_ raw: String, keep: Bool) {
        var text = Console.visible(raw)
        if live {
            // A wrapped live line would leave its first rows behind when rewritten.
            let width = Self.terminalWidth()
            if !keep, text.count > width - 1 { text = String(text.prefix(max(1, width - 2))) + "…" }
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text + (keep ? "\n" : "")).utf8))
            hasLiveLine = !keep
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
