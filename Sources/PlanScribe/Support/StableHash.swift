/// A 64-bit FNV-1a hash of a string's UTF-8 bytes: the same on every run and every machine,
/// cheap to compute, and collision-free in practice for the ids planscribe de-duplicates
/// (a collision among a million ids has a chance of about 3 × 10⁻⁸).
enum StableHash {
    static func of(_ text: String) -> UInt64 {
        continued(0xcbf2_9ce4_8422_2325, text)
    }

    /// The hash of three texts one after another: that of their concatenation.
    static func of(_ first: String, _ second: String, _ third: String) -> UInt64 {
        continued(continued(continued(0xcbf2_9ce4_8422_2325, first), second), third)
    }

    /// The hash of bytes: that of the string they are the UTF-8 of.
    static func of(bytes: UnsafeRawBufferPointer) -> UInt64 {
        continued(0xcbf2_9ce4_8422_2325, bytes)
    }

    /// `start` continued with `bytes`: hashes of parts chain into the hash of the whole.
    static func continued(_ start: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = start
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    private static func continued(_ start: UInt64, _ text: String) -> UInt64 {
        var hash = start
        var copy = text
        copy.withUTF8 { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
        }
        return hash
    }
}
