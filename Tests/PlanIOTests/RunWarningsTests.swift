import Foundation
import Testing

@testable import PlanIO
@testable import Planning

/// run.json's warnings about the draws themselves.
@Suite struct RunWarningsTests {
    /// A cell whose curve draws were rejected more often than kept is named, with both counts; a cell
    /// with as many rejections as draws is not.
    @Test func manyRejectedCurveDrawsAreSaid() {
        let options = MonteCarlo.Options(UncertaintySettings(draws: 400, seed: 1), planYear: 2020)
        func cell(_ segment: String, rejected: Int) -> MonteCarlo.Cell {
            MonteCarlo.Cell(
                region: "Simland", segment: segment, months: [], active: nil, acquisitions: MonteCarlo.Band(values: []), coverage: nil,
                planYearDraws: [.acquisitions: []], rejectedParameterDraws: rejected)
        }
        let result = MonteCarlo.Result(options: options, cells: [cell("PU", rejected: 13_316), cell("BPU", rejected: 400)], regions: [])
        #expect(RunJob.rejectionWarnings(result).map(\.english) == [
            "Simland PU: 13,316 curve draws rejected for 400 kept: the fit allows many curves the data rule out; read its band with care (another model may suit the data better)",
        ])
        #expect(RunJob.rejectionWarnings(nil).isEmpty)
    }

    /// docs/scenario-format.md: `already_covered` 100% warns that the honorary lever adds nothing; 99%
    /// leaves 1% of the pool to it and says nothing.
    @Test func anHonoraryPoolCoveredInFullIsSaid() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scenarios/sumbagut-2018-honorary90.yaml").path
        let full = try RunJob.check(scenarioPath: path, overrides: ["levers.honorary.already_covered=1"]).warnings.map(\.english)
        #expect(full.contains { $0.hasPrefix("levers.honorary: the pool of ") && $0.hasSuffix("is already covered in full (already_covered 100%), so the lever adds no members") }, "\(full)")
        let most = try RunJob.check(scenarioPath: path, overrides: ["levers.honorary.already_covered=0.99"]).warnings.map(\.english)
        #expect(!most.contains { $0.hasPrefix("levers.honorary:") }, "\(most)")
    }
}
