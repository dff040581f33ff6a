import Foundation

/// An amount in US dollars held exactly, as whole picodollars (10⁻¹² USD), so that sums of
/// many small costs are exact and identical on every run.
public struct USD: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The amount in picodollars.
    public var picodollars: Int64

    /// Creates an amount from picodollars.
    public init(picodollars: Int64) { self.picodollars = picodollars }

    /// The nearest amount to a dollar figure (for the CLI's reported costs); a figure beyond
    /// about ±9.2 million dollars is held at that bound.
    public init(_ dollars: Double) {
        picodollars = Int64(saturating: dollars * 1e12)
    }

    /// Nothing.
    public static let zero = USD(picodollars: 0)

    /// The amount as a floating-point dollar figure.
    public var dollars: Double { Double(picodollars) / 1e12 }

    /// The amount rounded to whole microdollars.
    public var microdollars: Int64 {
        let (q, r) = picodollars.quotientAndRemainder(dividingBy: 1_000_000)
        return r * 2 >= 1_000_000 ? q + 1 : (r * 2 <= -1_000_000 ? q - 1 : q)
    }

    /// `$0.012345` — six decimals, the precision reports use.
    public var description: String { formatted(decimals: 6) }

    /// The amount with a fixed number of decimals, rounded half away from zero.
    public func formatted(decimals: Int) -> String {
        let scale = Int64(pow(10.0, Double(12 - decimals)))
        let (q, r) = picodollars.magnitude.quotientAndRemainder(dividingBy: UInt64(scale))
        let units = q + (r * 2 >= UInt64(scale) ? 1 : 0)
        let divisor = UInt64(pow(10.0, Double(decimals)))
        let whole = units / divisor
        let frac = String(units % divisor)
        let padded = String(repeating: "0", count: decimals - frac.count) + frac
        return (picodollars < 0 ? "-" : "") + "$\(whole)" + (decimals > 0 ? ".\(padded)" : "")
    }

    /// Adds two amounts (held at the bounds of `Int64` picodollars rather than overflowing).
    public static func + (a: USD, b: USD) -> USD { USD(picodollars: a.picodollars.addingSaturated(b.picodollars)) }
    /// Adds `b` into `a`.
    public static func += (a: inout USD, b: USD) { a = a + b }
    /// Subtracts two amounts (held at the bounds of `Int64` picodollars).
    public static func - (a: USD, b: USD) -> USD {
        let (difference, overflow) = a.picodollars.subtractingReportingOverflow(b.picodollars)
        return USD(picodollars: overflow ? (b.picodollars > 0 ? .min : .max) : difference)
    }
    /// The amount times a factor, to the nearest picodollar (held at the bounds of `Int64`).
    public func scaled(by factor: Double) -> USD { USD(picodollars: Int64(saturating: Double(picodollars) * factor)) }
    /// Orders amounts.
    public static func < (a: USD, b: USD) -> Bool { a.picodollars < b.picodollars }

    /// Encodes as a dollar figure rounded to the picodollar.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Decimal(picodollars) / Decimal(1_000_000_000_000))
    }

    /// Decodes a dollar figure.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(Double.self))
    }
}
