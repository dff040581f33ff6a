/// Positions of strings (line uuids) found by their ``StableHash``, exactly: a hit is checked
/// against the string itself, and a different string with the same hash (which a hostile
/// file could craft) is kept in a dictionary of its own. Faster than `[String: Int]`, which
/// hashes every key with SipHash on every lookup.
struct HashedStringIndex {
    private var table = HashedKeyTable()
    private var collided: [String: Int] = [:]

    init() {}

    /// The position stored for `key` (whose hash is `hash`); `keyAt` gives the string stored
    /// at a position.
    func position(of key: String, hash: UInt64, keyAt: (Int) -> String) -> Int? {
        guard let at = table[hash] else { return nil }
        if keyAt(Int(at)) == key { return Int(at) }
        return collided[key]
    }

    /// Stores `position` for `key`, which must not be stored yet.
    mutating func insert(_ key: String, hash: UInt64, position: Int) {
        if table.contains(hash) {
            collided[key] = position
        } else {
            table.set(hash, UInt32(truncatingIfNeeded: position))
        }
    }
}
