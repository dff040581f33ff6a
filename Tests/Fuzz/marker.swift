// libFuzzer harness: text through the marker protocol, phase names, prompt text, redaction.
/// libFuzzer's entry point: one input, checked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMarker(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    _ = PhaseMarker.status(of: text)
    let stripped = PhaseMarker.strip(text)
    precondition(PhaseMarker.strip(stripped) == stripped, "strip is not idempotent")
    precondition(stripped == PhaseMarker.stripLineByLine(text), "the shortcut for texts without markers differs")
    precondition(!Redactor.expressionFindsSecret(text) || Redactor.mayContainSecret(text), "the byte scan passed over a secret")
    _ = PhaseName.startedBy(prompt: text)
    _ = PhaseName(text)
    _ = PromptText.plain(text)
    _ = Redactor.redact(text)
    return 0
}
