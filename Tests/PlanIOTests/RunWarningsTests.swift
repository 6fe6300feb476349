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

    /// The fitting library's warnings reach the terminal and the report in the planner's language
    /// (Tests/Fixtures/gls-fallback: a Bass curve whose least-squares fit needed another start and whose
    /// GLS fit failed); `--lang en` keeps the solver's detail.
    @Test func aFitsWarningsSpeakThePlannersLanguage() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gls-fallback/scenario.yaml").path
        let checked = try RunJob.check(scenarioPath: path)
        #expect(checked.warnings.map(\.indonesian).contains("R PU: pencocokan dari nilai awal yang diberikan gagal; berhasil dari nilai awal lain"), "\(checked.warnings.map(\.indonesian))")
        #expect(checked.warnings.map(\.english).contains { $0.hasPrefix("R PU: the fit from the given start failed (did not converge") && $0.hasSuffix("multi-start succeeded from start 3") })
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rkat-fit-warnings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try RunJob.run(scenarioPath: path, outputDirectory: dir.path, settings: RunJob.Settings(draws: 100))
        let report = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("pencocokan GLS gagal (tidak konvergen)") && report.contains("berhasil dari nilai awal lain"))
        #expect(!report.contains("multi-start succeeded") && !report.contains("did not converge"))
    }
}
