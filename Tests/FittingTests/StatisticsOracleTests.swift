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
    }
}
