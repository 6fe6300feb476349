import Foundation
import Testing

@testable import PlanIO
@testable import Planning
import Fitting

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

    /// A disturbance the figures show and the fit left out is shaded in the cell's chart, as a named
    /// intervention is, labelled in the planner's language: the fixture's dip (kept in with
    /// `find_disturbances: false`, found with it true) over the months calibration.csv's warning gives.
    @Test func aDisturbanceFoundIsShadedInTheChart() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gls-fallback/scenario.yaml").path
        func report(_ overrides: [String], lang en: Bool = false) throws -> (html: String, warnings: [Phrase]) {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rkat-shaded-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            let out = try RunJob.run(scenarioPath: path, outputDirectory: dir.path, overrides: overrides, settings: RunJob.Settings(draws: 100, indonesian: !en))
            return (try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8), out.checked.warnings)
        }
        let kept = try report([])
        #expect(!kept.html.contains("class=\"shaded\""))
        let found = try report(["find_disturbances=true"])
        let warning = try #require(found.warnings.map(\.english).first { $0.contains("(a passing disturbance") })
        #expect(found.html.components(separatedBy: "class=\"shaded\"").count == 2 && found.html.contains(">gangguan terdeteksi</text>"), "\(warning)")
        #expect(try report(["find_disturbances=true"], lang: true).html.contains(">disturbance found</text>"))
        // Said but kept in the fit (`find_disturbances: warn`): not shaded.
        let warned = try report(["find_disturbances=warn"])
        #expect(!warned.html.contains("class=\"shaded\"") && warned.warnings.map(\.english).contains { $0.contains("kept in the curve's fit (find_disturbances: warn)") })
        // Only a window the refit left out is shaded: found on the first fit but not refitted without
        // (too few figures left, or no curve), every figure was fitted.
        let dip = TransientShift(
            from: Month(year: 2017, month: 8), to: Month(year: 2018, month: 5), shift: -0.08, pValue: 0.01,
            leftOut: Month(year: 2017, month: 7)...Month(year: 2018, month: 6))
        let horizon = Month(year: 2021, month: 12)
        #expect(FitCheck.transientShift(dip, horizon: horizon, curveWith: 1, curveWithout: 2).leftOutWindow == dip.leftOut)
        #expect(FitCheck.transientShift(dip, horizon: horizon, curveWith: 1, curveWithout: nil).leftOutWindow == nil)
    }
}
