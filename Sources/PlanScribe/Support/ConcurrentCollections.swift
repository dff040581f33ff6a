import Foundation

/// Values put into numbered slots from several threads (one slot per task), read back in
/// slot order: how parallel work keeps a fixed output order.
final class IndexedSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    /// Creates `count` empty slots.
    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    /// Fills slot `index`.
    func set(_ index: Int, _ value: Value) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = value
    }

    /// The value of slot `index`, released from the slots (nil when it was never filled).
    func take(_ index: Int) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        let value = slots[index]
        slots[index] = nil
        return value
    }

    /// The filled slots' values, in slot order.
    var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}

/// Values appended from several threads, in the order they arrived.
final class GatheredValues<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Value] = []

    /// Creates an empty list.
    init() {}

    /// Adds a value.
    func append(_ value: Value) {
        lock.lock()
        defer { lock.unlock() }
        items.append(value)
    }

    /// The values so far.
    var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

/// Runs numbered pieces of work on up to `width` threads at once, each index once; with a
/// width of one, in order on the calling thread.
enum ParallelWork {
    /// Calls `body` with every index in `0..<count`, `width` at a time at most.
    static func forEach(_ count: Int, width: Int, _ body: @Sendable (Int) -> Void) {
        guard width > 1 && count > 1 else {
            for i in 0..<count { body(i) }
            return
        }
        let next = NextIndex()
        DispatchQueue.concurrentPerform(iterations: min(width, count)) { _ in
            while let i = next.take(below: count) { body(i) }
        }
    }

    private final class NextIndex: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0

        func take(below count: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < count else { return nil }
            next += 1
            return next - 1
        }
    }
}

/// One value shared between threads, read and changed under a lock.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    /// The value now; setting it replaces it.
    var value: Value {
        get { withLock { $0 } }
        set { withLock { $0 = newValue } }
    }

    /// Reads or changes the value with no other thread in between.
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&stored)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
