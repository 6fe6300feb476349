import Foundation
import Testing

@testable import Fitting
@testable import Planning

/// The closed forms a drawn curve is evaluated with (its jump-off and start), against the textbook
/// formulas computed in python3's math module at t = 2015: Bass (1969) m(1 − e)/(1 + (q/p)e) with
/// e = exp(−(p + q)(t − t₀)); logistic K/(1 + exp(−r(t − t_m))); Gompertz K exp(−exp(−r(t − t_m)));
/// Richards K(1 + ν exp(−r(t − t_m)))^(−1/ν); linear and exponential from the origin 2010.
@Suite struct CurveClosedFormTests {
    static let cases: [(GrowthModel, [Double], Double)] = [
        (.bass, [1_000, 0.03, 0.38, 2010], 331.19864249137356),
        (.logistic, [1_000, 0.8, 2014], 689.9744811276124),
        (.gompertz, [1_000, 0.8, 2014], 638.0561665820187),
        (.richards, [1_000, 0.8, 2014, 0.5], 666.754192104707),
        (.linear, [100, 12.5], 162.5),
        (.exponential, [100, 0.07], 141.90675485932573),
    ]

    @Test(arguments: cases.indices)
    func closedFormAtTwentyFifteen(_ i: Int) {
        let (model, parameters, expected) = Self.cases[i]
        let got = parameters.withUnsafeBufferPointer { CurveDynamics.value(model, $0, origin: 2010, at: 2015) }
        #expect(abs(got - expected) <= 1e-12 * expected, "\(model): \(got)")
    }
}

/// Bass diffusion starts from nothing (innovators, p > 0): one month from F = 0 the map must land on
/// the closed form at t₀ + 1/12, m(1 − e)/(1 + (q/p)e) with e = exp(−(p + q)/12), from python3's math
/// module: 2.5367474636174006 for m 1000, p 0.03, q 0.38. The multiplicative models stay at 0.
@Suite struct CurveStepFromZeroTests {
    @Test func bassTakesOffFromZeroMembers() {
        let bass = CurveDynamics(model: .bass, parameters: [1_000, 0.03, 0.38, 2010], origin: 2010)
        let got = bass.advance(0)
        #expect(abs(got - 2.5367474636174006) <= 1e-9, "\(got)")
        let logistic = CurveDynamics(model: .logistic, parameters: [1_000, 0.8, 2014], origin: 2010)
        #expect(logistic.advance(0) == 0)
    }
}
