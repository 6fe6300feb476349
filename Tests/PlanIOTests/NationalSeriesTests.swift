import Fitting
import Foundation
import Testing

@testable import PlanIO
@testable import Planning

/// The one long real series (national active members, Dec 2015 – Dec 2024, Tests/Fixtures/national):
/// calibrated at Dec 2021, 2022 and 2023 with `model: auto`, the fitted curve stays on the data
/// (issue 31: the curve fitted without the likelihood's Jacobian term sat at 98 M, 36 M (Richards) and
/// 95 M where the data say 30.7 M, 35.9 M and 41.6 M). Checked: the curve within 10% of the last actual
/// (the jump-off) and of every figure of the last 12 months, for the chosen curve and for every candidate
/// the draws take with a weight of 5% or more. At Dec 2021 the last 12 months are the pandemic's dip
/// (27.8–30.7 M), 10–16% below every candidate: a known issue until the dip can be stated as an
/// intervention (issue 31, item 2).
@Suite struct NationalSeriesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/national")

    @Test(arguments: ["2021-12", "2022-12", "2023-12"])
    func theFittedCurveStaysOnTheData(_ cut: String) throws {
        let doc = try ScenarioReader.read(
            path: Self.folder.appendingPathComponent("scenario.yaml").path, overrides: ["actuals_until=\(cut)"])
        let history = try HistoryReader.read(path: Self.folder.appendingPathComponent("history.csv").path).history
        let c = try Calibration.run(doc.scenario, history: history)[0]
        guard case .curve(let chosen, .coverage, _) = c.dynamics, let potential = c.potential else {
            Issue.record("\(cut): not a curve in coverage space: \(c.method)"); return
        }
        let until = doc.scenario.actualsUntil
        let recent = history.series(region: "Indonesia", segment: "ALL", metric: .active)
            .filter { $0.month <= until && until.distance(to: $0.month) > -12 }
        #expect(recent.last?.month == until)
        var curves = [(chosen.model.rawValue, chosen)]
        curves += c.candidates.filter { $0.weight >= 0.05 }.map { ($0.dynamics.model.rawValue, $0.dynamics) }
        let check = {
            for (name, curve) in curves {
                for point in recent {
                    let fitted = potential.value(at: point.month) * curve.value(at: point.month.decimalYear)
                    #expect(abs(fitted / point.value - 1) <= 0.10, "\(cut) \(name): curve \(fitted) at \(point.month), data \(point.value)")
                }
            }
        }
        if cut == "2021-12" {
            withKnownIssue("the pandemic's dip in the last 12 months, not yet stated as an intervention", isIntermittent: true) { check() }
        } else {
            check()
        }
    }
}
