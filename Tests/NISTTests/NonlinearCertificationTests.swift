import Fitting
import Foundation
import PlanIO
import Testing

/// NIST StRD nonlinear least squares, fitted with `FitJob` (the code path of `rkat fit --formula`)
/// from both of NIST's starting points. Required: LRE ≥ 6 for every parameter and standard error from
/// start 2, and from start 1 on the lower- and average-difficulty sets.
@Suite struct NonlinearCertificationTests {
    struct Outcome {
        var parameterLRE: Double
        var standardErrorLRE: Double
        var rssLRE: Double
        var rescued: Bool
        var iterations: Int
    }

    static func fit(_ d: NISTDataset, start: [Double]) throws -> Outcome {
        let request = FitRequest(
            x: "x", y: d.responseColumn,
            spec: .formula(d.formula, starts: try FitRequest.parseStarts(d.startArgument(start))))
        let result = try #require(FitJob.run(request, table: try d.table()).result)
        var pLRE = 15.0, seLRE = 15.0
        for (j, p) in result.parameters.enumerated() {
            #expect(p.name == d.parameter_names[j])
            pLRE = min(pLRE, lre(p.estimate, d.certified_values[j]))
            seLRE = min(seLRE, lre(p.standardError ?? .nan, d.certified_std_devs[j]))
        }
        return Outcome(
            parameterLRE: pLRE, standardErrorLRE: seLRE, rssLRE: lre(result.rss, d.certified_rss),
            rescued: result.warnings.contains { $0.english.contains("multi-start") }, iterations: result.iterations)
    }

    static let datasets = NISTDataset.all(kind: "nonlinear")

    @Test func coversEveryNonlinearDataset() {
        #expect(Self.datasets.count == 16)
    }

    @Test(arguments: datasets)
    func fromStart2(_ d: NISTDataset) throws {
        let o = try Self.fit(d, start: d.start2!)
        print(String(format: "NIST %-9@ start 2  params LRE %5.1f  SE LRE %5.1f  RSS LRE %5.1f  iter %3d%@", d.name, o.parameterLRE, o.standardErrorLRE, o.rssLRE, o.iterations, o.rescued ? "  (multi-start)" : ""))
        #expect(o.parameterLRE >= 6, "\(d.name) start 2: parameter LRE \(o.parameterLRE)")
        #expect(o.standardErrorLRE >= 6, "\(d.name) start 2: standard error LRE \(o.standardErrorLRE)")
    }

    @Test(arguments: datasets)
    func fromStart1(_ d: NISTDataset) throws {
        do {
            let o = try Self.fit(d, start: d.start1!)
            print(String(format: "NIST %-9@ start 1  params LRE %5.1f  SE LRE %5.1f  RSS LRE %5.1f  iter %3d%@", d.name, o.parameterLRE, o.standardErrorLRE, o.rssLRE, o.iterations, o.rescued ? "  (multi-start)" : ""))
            if d.difficulty != "higher" || o.parameterLRE >= 6 {
                #expect(o.parameterLRE >= 6, "\(d.name) start 1: parameter LRE \(o.parameterLRE)")
                #expect(o.standardErrorLRE >= 6, "\(d.name) start 1: standard error LRE \(o.standardErrorLRE)")
            }
        } catch let error as FitError {
            print("NIST \(d.name) start 1  failed: \(error)")
            // A higher-difficulty set may fail from start 1, but only with a clear error, never silently.
            #expect(d.difficulty == "higher", "\(d.name) start 1: \(error)")
        }
    }
}
