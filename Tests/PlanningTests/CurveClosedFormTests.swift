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
