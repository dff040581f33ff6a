// libFuzzer harness: bytes as a transcript file → lines decoded, a session assembled, split
// into phases, costed and summed up. Built by Tests/Fuzz/run.sh with the library's sources.
// Each line is also read as a JSON value in place, which must agree with JSONDecoder
// whenever it gives a value; a session read at the detail `cost` reads must give the rows
// of the full read when its lines read the same.
import Foundation

/// libFuzzer's entry point: one input, checked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTranscript(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var ledgers: [CostLedger] = []
    var reports: [[FileReadReport]] = []
    for detail in [ReadDetail.full, .summary, .usage] {
        let file = TranscriptFile.read(bytes: bytes, path: "fuzz.jsonl", detail: detail)
        let parsed = SessionReader.ParsedSession(source: SessionSource(file: "fuzz.jsonl"), main: file, subagents: [], preassembled: nil)
        var filter = DuplicateFilter()
        let session = SessionReader(detail: detail).assemble(parsed, filter: &filter)
        var ledger = CostLedger()
        ledger.add(session, phases: PhaseSplitter.split(session))
        _ = SessionSummary(session, ledger: ledger)
        ledgers.append(ledger)
        reports.append(session.reports)
    }
    // `cost` reads at the usage detail, reports in full. Where every line reads the same at
    // both (a body the usage read skips may be one the full read rejects), so do the figures.
    if reports[2] == reports[0] {
        for grouping in CostGrouping.allCases {
            precondition(ledgers[2].rows(by: grouping) == ledgers[0].rows(by: grouping), "cost rows by \(grouping) depend on the read detail")
        }
        precondition(ledgers[2].total == ledgers[0].total, "the cost total depends on the read detail")
    }
    var decoder = LineDecoder()
    for line in bytes.split(separator: 0x0A) {
        // One decoder: a line the walk rejects is one Codable rejects too (it only explains),
        // unless a key is given twice (JSONDecoder keeps the first, the walk the last).
        if case .malformed(let reason) = decoder.decode(UnsafeRawBufferPointer(rebasing: line)), reason == LineDecoder.unreadable {
            precondition(hasRepeatedKey(UnsafeRawBufferPointer(rebasing: line)), "the walk rejects a line Codable reads")
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
