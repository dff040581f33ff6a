// libFuzzer harness: plan file text through the YAML reader and every field check.
// A plan either parses into something that obeys its own rules or fails with a PlanError
// that names the file and, when it has one, a line inside the text.
import Foundation

/// libFuzzer's entry point: one input, checked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlan(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    // libyaml counts CR, LF, CRLF, NEL (U+0085), LS and PS (U+2028, U+2029) as line breaks;
    // counting each of them apart is an upper bound
    let lines = 1 + text.unicodeScalars.reduce(0) { $0 + ([0x0A, 0x0D, 0x85, 0x2028, 0x2029].contains($1.value) ? 1 : 0) }
    do {
        let plan = try Plan.parse(text, file: "fuzz.yaml", environment: ["HOME": "/nonexistent"], currentDirectory: FileManager.default.currentDirectoryPath + "/plan-cwd")
        precondition(plan.slug.range(of: Plan.slugPattern, options: .regularExpression) != nil, "slug escaped its pattern")
        precondition(!plan.slug.contains("/") && !plan.slug.contains(".."), "slug names a path")
        precondition(!plan.phases.isEmpty, "a plan without phases")
        precondition(Set(plan.phases.map(\.name)).count == plan.phases.count, "a phase twice")
        precondition(plan.claude.retryMaxTurns >= plan.claude.maxTurns, "retry below max_turns")
        for phase in plan.phases { precondition((0...100).contains(phase.maxReplies)) }
    } catch let error as PlanError {
        precondition(error.file == "fuzz.yaml")
        if let line = error.line { precondition(line >= 0 && line <= lines + 1, "line \(line) outside \(lines) lines") }
        precondition(!error.description.isEmpty)
    } catch {
        preconditionFailure("not a PlanError: \(error)")
    }
    return 0
}
