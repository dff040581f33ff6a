import Foundation

/// What the agent said about its phase on the final line of a turn.
public enum PhaseStatus: String, Sendable, Hashable, Codable {
    /// `PHASE_STATUS: ready_to_advance`: the phase is done.
    case readyToAdvance = "ready_to_advance"
    /// `PHASE_STATUS: needs_input`: the agent waits for an answer.
    case needsInput = "needs_input"
}

/// Finds and strips the `PHASE_STATUS` marker lines of the planning protocol.
///
/// A marker is a line of its own, outside fenced code, reading `PHASE_STATUS:
/// ready_to_advance` or `PHASE_STATUS: needs_input`; surrounding spaces, `**bold**`, `_emphasis_`,
/// backticks and a trailing period are tolerated. The words inside a sentence or a code
/// block are not a marker.
public enum PhaseMarker {
    /// The status given by the last non-blank line outside code, or nil when that line is not
    /// a marker.
    ///
    /// - Parameter text: an assistant turn's final text.
    public static func status(of text: String) -> PhaseStatus? {
        guard mayHoldMarker(text) else { return nil }
        var last: PhaseStatus?
        var sawText = false
        forEachLine(text) { line, _, inCode in
            if inCode {
                sawText = true
                last = nil
                return
            }
            if line.allSatisfy(\.isWhitespace) { return }
            sawText = true
            last = markerStatus(line)
        }
        return sawText ? last : nil
    }

    /// The text with every marker line removed (code blocks untouched) and trailing blank
    /// lines dropped.
    ///
    /// - Parameter text: text to display.
    public static func strip(_ text: String) -> String {
        if !mayHoldMarker(text), let trimmed = droppingTrailingBlankLines(text) { return trimmed }
        return stripLineByLine(text)
    }

    /// ``strip(_:)`` without its shortcut (tests compare the two).
    static func stripLineByLine(_ text: String) -> String {
        var kept: [Substring] = []
        forEachLine(text) { line, raw, inCode in
            if !inCode, markerStatus(line) != nil { return }
            kept.append(raw)  // as it was, carriage return included: stripping twice changes nothing
        }
        while let last = kept.last, last.allSatisfy(\.isWhitespace) { kept.removeLast() }
        return kept.joined(separator: "\n")
    }

    /// The status a single line states, if it is a marker line.
    public static func markerStatus<S: StringProtocol>(_ line: S) -> PhaseStatus? {
        guard line.utf8.count < 120, line.contains("PHASE_STATUS") || line.lowercased().contains("phase_status") else { return nil }
        var s = String(line.filter { $0 != "*" && $0 != "`" }).trimmingCharacters(in: .whitespaces)
        // Emphasis with underscores around the whole line.
        while s.hasPrefix("_"), s.hasSuffix("_"), s.count > 2 { s = String(s.dropFirst().dropLast()) }
        while s.hasSuffix(".") { s.removeLast() }
        s = s.trimmingCharacters(in: .whitespaces)
        guard let colon = s.firstIndex(of: ":") else { return nil }
        let key = s[..<colon].trimmingCharacters(in: .whitespaces)
        guard key.uppercased() == "PHASE_STATUS" else { return nil }
        var value = s[s.index(after: colon)...].trimmingCharacters(in: .whitespaces).lowercased()
        if PhaseStatus(rawValue: value) == nil, value.count > 2, value.hasPrefix("_"), value.hasSuffix("_") {
            value = String(value.dropFirst().dropLast())  // _needs_input_ (emphasis)
        }
        return PhaseStatus(rawValue: value)
    }

    /// False when no line can be a marker: "phase_status" appears nowhere, in any case.
    static func mayHoldMarker(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes -> Bool in
            guard bytes.count >= 12 else { return false }
            func word(_ start: Int, _ w: StaticString) -> Bool {
                for k in 0..<w.utf8CodeUnitCount where bytes[start + k] | 0x20 != w.utf8Start[k] { return false }
                return true
            }
            var found = false
            // "phase_status": an underscore with "phase" before it and "status" after it
            UnsafeBufferPointer(rebasing: bytes[..<(bytes.count - 6)]).forEachOffset(of: 0x5F, from: 5) { at in
                found = word(at - 5, "phase") && word(at + 1, "status")
                return !found
            }
            return found
        }
    }

    /// What ``strip(_:)`` makes of a text without markers, computed without splitting it:
    /// the text up to the line break after its last non-blank character. Nil when the tail
    /// holds characters other than ASCII spaces and line breaks (the slow path decides).
    private static func droppingTrailingBlankLines(_ text: String) -> String? {
        let utf8 = text.utf8
        var end = utf8.endIndex
        var lineBreak: String.Index?
        while end > utf8.startIndex {
            let before = utf8.index(before: end)
            switch utf8[before] {
            case 0x0A: lineBreak = before
            case 0x20, 0x09, 0x0D, 0x0B, 0x0C: break
            case let byte where byte >= 0x80: return nil
            default:
                guard let lineBreak else { return text }
                return String(text[..<lineBreak])
            }
            end = before
        }
        return ""
    }

    /// Calls `body` with each line (without a trailing carriage return), the line as it was,
    /// and whether it lies inside a fenced code block (fence lines count as code).
    private static func forEachLine(_ text: String, _ body: (Substring, Substring, Bool) -> Void) {
        var fence: Substring?
        for raw in text.utf8Lines {
            var line = raw
            if line.utf8.last == 0x0D { line = line.dropLast() }
            let trimmed = line.drop { $0 == " " }
            let isFence = line.count - trimmed.count <= 3 && (trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~"))
            if let open = fence {
                body(line, raw, true)
                if isFence, trimmed.hasPrefix(open), trimmed.drop(while: { $0 == open.first }).allSatisfy(\.isWhitespace) {
                    fence = nil
                }
            } else if isFence {
                let ch = trimmed.first!
                fence = trimmed.prefix { $0 == ch }
                body(line, raw, true)
            } else {
                body(line, raw, false)
            }
        }
    }
}
