#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes the heavy parts of a transcript line before it is decoded, so that only what is
/// used gets parsed into Swift values.
///
/// Always: the top-level `toolUseResult` (a structured copy of the tool's output, often as
/// large as the output itself) becomes `{"agentId": …}` or `null`. For summaries (`sessions`,
/// `cost`) also the bodies of content blocks that are not counted: thinking, signatures, tool
/// inputs, tool-result contents and image data. Strings are skipped with `memchr`; nothing is
/// unescaped.
enum LineSlimmer {
    /// The slimmed line, or nil when nothing needed removing or the line is not a well-formed
    /// object (the decoder then sees the original and explains what is wrong).
    static func slim(_ line: UnsafeRawBufferPointer, dropBodies: Bool) -> [UInt8]? {
        guard let base = line.baseAddress else { return nil }
        var cursor = LineSniffer.Cursor(base: base, end: line.count)
        var out: [UInt8] = []
        var changed = false
        let ok = copyObject(&cursor, into: &out) { key, cursor, out in
            if equal(key, "toolUseResult") {
                let start = cursor.at
                guard cursor.skipValue() else { return false }
                var inner = LineSniffer.Cursor(base: base + start, end: cursor.at - start)
                inner.skipWhitespace()
                var agent: [UInt8]?
                if inner.peek == UInt8(ascii: "{") {
                    var ignored: [UInt8] = []
                    _ = copyObject(&inner, into: &ignored) { key, c, _ in
                        if equal(key, "agentId") {
                            c.skipWhitespace()
                            if c.peek == UInt8(ascii: "\""), let (s, e) = c.scanString() {
                                agent = Array(UnsafeRawBufferPointer(start: c.base + s, count: e - s))
                                return true
                            }
                        }
                        return c.skipValue()
                    }
                }
                if let agent {
                    out.append(contentsOf: Array(#"{"agentId":""#.utf8) + agent + Array(#""}"#.utf8))
                } else {
                    out.append(contentsOf: Array("null".utf8))
                }
                changed = true
                return true
            }
            if dropBodies && equal(key, "message") {
                cursor.skipWhitespace()
                guard cursor.peek == UInt8(ascii: "{") else { return copyValue(&cursor, into: &out) }
                return copyObject(&cursor, into: &out) { key, c, out in
                    guard equal(key, "content") else { return copyValue(&c, into: &out) }
                    c.skipWhitespace()
                    guard c.peek == UInt8(ascii: "[") else { return copyValue(&c, into: &out) }
                    return copyArray(&c, into: &out) { c, out in
                        c.skipWhitespace()
                        guard c.peek == UInt8(ascii: "{") else { return copyValue(&c, into: &out) }
                        return copyObject(&c, into: &out) { key, c, out in
                            let heavy: [StaticString] = ["thinking", "signature", "content", "data", "source"]
                            for name in heavy where equal(key, name) {
                                guard c.skipValue() else { return false }
                                out.append(contentsOf: Array(#""""#.utf8))
                                changed = true
                                return true
                            }
                            if equal(key, "input") {
                                guard c.skipValue() else { return false }
                                out.append(contentsOf: Array("{}".utf8))
                                changed = true
                                return true
                            }
                            return copyValue(&c, into: &out)
                        }
                    }
                }
            }
            return copyValue(&cursor, into: &out)
        }
        guard ok, changed else { return nil }
        cursor.skipWhitespace()
        return cursor.at == cursor.end ? out : nil
    }

    private static func equal(_ key: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount && memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
    }

    /// Copies one value verbatim.
    private static func copyValue(_ cursor: inout LineSniffer.Cursor, into out: inout [UInt8]) -> Bool {
        cursor.skipWhitespace()
        let start = cursor.at
        guard cursor.skipValue() else { return false }
        out.append(contentsOf: UnsafeRawBufferPointer(start: cursor.base + start, count: cursor.at - start))
        return true
    }

    /// Copies an object, letting `member` write each member's value (the key is written).
    private static func copyObject(
        _ cursor: inout LineSniffer.Cursor, into out: inout [UInt8],
        _ member: (UnsafeRawBufferPointer, inout LineSniffer.Cursor, inout [UInt8]) -> Bool
    ) -> Bool {
        cursor.skipWhitespace()
        guard cursor.peek == UInt8(ascii: "{") else { return false }
        cursor.at += 1
        out.append(UInt8(ascii: "{"))
        cursor.skipWhitespace()
        if cursor.peek == UInt8(ascii: "}") {
            cursor.at += 1
            out.append(UInt8(ascii: "}"))
            return true
        }
        var first = true
        while true {
            cursor.skipWhitespace()
            let keyStart = cursor.at
            guard cursor.peek == UInt8(ascii: "\""), let (ks, ke) = cursor.scanString() else { return false }
            cursor.skipWhitespace()
            guard cursor.peek == UInt8(ascii: ":") else { return false }
            cursor.at += 1
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(contentsOf: UnsafeRawBufferPointer(start: cursor.base + keyStart, count: ke + 1 - keyStart))
            out.append(UInt8(ascii: ":"))
            if !member(UnsafeRawBufferPointer(start: cursor.base + ks, count: ke - ks), &cursor, &out) { return false }
            cursor.skipWhitespace()
            switch cursor.peek {
            case UInt8(ascii: ","): cursor.at += 1
            case UInt8(ascii: "}"):
                cursor.at += 1
                out.append(UInt8(ascii: "}"))
                return true
            default: return false
            }
        }
    }

    private static func copyArray(
        _ cursor: inout LineSniffer.Cursor, into out: inout [UInt8],
        _ element: (inout LineSniffer.Cursor, inout [UInt8]) -> Bool
    ) -> Bool {
        guard cursor.peek == UInt8(ascii: "[") else { return false }
        cursor.at += 1
        out.append(UInt8(ascii: "["))
        cursor.skipWhitespace()
        if cursor.peek == UInt8(ascii: "]") {
            cursor.at += 1
            out.append(UInt8(ascii: "]"))
            return true
        }
        var first = true
        while true {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            if !element(&cursor, &out) { return false }
            cursor.skipWhitespace()
            switch cursor.peek {
            case UInt8(ascii: ","): cursor.at += 1
            case UInt8(ascii: "]"):
                cursor.at += 1
                out.append(UInt8(ascii: "]"))
                return true
            default: return false
            }
        }
    }
}
