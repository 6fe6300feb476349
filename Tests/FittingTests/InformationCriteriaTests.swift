import Foundation
import Testing

@testable import Fitting

/// Weighted fits on R's conventions, by hand (python3's math). logLik of a weighted nls (R's
/// stats:::logLik.nls): −N/2 (log 2π + 1 − log N − Σ log wᵢ / N + log RSS_w). N 4, RSS_w 2, weights
/// 1, 2, 4, 0.5 (Σ log w = log 4): −3.5963125911388554; AIC = −2ℓ + 2k with k = p + 1 = 2:
/// 11.19262518227771; BIC = −2ℓ + k log N: 9.965213904517492. R² around the weighted mean: y 1…4 with
/// weights 1, 1, 1, 5 have mean 3.25 and TSS 9.5, so RSS 1 gives 1 − 1/9.5 = 0.8947368421052632.
@Suite struct InformationCriteriaTests {
    @Test func weightedLogLikelihoodFollowsR() throws {
        let ic = try #require(InformationCriteria(rss: 2, n: 4, parameters: 1, weights: [1, 2, 4, 0.5]))
        #expect(abs(ic.logLikelihood - -3.5963125911388554) < 1e-12)
        #expect(abs(ic.aic - 11.19262518227771) < 1e-12 && abs(ic.bic - 9.965213904517492) < 1e-12)
        // Unit weights are no weights.
        let plain = try #require(InformationCriteria(rss: 2, n: 4, parameters: 1, weights: nil))
        #expect(plain.logLikelihood == (try #require(InformationCriteria(rss: 2, n: 4, parameters: 1, weights: [1, 1, 1, 1]))).logLikelihood)
    }

    @Test func weightedRSquaredIsAroundTheWeightedMean() throws {
        let r2 = try #require(coefficientOfDetermination(y: [1, 2, 3, 4], weights: [1, 1, 1, 5], rss: 1))
        #expect(abs(r2 - 0.8947368421052632) < 1e-12)
    }

    /// AICc exists while n − k − 1 > 0 (k = p + 1): n 4 with p 2 has none; n 5 with p 2 adds
    /// 2k(k + 1)/(n − k − 1) = 24 to the AIC (python3), RSS 2: AIC 15.6079…, AICc 39.6079….
    @Test func aiccNeedsMoreObservationsThanParametersPlusTwo() throws {
        #expect(try #require(InformationCriteria(rss: 2, n: 4, parameters: 2, weights: nil)).aicc == nil)
        let five = try #require(InformationCriteria(rss: 2, n: 5, parameters: 2, weights: nil))
        #expect(abs(five.aic - 15.607931672675951) < 1e-9 && abs(five.aicc! - 39.60793167267595) < 1e-9, "\(five)")
    }

    /// The documented input rules of a linear fit, on their edges: as many points as parameters fit
    /// exactly (y = 1 + 2x through (0, 1) and (1, 3)); a zero weight is refused, not read as "drop".
    @Test func linearFitEdges() throws {
        let exact = try LinearRegression.fit(y: [1, 3], columns: [[0, 1]], names: ["x"])
        #expect(abs(exact.coefficients[0].estimate - 1) < 1e-12 && abs(exact.coefficients[1].estimate - 2) < 1e-12)
        #expect(throws: FitError.self) { try LinearRegression.fit(y: [1, 3, 5], columns: [[0, 1, 2]], names: ["x"], weights: [1, 0, 1]) }
        #expect(throws: FitError.self) { try LinearRegression.fit(y: [1], columns: [[0]], names: ["x"]) }
    }
}
