import Foundation
import Testing

@testable import Fitting

/// Summary statistics against figures worked out by hand (the arithmetic is in the comments).
@Suite struct StatisticsOracleTests {
    /// R's conventions (logLik of lm/nls, k = p + 1 counting σ²), for n = 10, p = 2, RSS = 2:
    /// logL = −n/2·(ln 2π + 1 − ln n + ln RSS) = −5 × (1.8378771 + 1 − 2.3025851 + 0.6931472) = −6.1421958;
    /// AIC = −2 logL + 2k = 12.284392 + 6 = 18.284392; AICc = AIC + 2k(k + 1)/(n − k − 1) = AIC + 24/6 = 22.284392;
    /// BIC = −2 logL + k ln n = 12.284392 + 3 × 2.3025851 = 19.192147 (python3 with math.log gives the digits below).
    @Test func informationCriteriaOnRsConventions() throws {
        let ic = try #require(InformationCriteria(rss: 2, n: 10, parameters: 2, weights: nil))
        #expect(abs(ic.logLikelihood - -6.142195769876224) < 1e-12)
        #expect(abs(ic.aic - 18.28439153975245) < 1e-12)
        #expect(abs(ic.aicc! - 22.28439153975245) < 1e-12)
        #expect(abs(ic.bic - 19.192146818734585) < 1e-12)
        // n − k − 1 = 0 (n = 4, p = 2): no AICc.
        #expect(InformationCriteria(rss: 2, n: 4, parameters: 2, weights: nil)?.aicc == nil)
    }

    /// y = 1, 3, 2, 5, 4 on x = 1…5: x̄ = ȳ = 3, Sxy = 4 + 0 + 0 + 2 + 2 = 8, Sxx = 10, slope 0.8, intercept 0.6;
    /// TSS = 4 + 0 + 1 + 4 + 1 = 10, RSS = TSS − 0.8 × 8 = 3.6, R² = 0.64,
    /// adjusted R² = 1 − (1 − R²)(n − 1)/(n − p) = 1 − 0.36 × 4/3 = 0.52 (R: summary(lm(y ~ x))$adj.r.squared).
    @Test func adjustedR2ByHand() throws {
        let r = try LinearRegression.fit(y: [1, 3, 2, 5, 4], columns: [[1, 2, 3, 4, 5]], names: ["x"])
        #expect(abs(r.coefficients[0].estimate - 0.6) < 1e-12 && abs(r.coefficients[1].estimate - 0.8) < 1e-12)
        #expect(abs(r.rss - 3.6) < 1e-12)
        #expect(abs(r.r2! - 0.64) < 1e-12)
        #expect(abs(r.adjustedR2! - 0.52) < 1e-12)
        // F on k = p − 1 = 1 model degree of freedom: (TSS − RSS)/1 ÷ RSS/(n − p) = 6.4 / 1.2 = 16/3;
        // its p-value scipy.stats.f.sf(16/3, 1, 3) = 0.1040880386618278.
        #expect(abs(r.f! - 16.0 / 3) < 1e-12)
        #expect(abs(r.fP! - 0.1040880386618278) < 1e-9)
    }

    /// Without intercept, x = 1, 2, 3 and y = 1, 3, 2: Σxy = 13, Σx² = 14, β = 13/14; RSS = Σy² − (Σxy)²/Σx²
    /// = 14 − 169/14 = 27/14; uncentred R² = 1 − RSS/Σy² = 1 − 27/196 = 169/196; adjusted R² (R's summary.lm,
    /// statsmodels: no intercept, so n, not n − 1) = 1 − (27/196) × 3/2 = 1 − 81/392 = 311/392.
    @Test func adjustedR2WithoutInterceptByHand() throws {
        let r = try LinearRegression.fit(y: [1, 3, 2], columns: [[1, 2, 3]], names: ["x"], intercept: false)
        #expect(abs(r.coefficients[0].estimate - 13.0 / 14) < 1e-12)
        #expect(abs(r.rss - 27.0 / 14) < 1e-12)
        #expect(abs(r.r2! - 169.0 / 196) < 1e-12)
        #expect(abs(r.adjustedR2! - 311.0 / 392) < 1e-12, "\(r.adjustedR2!)")
    }

    /// The same fit's 95% interval: s² = RSS/dof = 27/28, SE = √(s²/Σx²) = √(27/392); with 2 degrees of
    /// freedom the t quantile has the closed form t_q = (2q − 1)/√(2q(1 − q)), so the two-sided
    /// t(0.975, 2) = 0.95/√0.04875 = 4.3026527 (the one-sided 95% one would be t(0.95, 2) = 2.9199856).
    @Test func coefficientIntervalUsesTheTwoSidedQuantile() throws {
        let r = try LinearRegression.fit(y: [1, 3, 2], columns: [[1, 2, 3]], names: ["x"], intercept: false)
        let c = r.coefficients[0]
        let se = (27.0 / 392).squareRoot(), t = 0.95 / (2 * 0.975 * 0.025).squareRoot()
        #expect(abs(c.standardError! - se) < 1e-12)
        #expect(abs(c.ciLow! - (13.0 / 14 - t * se)) < 1e-9, "\(c.ciLow!)")
        #expect(abs(c.ciHigh! - (13.0 / 14 + t * se)) < 1e-9, "\(c.ciHigh!)")
    }
}
