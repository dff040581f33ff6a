#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few top-level fields of a transcript line that decide what to do with it, found by
/// walking the line's top-level keys without building any JSON values.
///
/// Nested objects and long strings are skipped with `memchr`, so a 200 KB prompt snapshot costs
/// a few microseconds instead of a full decode.
struct LineSniff: Equatable {
    var type: String?
    var uuid: String?
    var parentUUID: String?
    var logicalParentUUID: String?
    var attachmentType: String?
    var isSidechain = false
    var timestamp: String?
}

enum LineSniffer {
    /// Sniffs a line; nil when the line is not a JSON object (the full decoder then says why).
    static func sniff(_ line: UnsafeRawBufferPointer) -> LineSniff? {
        if case .success(let sniff) = sniffOrFailure(line) { return sniff }
        return nil
    }

    /// Where a line stopped being a well-formed JSON object.
    struct SyntaxFailure: Error {
        /// 0-based byte offset.
        var offset: Int
        /// True when the line ended before the object was closed.
        var ended: Bool
    }

    /// Sniffs a line, or says where its top level is not well-formed JSON.
    static func sniffOrFailure(_ line: UnsafeRawBufferPointer) -> Result<LineSniff, SyntaxFailure> {
        guard let base = line.baseAddress else { return .failure(SyntaxFailure(offset: 0, ended: true)) }
        var cursor = Cursor(base: base, end: line.count)
        var sniff = LineSniff()
        let ok = cursor.walkObject { key, cursor in
            switch key {
            case .type: sniff.type = cursor.readStringValue()
            case .uuid: sniff.uuid = cursor.readStringValue()
            case .parentUuid: sniff.parentUUID = cursor.readStringValue()
            case .logicalParentUuid: sniff.logicalParentUUID = cursor.readStringValue()
            case .timestamp: sniff.timestamp = cursor.readStringValue()
            case .isSidechain: sniff.isSidechain = cursor.readTrue()
            case .attachment:
                cursor.skipWhitespace()
                if cursor.peek == UInt8(ascii: "{") {
                    var inner: String?
                    let innerOK = cursor.walkObject { key, cursor in
                        if key == .type { inner = cursor.readStringValue() } else { return cursor.skipValue() }
                        return true
                    }
                    if !innerOK { return false }
                    sniff.attachmentType = inner
                } else {
                    return cursor.skipValue()
                }
            case .other:
                return cursor.skipValue()
            }
            return true
        }
        if ok {
            cursor.skipWhitespace()
            if cursor.at == cursor.end { return .success(sniff) }
        }
        return .failure(SyntaxFailure(offset: cursor.at, ended: cursor.at >= cursor.end))
    }

    enum Key {
        case type, uuid, parentUuid, logicalParentUuid, timestamp, isSidechain, attachment, other

        init(_ bytes: UnsafeRawBufferPointer) {
            switch bytes.count {
            case 4 where Key.equal(bytes, "type"): self = .type
            case 4 where Key.equal(bytes, "uuid"): self = .uuid
            case 10 where Key.equal(bytes, "parentUuid"): self = .parentUuid
            case 17 where Key.equal(bytes, "logicalParentUuid"): self = .logicalParentUuid
            case 9 where Key.equal(bytes, "timestamp"): self = .timestamp
            case 11 where Key.equal(bytes, "isSidechain"): self = .isSidechain
            case 10 where Key.equal(bytes, "attachment"): self = .attachment
            default: self = .other
            }
        }

        private static func equal(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
            memcmp(bytes.baseAddress!, literal.utf8Start, literal.utf8CodeUnitCount) == 0
        }
    }

    struct Cursor {
        let base: UnsafeRawPointer
        let end: Int
        var at = 0

        var peek: UInt8? { at < end ? base.load(fromByteOffset: at, as: UInt8.self) : nil }

        mutating func skipWhitespace() {
            while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { at += 1 }
        }

