#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension StringProtocol {
    /// The UTF-8 offset just after the first occurrence of a needle, found with `memchr` and
    /// `memcmp` (Foundation's `range(of:)` bridges through NSString and is slow on long text).
    func utf8Offset(after needle: String) -> Int? {
        let found: Int?? = utf8.withContiguousStorageIfAvailable { hay in
            needle.utf8.withContiguousStorageIfAvailable { pin -> Int? in
                guard let h = hay.baseAddress, let p = pin.baseAddress, pin.count <= hay.count else { return nil }
                let first = Int32(p.pointee)
                var at = 0
                let last = hay.count - pin.count
                while at <= last, let hit = memchr(h + at, first, last - at + 1) {
                    let offset = UnsafeRawPointer(h).distance(to: UnsafeRawPointer(hit))
                    if memcmp(hit, p, pin.count) == 0 { return offset + pin.count }
                    at = offset + 1
                }
                return nil
            } ?? nil
        }
        if let found { return found }
        // Not contiguous (a bridged string): copy once.
        return String(self).utf8Offset(after: needle)
    }
}
