import Foundation
import Testing

@testable import Fitting

/// Weights, intercept-free regression and the solver's guards, against numpy/scipy on the same data.
@Suite struct RegressionTests {
    static let x = (1...10).map(Double.init)
    static let y = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1, 18.3, 19.7]

    /// numpy lstsq on √w-scaled rows, s² = Σw r²/(n−p) (as R's lm with weights).
    @Test func weightedLinearRegressionMatchesNumpy() throws {
        let w = Self.x.map { 1 / $0 }
        let r = try LinearRegression.fit(y: Self.y, columns: [Self.x], names: ["x"], weights: w)
        #expect(lre(r.coefficients[0].estimate, 0.063827092332179) >= 10)
        #expect(lre(r.coefficients[1].estimate, 1.992031437757785) >= 10)
        #expect(lre(r.coefficients[0].standardError!, 0.087291477907221) >= 10)
        #expect(lre(r.coefficients[1].standardError!, 0.020144098389995) >= 10)
        #expect(lre(r.rss, 0.06771178266376547) >= 10)
        #expect(lre(r.r2!, 0.9991825934028612) >= 10)
    }

    @Test func noInterceptUsesUncentredR2() throws {
        let r = try LinearRegression.fit(y: Self.y, columns: [Self.x], names: ["x"], intercept: false)
        #expect(r.coefficients.map(\.name) == ["x"])
        #expect(lre(r.coefficients[0].estimate, 2.001298701298701) >= 12)
        #expect(lre(r.coefficients[0].standardError!, 0.010463302866843932) >= 10)
        #expect(lre(r.r2!, 0.999754048516351) >= 10)
    }

    /// R: `lm(y ~ a + b)` with b = 2a reports b as NA ("not defined because of singularities"), rank 2,
    /// and a's row as `lm(y ~ a)` gives it.
    @Test func collinearPredictorsAreNotEstimable() throws {
        let r = try LinearRegression.fit(y: Self.y, columns: [Self.x, Self.x.map { 2 * $0 }], names: ["a", "b"])
        let alone = try LinearRegression.fit(y: Self.y, columns: [Self.x], names: ["a"])
        #expect(r.rank == 2)
        #expect(r.warnings.contains { $0.contains("not estimable: b") })
        #expect(r.coefficients.map(\.estimable) == [true, true, false])
        let b = r.coefficients[2]
        #expect(b.standardError == nil && b.t == nil && b.p == nil && b.ciLow == nil)
        #expect(r.coefficients[1] == alone.coefficients[1])
        #expect(r.dof == alone.dof)
    }

    /// R: a constant predictor beside the intercept is NA; a repeated predictor's second copy is NA.
    @Test func constantAndRepeatedPredictorsAreNotEstimable() throws {
        let constant = try LinearRegression.fit(y: Self.y, columns: [Self.x, Self.x.map { _ in 1 }], names: ["x", "c"])
        #expect(constant.coefficients.map(\.estimable) == [true, true, false])
        let twice = try LinearRegression.fit(y: Self.y, columns: [Self.x, Self.x], names: ["x", "x"])
        #expect(twice.coefficients.map(\.estimable) == [true, true, false])
        #expect(twice.coefficients[2].p == nil)
        // Without an intercept a constant column is the intercept: estimable.
        let noIntercept = try LinearRegression.fit(y: Self.y, columns: [Self.x, Self.x.map { _ in 1 }], names: ["x", "c"], intercept: false)
        #expect(noIntercept.coefficients.allSatisfy { $0.estimable })
    }

    /// A constant y is fitted exactly: R's summary.lm and statsmodels give t and p as NaN; here none.
    @Test func constantResponseHasNoTOrP() throws {
        let r = try LinearRegression.fit(y: Self.x.map { _ in 3 }, columns: [Self.x], names: ["x"])
        #expect(abs(r.coefficients[0].estimate - 3) < 1e-12 && abs(r.coefficients[1].estimate) < 1e-12)
        #expect(r.coefficients.allSatisfy { $0.t == nil && $0.p == nil })
        #expect(r.warnings.contains { $0.contains("exact") })
    }

    /// y = ±1e308 is finite but its squares are not: exit 1 (a runtime failure), not inf estimates.
    @Test func overflowingDataIsAFailureNotInfiniteEstimates() throws {
        #expect(throws: FitError.self) {
            try LinearRegression.fit(y: [1e308, -1e308, 1e308, -1e308], columns: [[1, 2, 3, 4]], names: ["x"])
        }
        do {
            _ = try LinearRegression.fit(y: [1e308, -1e308, 1e308, -1e308], columns: [[1, 2, 3, 4]], names: ["x"])
        } catch {
            #expect(!error.isInputError)
        }
    }

    static let misraX = [77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8, 378.4, 434.8, 477.3, 536.8, 593.1, 689.1, 760.0]
    static let misraY = [10.07, 14.73, 17.94, 23.93, 29.61, 35.18, 40.02, 44.82, 50.76, 55.05, 61.01, 66.4, 75.47, 81.78]

    /// scipy curve_fit(sigma = 1/√w, absolute_sigma = False) on NIST Misra1a with w = 1/i.
    @Test func weightedNonlinearFitMatchesScipy() throws {
        let f = try FormulaModel(formula: Formula("b1*(1-exp(-b2*x))", parameters: ["b1", "b2"]), variables: [Self.misraX], observations: 14)
        let w = (1...14).map { 1 / Double($0) }
        let r = try NonlinearRegression.fit(f, y: Self.misraY, weights: w, starts: [[250, 5e-4]], model: "formula", formula: "")
        #expect(lre(r.parameters[0].estimate, 233.8333341401110) >= 8)
        #expect(lre(r.parameters[1].estimate, 5.643021120776893e-04) >= 8)
        #expect(lre(r.parameters[0].standardError!, 2.654772533771018) >= 7)
        #expect(lre(r.parameters[1].standardError!, 7.320184813160877e-06) >= 7)
    }

    @Test func finiteDifferenceJacobianStillCertifies() throws {
        let f = FormulaModel(formula: try Formula("b1*(1-exp(-b2*x))", parameters: ["b1", "b2"]), variables: [Self.misraX], observations: 14, exactDerivatives: false)
        var options = FitOptions()
        options.multiStart = false
        let r = try NonlinearRegression.fit(f, y: Self.misraY, starts: [[500, 1e-4]], model: "formula", formula: "", options: options)
        // NIST certified values for Misra1a.
        #expect(lre(r.parameters[0].estimate, 238.94212918) >= 6)
        #expect(lre(r.parameters[1].estimate, 5.5015643181e-04) >= 6)
        #expect(lre(r.parameters[0].standardError!, 2.7070075241) >= 6)
    }

    @Test func notFiniteAtTheStartIsReported() throws {
        let f = FormulaModel(formula: try Formula("b1*log(b2*x)", parameters: ["b1", "b2"]), variables: [Self.misraX], observations: 14)
        var options = FitOptions()
        options.multiStart = false
        #expect(throws: FitError.notFiniteAtStart) {
            try NonlinearRegression.fit(f, y: Self.misraY, starts: [[1, -1]], model: "formula", formula: "", options: options)
        }
    }

    @Test func unidentifiedParameterFailsTheChecks() throws {
        // b1 and b2 only enter as a product: the Jacobian is rank deficient everywhere.
        let f = FormulaModel(formula: try Formula("b1*b2*x", parameters: ["b1", "b2"]), variables: [Self.misraX], observations: 14)
        #expect(throws: FitError.self) {
            try NonlinearRegression.fit(f, y: Self.misraY, starts: [[1, 1]], model: "formula", formula: "")
        }
    }

    @Test func informationCriteriaFollowR() throws {
        // R: AIC(lm(y ~ x)) on this data. logLik = −n/2·(log 2π + 1 − log n + log RSS); k = p + 1.
        let r = try LinearRegression.fit(y: Self.y, columns: [Self.x], names: ["x"])
        let n = 10.0
        let ll = -n / 2 * (log(2 * Double.pi) + 1 - log(n) + log(r.rss))
        #expect(abs(r.aic! - (-2 * ll + 6)) < 1e-12)
        #expect(abs(r.bic! - (-2 * ll + 3 * log(n))) < 1e-12)
    }
}
