/// The one place where a computed Double becomes an integer (docs/outputs.md, "No trap").
///
/// Swift's `Int(x)` traps when `x` is NaN, infinite or outside Int's range, and a figure that passes
/// validation can still get there (a 10⁹-member stock paying Rp 10⁹ a month). Every conversion goes
/// through `Whole`, which answers nil instead; callers turn that into a located error or a stated
/// saturation. `Int(_: Double)` and its kin are shadowed below by deprecated overloads, and the
/// package builds with deprecation warnings as errors, so a direct conversion anywhere else does not
/// compile.
public enum Whole {
    /// The largest magnitude converted: 2^53, beyond which a Double no longer holds every integer
    /// (9.0e15: rupiah totals and head counts stay far below it).
    public static let limit: Double = 9_007_199_254_740_992

    /// Whether `x` is a magnitude counted exactly in whole numbers: finite and at most `limit` (false
    /// for NaN and infinities).
    public static func countable(_ x: Double) -> Bool { abs(x) <= limit }

    /// `x` rounded by `rule`, or nil when it is not finite or its magnitude exceeds `limit`.
    public static func int(_ x: Double, _ rule: FloatingPointRoundingRule = .towardZero) -> Int? {
        let r = x.rounded(rule)
        guard countable(r) else { return nil }
        return Int(exactly: r)
    }

    /// `x` rounded to the nearest whole number (halves away from zero), or nil.
    public static func nearest(_ x: Double) -> Int? { int(x, .toNearestOrAwayFromZero) }

    /// `x` converted with saturation: NaN gives 0, anything past ±`limit` gives ±`limit`. For
    /// counts and indices where the bound is documented at the call (a loop over months, a bin).
    public static func clamped(_ x: Double, _ rule: FloatingPointRoundingRule = .towardZero) -> Int {
        guard !x.isNaN else { return 0 }
        return int(min(max(x, -limit), limit), rule) ?? 0
    }
}

// Shadows of the standard library's trapping conversions: deprecated, so that with
// `-Werror DeprecatedDeclaration` (Package.swift) no code but `Whole` converts a Double directly.
// Their bodies never run in a build that compiles.
extension Int {
    @available(*, deprecated, message: "convert a Double through Whole.int / Whole.nearest (it cannot trap)")
    public init(_ value: Double) { self = Whole.clamped(value) }
}

extension Int64 {
    @available(*, deprecated, message: "convert a Double through Whole.int / Whole.nearest (it cannot trap)")
    public init(_ value: Double) { self = Int64(Whole.clamped(value)) }
}

extension Int32 {
    @available(*, deprecated, message: "convert a Double through Whole.int / Whole.nearest (it cannot trap)")
    public init(_ value: Double) { self = Int32(clamping: Whole.clamped(value)) }
}

extension UInt64 {
    @available(*, deprecated, message: "convert a Double through Whole.int / Whole.nearest (it cannot trap)")
    public init(_ value: Double) { self = UInt64(clamping: Whole.clamped(value)) }
}

extension UInt32 {
    @available(*, deprecated, message: "convert a Double through Whole.int / Whole.nearest (it cannot trap)")
    public init(_ value: Double) { self = UInt32(clamping: Whole.clamped(value)) }
}

extension UInt {
    @available(*, deprecated, message: "convert a Double through Whole.int / Whole.nearest (it cannot trap)")
    public init(_ value: Double) { self = UInt(clamping: Whole.clamped(value)) }
}

extension Int16 {
    @available(*, deprecated, message: "convert a Double through Whole.int / Whole.nearest (it cannot trap)")
    public init(_ value: Double) { self = Int16(clamping: Whole.clamped(value)) }
}

extension Int8 {
    @available(*, deprecated, message: "convert a Double through Whole.int / Whole.nearest (it cannot trap)")
    public init(_ value: Double) { self = Int8(clamping: Whole.clamped(value)) }
}

extension UInt16 {
    @available(*, deprecated, message: "convert a Double through Whole.int / Whole.nearest (it cannot trap)")
    public init(_ value: Double) { self = UInt16(clamping: Whole.clamped(value)) }
}

extension UInt8 {
    @available(*, deprecated, message: "convert a Double through Whole.int / Whole.nearest (it cannot trap)")
    public init(_ value: Double) { self = UInt8(clamping: Whole.clamped(value)) }
}

// Float and other floating-point types reach the standard library's generic conversion: rkat computes
// in Double only, and `Whole`'s doc says so; a Float would need its own shadow here.
