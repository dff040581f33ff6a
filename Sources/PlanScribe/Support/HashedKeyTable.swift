/// A table from 64-bit keys that are hashes already (``StableHash``) to small numbers:
/// open addressing with linear probing, slots found by a multiply-shift of the key. Swift's
/// Dictionary and Set would hash each key again with SipHash, which was a few percent of
/// `cost` (a gigabyte of transcripts holds over a million line uuids).
struct HashedKeyTable: Sendable {
    /// Keys by slot; a slot is empty when its value is 0.
    private var keys: [UInt64]
    /// Values by slot, each stored plus one (0 marks an empty slot).
    private var values: [UInt32]
    private var shift: UInt64
    /// The number of keys.
    private(set) var count = 0

    init() {
        keys = Array(repeating: 0, count: 16)
        values = Array(repeating: 0, count: 16)
        shift = 64 - 4
    }

    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The slot that holds `key`, or the empty slot where it would go.
    private func find(_ key: UInt64) -> Int {
        let mask = keys.count - 1
        var i = slot(key)
        while values[i] != 0 && keys[i] != key { i = (i + 1) & mask }
        return i
    }

    /// The value of `key`, if it is in the table.
    subscript(key: UInt64) -> UInt32? {
        let i = find(key)
        return values[i] == 0 ? nil : values[i] - 1
    }

    func contains(_ key: UInt64) -> Bool {
        values[find(key)] != 0
    }

    /// Sets the value of `key` (replacing what it had) or, with `keepingOld`, only adds it.
    mutating func set(_ key: UInt64, _ value: UInt32, keepingOld: Bool = false) {
        var i = find(key)
        if values[i] != 0 {
            if !keepingOld { values[i] = value + 1 }
            return
        }
        if (count + 1) * 4 > keys.count * 3 {
            grow()
            i = find(key)
        }
        keys[i] = key
        values[i] = value + 1
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        shift -= 1
        for i in oldKeys.indices where oldValues[i] != 0 {
            let j = find(oldKeys[i])
            keys[j] = oldKeys[i]
            values[j] = oldValues[i]
        }
    }

    /// Calls `body` with every key and its value.
    func forEach(_ body: (UInt64, UInt32) -> Void) {
        for i in keys.indices where values[i] != 0 { body(keys[i], values[i] - 1) }
    }

    /// True when no key of this table is in `other`.
    func isDisjoint(with other: HashedKeyTable) -> Bool {
        for i in keys.indices where values[i] != 0 && other.contains(keys[i]) { return false }
        return true
    }
}
