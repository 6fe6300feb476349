import Foundation
import Testing

@testable import PlanIO
@testable import Planning

/// An approved plan as `rkat track` reads it: a target of zero is a plan (nothing planned, as for a
/// segment being wound down), a negative one is refused with the rule.
@Suite struct PlanReaderTests {
    static func plan(target: Double) -> String {
        let months = Array(repeating: "0", count: 12).joined(separator: ", ")
        return """
            {"plan_year": 2018, "scenario": "x", "targets": [
              {"region": "R", "segment": "PU", "metric": "acquisitions", "basis": "projection", "target": \(target), "monthly": [\(months)]}
            ]}
            """
    }

    @Test func aZeroTargetIsAPlanANegativeOneIsRefused() throws {
        let dir = ScenarioTempDir().write(["zero.json": Self.plan(target: 0), "negative.json": Self.plan(target: -1)])
        let plan = try PlanReader.read(path: dir.file("zero.json"))
        #expect(plan.targets.count == 1 && plan.targets[0].annual == 0 && plan.targets[0].months == Array(repeating: 0, count: 12))
        #expect(throws: InputError.self) { try PlanReader.read(path: dir.file("negative.json")) }
        do {
            _ = try PlanReader.read(path: dir.file("negative.json"))
        } catch {
            #expect(error.description.hasSuffix("targets[0] (R PU acquisitions): expected an annual target ≥ 0"), "\(error.description)")
        }
    }
}