        /// Walks the keys of the object at the cursor, handing each key's value to `visit`
        /// (which must consume it). Returns false on malformed input.
        mutating func walkObject(_ visit: (Key, inout Cursor) -> Bool) -> Bool {
            walkObject(key: Key.init, visit)
        }

        /// ``walkObject(_:)`` with the key bytes turned into `K` by `makeKey` (the decoder
        /// matches keys its own way).
        mutating func walkObject<K>(key makeKey: (UnsafeRawBufferPointer) -> K, _ visit: (K, inout Cursor) -> Bool) -> Bool {
            skipWhitespace()
            guard peek == UInt8(ascii: "{") else { return false }
            at += 1
            skipWhitespace()
            if peek == UInt8(ascii: "}") { at += 1; return true }
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\""), let (keyStart, keyEnd) = scanString() else { return false }
                let key = makeKey(UnsafeRawBufferPointer(start: base + keyStart, count: keyEnd - keyStart))
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { return false }
                at += 1
                if !visit(key, &self) { return false }
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): at += 1
                case UInt8(ascii: "}"): at += 1; return true
                default: return false
                }
            }
        }

        /// Reads a string value without escapes; anything else (null, escapes, a non-string)
        /// is skipped and gives nil.
        mutating func readStringValue() -> String? {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else {
                _ = skipValue()
                return nil
            }
            guard let (start, stop) = scanString() else { return nil }
            let raw = UnsafeRawBufferPointer(start: base + start, count: stop - start)
            if memchr(raw.baseAddress!, 0x5C, raw.count) != nil { return nil }  // has escapes
            return String(decoding: raw, as: UTF8.self)
        }

        mutating func readTrue() -> Bool {
            skipWhitespace()
            if end - at >= 4 && memcmp(base + at, "true", 4) == 0 {
                at += 4
                return true
            }
            _ = skipValue()
            return false
        }

        /// With the cursor on an opening quote, moves past the closing quote and returns the
        /// range of the contents.
        mutating func scanString() -> (Int, Int)? {
            let start = at + 1
            var from = start
            while from < end {
                guard let quote = nextQuote(from: from) else {
                    at = end
                    return nil
                }
                // Count the backslashes right before the quote: an odd number escapes it.
                var slashes = 0
                var back = quote - 1
                while back >= start && base.load(fromByteOffset: back, as: UInt8.self) == 0x5C {
                    slashes += 1
                    back -= 1
                }
                if slashes % 2 == 0 {
                    at = quote + 1
                    return (start, quote)
                }
                from = quote + 1
            }
            at = end
            return nil
        }

        /// The offset of the next `"` at or after `from`: the first 32 bytes are looked at
        /// eight at a time in place (most strings of a line, its keys above all, are short, and
        /// a `memchr` call costs more than they do), the rest with `memchr`.
        @inline(__always)
        private func nextQuote(from: Int) -> Int? {
            var i = from
            let near = min(end, from + 32)
            while i + 8 <= near {
                let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x2222_2222_2222_2222
                let found = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
                if found != 0 { return i + found.trailingZeroBitCount / 8 }
                i += 8
            }
            while i < near {
                if base.load(fromByteOffset: i, as: UInt8.self) == 0x22 { return i }
                i += 1
            }
            guard i < end, let hit = memchr(base + i, 0x22, end - i) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }

        /// Skips one JSON value of any kind.
        mutating func skipValue() -> Bool {
            skipWhitespace()
            guard let c = peek else { return false }
            switch c {
            case UInt8(ascii: "\""):
                return scanString() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while let d = peek {
                    switch d {
                    case UInt8(ascii: "\""):
                        if scanString() == nil { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { at += 1; return true }
                    default:
                        break
                    }
                    at += 1
                }
                return false
            default:
                // number, true, false, null
                while let d = peek, d != UInt8(ascii: ","), d != UInt8(ascii: "}"), d != UInt8(ascii: "]"),
                    d != 0x20, d != 0x09, d != 0x0A, d != 0x0D
                {
                    at += 1
                }
                return true
            }
        }
    }
}
