// libFuzzer harness: bytes as a transcript file → lines decoded, a session assembled, split
// into phases, costed and summed up. Built by Tests/Fuzz/run.sh with the library's sources.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTranscript(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    for detail in [ReadDetail.full, .summary] {
        let file = TranscriptFile.read(bytes: bytes, path: "fuzz.jsonl", detail: detail)
        let parsed = SessionReader.ParsedSession(source: SessionSource(file: "fuzz.jsonl"), main: file, subagents: [], preassembled: nil)
        var filter = DuplicateFilter()
        let session = SessionReader(detail: detail).assemble(parsed, filter: &filter)
        var ledger = CostLedger()
        ledger.add(session, phases: PhaseSplitter.split(session))
        _ = SessionSummary(session, ledger: ledger)
    }
    return 0
}
