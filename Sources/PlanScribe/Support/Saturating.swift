/// Arithmetic that stops at the type's bounds instead of trapping: token counts and amounts
/// come from transcripts, and a hostile or damaged file may hold any whole number.
extension FixedWidthInteger {
    /// `self + other`, or the bound it would pass.
    func addingSaturated(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self × other`, or the bound it would pass.
    func multipliedSaturated(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self > 0) == (other > 0) ? .max : .min) : product
    }
}

extension Int64 {
    /// The nearest whole number to `value`, held to the type's bounds (0 for NaN).
    init(saturating value: Double) {
        let rounded = value.rounded()
        if rounded.isNaN {
            self = 0
        } else if rounded >= 0x1p63 {
            self = .max
        } else if rounded < -0x1p63 {
            self = .min
        } else {
            self = Int64(rounded)
        }
    }
}
