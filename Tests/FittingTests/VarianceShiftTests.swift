@testable import Fitting
import Foundation
import Testing

/// A rise in a series' noise (`VarianceShift`) against numpy and scipy (scripts/oracle_variance_shift.py).
@Suite struct VarianceShiftTests {
    /// 96 monthly values of an AR(1) (φ 0.6) whose innovation SD rises from 1% to 1.5% at the 61st month,
    /// rounded to 6 decimals (Tests/Fixtures/variance-shift/rise-96.txt). The oracle, numpy on the same
    /// innovations at φ 0.6 without their two largest |u| (indices 70 and 75), each side's variance about
    /// its own mean: sup-LR 6.7941856176 at the 65th figure (index 64, 32 figures from it on), the later
    /// SD 1.2607198408× the pooled; at that month LR = m·log((τ + (m − τ)F')/m) − (m − τ)·log F' (m = 94,
    /// F' the maximum-likelihood variance ratio) gives the same 6.7941856176, and scipy's F(29, 63) puts
    /// the month's own ratio at one-sided p 0.0039; the p-value over the searched months by 200,000 null
    /// series, trimmed alike, 0.02072 (SE 0.00032); the null's 95th percentile for n = 96 is 5.1285.
    static let e = fixtureNumbers("variance-shift/rise-96.txt")
    static let t = (0..<96).map(Double.init)

    @Test func statisticAndMonthMatchNumpy() throws {
        #expect(Self.e.count == 96)
        let (u, index) = VarianceShift.trim(VarianceShift.innovations(Self.e, months: Self.t, phi: 0.6))
        #expect(Set(0..<96).subtracting(index) == [70, 75])
        let s = VarianceShift.statistic(u)
        #expect(abs(s.value - 6.7941856176) < 1e-8, "\(s.value)")
        #expect(s.index == 64)
        let found = try #require(VarianceShift.test(Self.e, months: Self.t, phi: 0.6))
        #expect(found.index == 64 && found.after == 32)
        #expect(abs(found.sdRatio - 1.2607198408) < 1e-9, "\(found.sdRatio)")
        // 199 null series: the p-value within three of its binomial SEs of the oracle's 0.0207.
        let se = (0.0207 * (1 - 0.0207) / 199).squareRoot()
        #expect(abs(found.pValue - 0.0207) <= 3 * se + 1.0 / 200, "p \(found.pValue)")
    }

    /// Innovations by hand on an irregular gap: u₀ = e₀, uᵢ = (eᵢ − φ^Δ·eᵢ₋₁)/√(1 − φ^2Δ).
    /// The last month the search may take (12 figures after it): 24 values ±1 then 12 values ±3, each
    /// side's mean 0, so S₁ = 24, S₂ = 108 and the only candidate τ = 24 gives
    /// LR = 36·ln(132/36) − 12·ln 9 = 20.40749250065476 (by hand; Python's math.log).
    @Test func theSearchReachesTheLastCandidate() {
        let u = (0..<24).map { $0 % 2 == 0 ? 1.0 : -1.0 } + (0..<12).map { $0 % 2 == 0 ? 3.0 : -3.0 }
        let r = VarianceShift.statistic(u)
        #expect(r.index == 24 && abs(r.value - 20.40749250065476) < 1e-9, "\(r)")
    }

    /// The p-value's form, (exceedances + 1)/(replicates + 1): a rise no null series reaches has p
    /// exactly 1/200, never 0.
    @Test func aRiseNoNullSeriesReachesHasPOneIn200() throws {
        let e = (0..<96).map { k in (k < 60 ? 0.01 : 0.08) * sin(1.3 * Double(k)) }
        let found = try #require(VarianceShift.test(e, months: (0..<96).map(Double.init), phi: 0))
        #expect(found.pValue == 1.0 / 200, "\(found.pValue)")
    }

    @Test func innovationsOnIrregularGaps() {
        let u = VarianceShift.innovations([0.02, 0.01, -0.01], months: [0, 1, 3], phi: 0.5)
        #expect(u[0] == 0.02)
        #expect(abs(u[1] - (0.01 - 0.5 * 0.02) / (1 - 0.25).squareRoot()) < 1e-15)
        #expect(abs(u[2] - (-0.01 - 0.25 * 0.01) / (1 - 0.0625).squareRoot()) < 1e-15)
    }

