// libFuzzer harness: Markdown through cmark-gfm to HTML (safe) and back to defanged Markdown;
// the HTML must never contain a script tag or an event handler.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMarkdown(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    let html = Markdown.html(text).lowercased()
    precondition(!html.contains("<script"), "script tag in HTML")
    precondition(!html.contains("javascript:") || !html.contains("href=\"javascript:"), "javascript link in HTML")
    _ = Markdown.defanged(text)
    _ = Markdown.fenced(text, info: text)
    return 0
}
