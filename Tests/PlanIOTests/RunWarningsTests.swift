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
    /// intervention is, labelled in the planner's language: 96 monthly stocks on a logistic with AR(1)
    /// deviations (φ 0.8, s 2%) and a −12% dip over 2017-07 – 2018-06 (`TransientShiftTests`' history),
    /// kept in with `find_disturbances: false` or `warn`, found and left out with `true`.
    @Test func aDisturbanceFoundIsShadedInTheChart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rkat-shaded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rng = RandomStream(seed: 33)
        var d = [rng.gaussian(sd: 0.02)]
        for _ in 1..<96 { d.append(0.8 * d.last! + 0.02 * 0.6 * rng.gaussian(sd: 1)) }
        var csv = "date,region,segment,metric,value\n"
        for k in 0..<96 {
            let m = Month(year: 2012, month: 1).adding(months: k)
            let f = 2_760_000 * 0.5 / (1 + exp(-0.6 * (m.decimalYear - 2016.5)))
            let dip = k < 66 || k > 77 ? 0 : -0.12 * min(1, Double(k - 65) / 3, Double(78 - k) / 3)
            csv += "\(m),R,PU,active,\(Int((f * (1 + d[k] + dip)).rounded()))\n"
        }
        try csv.write(to: dir.appendingPathComponent("history.csv"), atomically: true, encoding: .utf8)
        let yaml = """
            name: dip
            region: R
            actuals_until: 2019-12
            horizon: 2021-12
            history: history.csv
            potential: {total: 6900000, shares: {PU: 0.4}, basis: test, as_of: 2018-01, growth_per_year: 0}
            segments:
              PU: {model: logistic, lapse_rate_per_year: 0.2}
            uncertainty: {draws: 100, seed: 1}
            targets: {plan_year: 2020}

            """
        try yaml.write(to: dir.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        func report(_ overrides: [String], lang en: Bool = false) throws -> (html: String, warnings: [Phrase], provenance: [[String]]) {
            let out = dir.appendingPathComponent("out-\(UUID().uuidString)")
            let run = try RunJob.run(
                scenarioPath: dir.appendingPathComponent("scenario.yaml").path, outputDirectory: out.path, overrides: overrides,
                settings: RunJob.Settings(draws: 100, indonesian: !en))
            // The workbook as written: its provenance sheet's rows, as text.
            let book = try Workbook.open(path: out.appendingPathComponent("targets.xlsx").path)
            let sheet = try book.read(try book.sheet(named: en ? "Provenance" : "Asal Data"))
            let rows = sheet.rows.map { $0.map { c -> String in if case .text(let t) = c.value { t } else { "" } } }
            return (try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8), run.checked.warnings, rows)
        }
        #expect(!(try report(["find_disturbances=false"])).html.contains("class=\"shaded\""))
        let found = try report([])
        let warning = try #require(found.warnings.map(\.english).first { $0.contains("(a passing disturbance") })
        #expect(found.html.components(separatedBy: "class=\"shaded\"").count == 2 && found.html.contains(">gangguan terdeteksi</text>"), "\(warning)")
        let english = try report([], lang: true)
        #expect(english.html.contains(">disturbance found</text>"))
        // The warning travels with the workbook a planner hands in: a row of its provenance sheet, in
        // the workbook's language.
        let said = try #require(found.warnings.first { $0.english == warning })
        #expect(found.provenance.contains(["peringatan", said.text(indonesian: true)]), "\(found.provenance)")
        #expect(english.provenance.contains(["warning", warning]), "\(english.provenance)")
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
        #expect(FitCheck.transientShift(dip, horizon: horizon, curveWith: 1, curveWithout: 2, kept: .worseFit(sdWith: 0.05, sdWithout: 0.1)).leftOutWindow == nil)
    }

    /// A refit without a disturbance found that describes the figures it kept worse than the fit across
    /// it described them all is not projected from: Tests/Fixtures/gls-fallback's Bass curve (its dip
    /// kept with `find_disturbances: false`) refitted without the dip holds its ceiling at the potential
    /// (m = 1) with a deviation SD of 10.1% against the first fit's 4.9%. The figures stay in, the
    /// warning says why, and the projection is the one `warn` gives.
    @Test func aRefitThatFitsWorseIsNotProjectedFrom() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gls-fallback/scenario.yaml").path
        let found = try RunJob.check(scenarioPath: path, overrides: ["find_disturbances=true"])
        let warning = try #require(found.warnings.map(\.english).first { $0.contains("(a passing disturbance") })
        #expect(warning.contains("kept in the curve's fit (fitted without them, the curve described the other figures worse: deviation SD 10.1% against 4.9%)"), "\(warning)")
        #expect(found.warnings.map(\.indonesian).contains { $0.contains("tetap dipakai untuk kurva (tanpa angka itu kurva menggambarkan angka lainnya lebih buruk: SD simpangan 10,1% dibanding 4,9%)") })
        let warned = try RunJob.check(scenarioPath: path, overrides: ["find_disturbances=warn"])
        let calibration = { (c: RunJob.Checked) in c.calibrations.first.map { "\($0.dynamics)" } }
        #expect(calibration(found) == calibration(warned) && calibration(found) != nil)
    }
}
