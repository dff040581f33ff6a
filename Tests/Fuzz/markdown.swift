// libFuzzer harness: Markdown through cmark-gfm to HTML (safe) and back to defanged Markdown;
// the HTML must never contain a script tag or an event handler, and plain paragraphs written
// without cmark must be cmark's bytes. Text kept as written by
// `defanged` (inert: see InertMarkdown) must mean what the text means and, rendered alone or
// beside other text, hold no raw HTML, no image and no link that isSafeURL refuses.
/// libFuzzer's entry point: one input, checked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMarkdown(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    let html = Markdown.html(text).lowercased()
    if let plain = PlainMarkdown.html(text) {
        precondition(plain == Markdown.parsedHTML(text), "plain paragraphs written unlike cmark")
    }
    precondition(!html.contains("<script"), "script tag in HTML")
    precondition(!html.contains("javascript:") || !html.contains("href=\"javascript:"), "javascript link in HTML")
    let defanged = Markdown.defanged(text)
    if let inert = Markdown.inertText(text) {
        precondition(defanged == inert, "inert text not kept")
        let inertHTML = Markdown.html(inert)
        precondition(inertHTML == Markdown.html(text), "inert text changed meaning")
        precondition(!inertHTML.contains("<img") && !inertHTML.contains("<!--"), "markup from inert text")
        // Wherever a report puts it (after other text, quoted), it links nowhere unsafe.
        for combined in [inert + "\n" + inert, "- item\n\n" + inert, inert.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n")] {
            let html = Markdown.html(combined)
            precondition(!html.contains("<img") && !html.lowercased().contains("<script"), "markup from inert text in context")
            for href in html.components(separatedBy: "href=\"").dropFirst() {
                precondition(Markdown.isSafeURL(String(href.prefix { $0 != "\"" })), "unsafe link from inert text")
            }
        }
    }
    _ = Markdown.fenced(text, info: text)
    return 0
}
