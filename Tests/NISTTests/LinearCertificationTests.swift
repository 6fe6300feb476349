import Fitting
import Foundation
import PlanIO
import Testing

/// NIST StRD linear least squares through `RegressJob` (the code path of `rkat regress`).
/// Required coefficient LRE: ≥ 9 on Norris, Pontius, Longley; ≥ 6 on Wampler1/2.
@Suite struct LinearCertificationTests {
    static let required: [String: Double] = ["Norris": 9, "Pontius": 9, "Longley": 9, "Wampler1": 6, "Wampler2": 6]

    @Test func coversEveryLinearDataset() {
        #expect(Set(NISTDataset.all(kind: "linear").map(\.name)) == Set(Self.required.keys))
    }

    @Test(arguments: NISTDataset.all(kind: "linear"))
    func certified(_ d: NISTDataset) throws {
        let design = try #require(d.design)
        let request: RegressRequest
        if design.type == "polynomial" {
            request = RegressRequest(y: "y", x: [design.predictor!], degree: design.degree!, intercept: design.intercept)
        } else {
            request = RegressRequest(y: "y", x: design.predictors!, intercept: design.intercept)
        }
        let r = try RegressJob.run(request, table: try d.table())
        #expect(r.coefficients.count == d.certified_values.count)
        var cLRE = 15.0, seLRE = 15.0
        for (j, c) in r.coefficients.enumerated() {
            cLRE = min(cLRE, lre(c.estimate, d.certified_values[j]))
            // Wampler1 fits exactly: certified standard errors are 0, and ours are then not estimable or tiny.
            seLRE = min(seLRE, lre(c.standardError ?? 0, d.certified_std_devs[j]))
        }
        let rssLRE = lre(r.rss, d.certified_rss)
        print(String(format: "NIST %-9@ linear   coef LRE %5.1f  SE LRE %5.1f  RSS LRE %5.1f", d.name, cLRE, seLRE, rssLRE))
        #expect(cLRE >= Self.required[d.name]!, "\(d.name): coefficient LRE \(cLRE)")
        #expect(seLRE >= Self.required[d.name]! - 3, "\(d.name): standard error LRE \(seLRE)")
    }
}
