// libFuzzer harness: Markdown through cmark-gfm to HTML (safe) and back to defanged Markdown;
// the HTML must never contain a script tag or an event handler. Text kept as written by
// `defanged` (inert: no markup, links or fences possible) must mean what the text means and,
// rendered, hold no raw HTML, image or link other than an autolink.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMarkdown(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    let html = Markdown.html(text).lowercased()
    precondition(!html.contains("<script"), "script tag in HTML")
    precondition(!html.contains("javascript:") || !html.contains("href=\"javascript:"), "javascript link in HTML")
    let defanged = Markdown.defanged(text)
    if let inert = Markdown.inertText(text) {
        precondition(defanged == inert, "inert text not kept")
        let inertHTML = Markdown.html(inert)
        precondition(inertHTML == Markdown.html(text), "inert text changed meaning")
        precondition(!inertHTML.contains("<img") && !inertHTML.contains("<!--"), "markup from inert text")
    }
    _ = Markdown.fenced(text, info: text)
    return 0
}
