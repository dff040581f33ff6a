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
        if let difference = UsageLine.disagreement(UnsafeRawBufferPointer(rebasing: line)) {
            preconditionFailure("the usage walk differs from the decoder: \(difference)")
        }
        let text = String(decoding: line, as: UTF8.self)
        if let value = FastLineDecoder.jsonValue(of: text) {
            precondition(value == (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))), "in-place JSON value differs")
        }
    }
    return 0
}
