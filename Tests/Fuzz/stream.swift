// libFuzzer harness: bytes as the CLI's stream-json stdout, fed in two pieces.
/// libFuzzer's entry point: one input, checked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStream(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var splitter = StreamSplitter(onEvent: { _ in }, raw: nil)
    let half = size / 2
    splitter.feed(UnsafeRawBufferPointer(rebasing: bytes[0..<half]))
    splitter.feed(UnsafeRawBufferPointer(rebasing: bytes[half...]))
    splitter.finish()
    _ = splitter.outcome.failure
    _ = splitter.outcome.finalText.flatMap(PhaseMarker.status(of:))
    return 0
}
