/// A 64-bit FNV-1a hash of a string's UTF-8 bytes: the same on every run and every machine,
/// cheap to compute, and collision-free in practice for the ids planscribe de-duplicates
/// (a collision among a million ids has a chance of about 3 × 10⁻⁸).
enum StableHash {
    static func of(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
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
