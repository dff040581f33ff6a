import Foundation

/// A file of a report: its path inside the output folder and its bytes.
public struct RenderedFile: Sendable, Hashable {
    /// The path relative to the output folder (`index.html`, `phases/01-office-hours.html`).
    public var path: String
    private var text: String?
    private var data: Data?
    private var parts: [Substring]?

    /// Creates a file from bytes.
    public init(path: String, contents: Data) {
        self.path = path
        self.data = contents
    }

    /// Creates a file from text (kept as text: no copy until it is written).
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// Creates a file from pieces of text written one after the other (a large conversation
    /// between a template's head and tail is never joined into one string).
    init(path: String, parts: [Substring]) {
        self.path = path
        self.parts = parts
    }

    /// The contents.
    public var contents: Data {
        if let data { return data }
        if let parts { return Data(parts.joined().utf8) }
        return Data((text ?? "").utf8)
    }

    /// The file with the bidirectional controls of its text shown (``BidiControls``); a file
    /// made from bytes (summary.json, data for programs) is left as it is.
    func showingBidiControls() -> RenderedFile {
        var copy = self
        if let text, let shown = BidiControls.shown(in: text) { copy.text = shown }
        if let parts {
            copy.parts = parts.map { part in BidiControls.shown(in: part).map { Substring($0) } ?? part }
        }
        return copy
    }

    /// Calls `body` with the contents' bytes, piece by piece, without copying them; stops at
    /// the first `false`.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        if let data { return data.withUnsafeBytes(body) }
        for part in parts ?? [Substring(text ?? "")] {
            let done = part.utf8.withContiguousStorageIfAvailable { body(UnsafeRawBufferPointer($0)) }
            if let done {
                if !done { return false }
            } else {
                var copy = String(part)
                if !copy.withUTF8({ body(UnsafeRawBufferPointer($0)) }) { return false }
            }
        }
        return true
    }
}
