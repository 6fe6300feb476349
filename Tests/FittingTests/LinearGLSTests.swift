import Fitting
import Foundation
import Testing

/// Linear GLS with continuous-time AR(1) errors and its restricted likelihood (`LinearGLS`), against
/// statsmodels 0.15 `GLS` with the explicit correlation matrix and the REML formula evaluated on the
/// matrices themselves (`scripts/oracle_linear_gls.py`, which prints these figures).
@Suite struct LinearGLSTests {
    static let t: [Double] = [0, 1, 2, 3, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16]
    static let y: [Double] = [4.10, 4.18, 4.05, 4.22, 4.30, 4.27, 4.41, 4.35, 4.38, 4.52, 4.47, 4.60, 4.55, 4.66]
    static var columns: [[Double]] {
        let mean = t.reduce(0, +) / Double(t.count)
        return [t.map { _ in 1 }, t.map { $0 - mean }, [1, -1, 0, 1, -1, 0, 1, -1, 0, 1, -1, 0, 1, -1]]
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var phi: Double
        var beta: [Double]
        var se: [Double]
        var rss: Double
        var restricted: Double
        var testDescription: String { "φ \(phi)" }
    }

    static let cases = [
        Case(phi: 0, beta: [4.36142857143, 0.0332919727477, 0.00397518364861],
             se: [0.0146858800241, 0.00283633928905, 0.0174597032139], rss: 0.0332139611007, restricted: 13.2915952423),
        Case(phi: 0.6, beta: [4.36526819037, 0.0340468386618, 0.0048546292729],
             se: [0.0439187357961, 0.00763382474047, 0.0187699226539], rss: 0.103189760557, restricted: 10.0578682966),
        Case(phi: 0.9, beta: [4.37047054404, 0.0353164427879, 0.00539089531017],
             se: [0.153734361078, 0.0167286093454, 0.0190693983515], rss: 0.478491049155, restricted: 8.87276647515),
    ]

    @Test(arguments: cases)
    func matchesStatsmodels(_ c: Case) throws {
        let g = try #require(LinearGLS.fit(y: Self.y, columns: Self.columns, months: Self.t, phi: c.phi))
        for j in 0..<3 {
            #expect(abs(g.coefficients[j] - c.beta[j]) < 1e-9 * max(abs(c.beta[j]), 1e-2), "β\(j) \(g.coefficients[j])")
            #expect(abs(g.covariance[j * 3 + j].squareRoot() - c.se[j]) < 1e-8 * c.se[j], "se\(j) \(g.covariance[j * 3 + j].squareRoot())")
        }
        #expect(abs(g.rss - c.rss) < 1e-9 * c.rss)
        #expect(abs(g.restrictedLogLikelihood - c.restricted) < 1e-8, "ℓ_R \(g.restrictedLogLikelihood)")
        #expect(g.dof == 11)
    }

    /// Collinear columns, too few points, φ outside [0, 1) or a non-finite figure: no fit (never a GSL abort).
    @Test func refusesWhatItCannotFit() {
        let cols = Self.columns
        #expect(LinearGLS.fit(y: Self.y, columns: cols + [cols[1].map { 2 * $0 }], months: Self.t, phi: 0.5) == nil)
        #expect(LinearGLS.fit(y: Array(Self.y.prefix(3)), columns: cols.map { Array($0.prefix(3)) }, months: Array(Self.t.prefix(3)), phi: 0.5) == nil)
        #expect(LinearGLS.fit(y: Self.y, columns: cols, months: Self.t, phi: 1) == nil)
        var bad = Self.y
        bad[4] = .nan
        #expect(LinearGLS.fit(y: bad, columns: cols, months: Self.t, phi: 0.5) == nil)
    }
}
