// libFuzzer harness: bytes as a transcript file → lines decoded, a session assembled, split
// into phases, costed and summed up. Built by Tests/Fuzz/run.sh with the library's sources.
// Each line is also read as a JSON value in place, which must agree with JSONDecoder
// whenever it gives a value, and walked as `cost` walks it, which must agree with the
// decoder; a session that `cost` reads compact must give the rows of the full read.
import Foundation

/// libFuzzer's entry point: one input, checked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTranscript(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    for detail in [ReadDetail.full, .summary, .usage] {
        let file = TranscriptFile.read(bytes: bytes, path: "fuzz.jsonl", detail: detail)
        let parsed = SessionReader.ParsedSession(source: SessionSource(file: "fuzz.jsonl"), main: file, subagents: [], preassembled: nil)
        var filter = DuplicateFilter()
        let session = SessionReader(detail: detail).assemble(parsed, filter: &filter)
        var ledger = CostLedger()
        ledger.add(session, phases: PhaseSplitter.split(session))
        _ = SessionSummary(session, ledger: ledger)
        // A session that reads clean is read compact by `cost`: the same rows.
        if detail == .usage, let usage = UsageSession.read(bytes: bytes, path: "fuzz.jsonl") {
            var compact = CostLedger()
            compact.add(usage)
            for grouping in CostGrouping.allCases {
                precondition(compact.rows(by: grouping) == ledger.rows(by: grouping), "compact cost rows differ by \(grouping)")
            }
            precondition(compact.total == ledger.total, "compact cost total differs")
            precondition(usage.reports == session.reports, "compact file report differs")
        }
    }
    for line in bytes.split(separator: 0x0A) {
        // One decoder: a line the walk rejects is one Codable rejects too (it only explains),
        // unless a key is given twice (JSONDecoder keeps the first, the walk the last).
        if case .malformed(let reason) = LineDecoder().decode(UnsafeRawBufferPointer(rebasing: line)), reason == LineDecoder.unreadable {
            precondition(hasRepeatedKey(UnsafeRawBufferPointer(rebasing: line)), "the walk rejects a line Codable reads")
        }
        if let difference = UsageLine.disagreement(UnsafeRawBufferPointer(rebasing: line)) {
            preconditionFailure("the usage walk differs from the decoder: \(difference)")
        }
        let text = String(decoding: line, as: UTF8.self)
        if let value = FastLineDecoder.jsonValue(of: text) {
            precondition(value.sortingKeys == (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))), "in-place JSON value differs")
        }
    }
    return 0
}

/// True when some object in the JSON line gives a key twice (keys compared as they read,
/// escapes undone, as JSONDecoder compares them).
func hasRepeatedKey(_ line: UnsafeRawBufferPointer) -> Bool {
    guard let base = line.baseAddress else { return false }
    var c = FastLineDecoder.Cursor(base: base, end: line.count)
    var repeated = false
    func value(_ c: inout FastLineDecoder.Cursor, depth: Int) -> Bool {
        guard depth < 600 else { return false }
        c.skipWhitespace()
        switch c.peek {
        case UInt8(ascii: "{"):
            var keys = Set<String>()
            return c.walkObject(key: { FastLineDecoder.unescape($0) ?? String(decoding: $0, as: UTF8.self) }) { key, c in
                if !keys.insert(key).inserted { repeated = true }
                return value(&c, depth: depth + 1)
            }
        case UInt8(ascii: "["):
            return FastLineDecoder.array(&c) { value(&$0, depth: depth + 1) }
        default:
            return c.skipValue()
        }
    }
    _ = value(&c, depth: 0)
    return repeated
}
