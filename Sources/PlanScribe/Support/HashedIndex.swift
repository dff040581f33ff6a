/// Positions of keys (line uuids, API call keys) found by a ``StableHash`` of them, exactly:
/// a hit is checked against the key itself, and a different key with the same hash (which a
/// hostile file could craft) is kept in a dictionary of its own. Faster than `[Key: Int]`,
/// which hashes every key with SipHash on every lookup.
struct HashedIndex<Key: Hashable> {
    private var table = HashedKeyTable()
    private var collided: [Key: Int] = [:]

    init() {}

    /// The position stored for `key` (whose hash is `hash`); `keyAt` gives the key stored
    /// at a position.
    func position(of key: Key, hash: UInt64, keyAt: (Int) -> Key) -> Int? {
        guard let at = table[hash] else { return nil }
        if keyAt(Int(at)) == key { return Int(at) }
        return collided[key]
    }

    /// Stores `position` for `key`, which must not be stored yet.
    mutating func insert(_ key: Key, hash: UInt64, position: Int) {
        if table.contains(hash) {
            collided[key] = position
        } else {
            table.set(hash, UInt32(truncatingIfNeeded: position))
        }
    }
}

/// Line uuids by position.
typealias HashedStringIndex = HashedIndex<String>

/// Keys in the order they were first added, each found by its position through a
/// ``HashedIndex``: for tables that keep no other array of their keys.
struct HashedKeyList<Key: Hashable> {
    /// The keys, a key's position being its place here.
    private(set) var keys: [Key] = []
    private var index = HashedIndex<Key>()

    init() {}

    /// The position of `key` (whose hash is `hash`), if it was added.
    func position(of key: Key, hash: UInt64) -> Int? {
        index.position(of: key, hash: hash, keyAt: { keys[$0] })
    }

    /// Adds `key` unless it is there already: its position, and whether it was added now.
    mutating func add(_ key: Key, hash: UInt64) -> (position: Int, added: Bool) {
        if let at = position(of: key, hash: hash) { return (at, false) }
        index.insert(key, hash: hash, position: keys.count)
        keys.append(key)
        return (keys.count - 1, true)
    }
}