    /// Only a rise is read: the same series reversed in time (the noisy spell first) is not, nor a
    /// series whose noise fell.
    @Test func aQuieterRecentSpellIsNotARise() {
        let reversed = Array(Self.e.reversed())
        let u = VarianceShift.trim(VarianceShift.innovations(reversed, months: Self.t, phi: 0.6)).values
        let s = VarianceShift.statistic(u)
        #expect(s.value < 5.1285, "\(s.value) at \(String(describing: s.index))")
        #expect(VarianceShift.test(reversed, months: Self.t, phi: 0.6) == nil)
        // Noise ÷4 over the last 36 months (independent normals): no month has a larger later variance
        // beyond chance, where a two-sided search finds the fall at once.
        let rng = RandomStream(seed: 5)
        let calmer = (0..<96).map { rng.gaussian(sd: $0 < 60 ? 0.04 : 0.01) }
        #expect(VarianceShift.test(calmer, months: Self.t, phi: 0) == nil)
        #expect(VarianceShift.statistic(VarianceShift.trim(calmer).values).value < 5.1285)
    }

    /// Size and power on 300 AR(1) series of 96 months (φ 0.8, the true φ given): without a rise it is
    /// found in about 3% (binomial: 9 expected, 6 here; 27 is 5%'s 99.9% bound); with the SD ×4 over the last 36
    /// months (the off-model check's "noise growth"), in nearly all.
    @Test func falseAlarmsAndPower() {
        let rng = RandomStream(seed: 20261207)
        var (alarms, found) = (0, 0)
        for _ in 0..<300 {
            var flat = [Double](repeating: 0, count: 96), rising = flat
            for k in 0..<96 {
                let z = rng.gaussian(sd: 1)
                let innovation = (1 - 0.64).squareRoot()
                flat[k] = (k > 0 ? 0.8 * flat[k - 1] : 0) + 0.01 * (k > 0 ? innovation : 1) * z
                rising[k] = (k > 0 ? 0.8 * rising[k - 1] : 0) + (k >= 60 ? 0.04 : 0.01) * (k > 0 ? innovation : 1) * z
            }
            if VarianceShift.test(flat, months: Self.t, phi: 0.8) != nil { alarms += 1 }
            if VarianceShift.test(rising, months: Self.t, phi: 0.8) != nil { found += 1 }
        }
        print("variance shift: \(alarms) of 300 false alarms, \(found) of 300 rises found")
        #expect(alarms <= 27, "false alarms \(alarms) of 300")
        #expect(alarms >= 4, "false alarms \(alarms) of 300: the test never fires?")
        #expect(found >= 285, "found \(found) of 300")
    }

    /// A step in the level makes one large innovation (trimmed) and leaves the innovations after it
    /// (1 − φ)·δ off zero (each side's own mean): 200 AR(1) series (φ 0.95, s 2%) with a step of 6% (3 SDs,
    /// the off-model check's level shift) at month 70 are read as a rise in 10 (19 at a 5% level; the
    /// bound, 21, is 5%'s 99.9% binomial bound). At 5%, a step of 10% was read in 31, and without each
    /// side's own mean in 74.
    @Test func aStepIsNotARise() {
        let rng = RandomStream(seed: 31)
        var reads = 0
        for _ in 0..<200 {
            var e = [Double](repeating: 0, count: 96)
            for k in 0..<96 {
                let z = rng.gaussian(sd: 1)
                e[k] = k > 0 ? 0.95 * e[k - 1] + 0.02 * (1 - 0.95 * 0.95).squareRoot() * z : 0.02 * z
            }
            let stepped = e.indices.map { e[$0] - ($0 >= 70 ? 0.06 : 0) }
            if VarianceShift.test(stepped, months: Self.t, phi: 0.95) != nil { reads += 1 }
        }
        print("variance shift: a 6% step read as a rise in \(reads) of 200")
        #expect(reads <= 21, "read as a rise in \(reads) of 200")
    }
}
