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
/// (27.8–30.7 M), 10–16% below every candidate: a known issue. Stated as an intervention (below), the
/// dip is left out of the fit, but Dec 2021 itself, just after the window, is still 14% below the
/// curve: the projection starts there (the data win) and its band holds the next two year-ends.
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
            withKnownIssue("the pandemic's dip in the last 12 months, 10–16% below the curve", isIntermittent: true) { check() }
        } else {
            check()
        }
    }

    /// The workbook's provenance sheet lists each stated intervention after the draws.
    @Test func theProvenanceSheetListsTheInterventions() throws {
        let path = Self.folder.appendingPathComponent("scenario.yaml").path
        let checked = try RunJob.check(scenarioPath: path, overrides: ["interventions=[{from: 2020-03, to: 2021-09, label: COVID}]"])
        let rows = try RunJob.provenance(checked, scenarioPath: path, monteCarlo: nil, words: Words(indonesian: true))
        let k = try #require(rows.firstIndex { $0.0 == "gangguan" })
        #expect(rows[k].1 == "COVID, 2020-03–2021-09: angka stok di dalamnya tidak dipakai untuk kurva")
        #expect(rows[k - 1].0 == "jumlah simulasi")
        let plain = try RunJob.provenance(try RunJob.check(scenarioPath: path), scenarioPath: path, monteCarlo: nil, words: Words(indonesian: false))
        #expect(!plain.contains { $0.0 == "intervention" })
        // Lasting (Dec 2023: three year-ends after the window to set its level against).
        let lasting = try RunJob.check(scenarioPath: path, overrides: ["interventions=[{from: 2020-03, to: 2021-09, label: COVID, lasting: true}]"])
        let said = try RunJob.provenance(lasting, scenarioPath: path, monteCarlo: nil, words: Words(indonesian: false))
        #expect(said.contains { $0 == ("intervention", "COVID, 2020-03–2021-09: its stock figures left out of the curve's fit; lasting: the figures before it rescaled to the level after it") })
        // By hand: growth before the pandemic, (34.17 / 19.0)^(1/4) = 15.8% a year, carried from Dec 2019
        // to Dec 2021 is 45.8 M where the figure is 30.66 M: a level ×0.669 (the two years after grew
        // 16.4% a year, as before). The curve (exponential here) puts it within 0.01.
        // The report's chart says the window is lasting, in the planner's language.
        let computed = try RunJob.compute(scenarioPath: path, overrides: ["interventions=[{from: 2020-03, to: 2021-09, label: COVID, lasting: true}]"],
                                          settings: RunJob.Settings(draws: 100), fullOutputs: false)
        #expect(RunJob.reportHTML(computed, words: Words(indonesian: true)).contains(">COVID (bertahan)</text>"))
        #expect(RunJob.reportHTML(computed, words: Words(indonesian: false)).contains(">COVID (lasting)</text>"))
        let note = try #require(lasting.calibrations[0].notes.map(\.english).first { $0.contains("rescaled ×") })
        let factor = try #require(Double(note.components(separatedBy: "rescaled ×")[1].prefix { $0 != " " }))
        #expect(abs(factor - 0.669) <= 0.01, "\(note)")
    }

    /// With the pandemic stated (`interventions: [{from: 2020-03, to: 2021-09, label: COVID}]`), at
    /// Dec 2021, 2022 and 2023: P10–P90 holds each later year-end actual (five), the band within 45% of
    /// the P50 (26–44%; unstated at Dec 2022 it was 47% and 69% wide; before the fit was the exact
    /// likelihood, 33–76%. With 7–9 points outside the pandemic, s is the posterior from the series' own
    /// ŝ 0.09–0.105 (ν 5–7) and the weak prior, no longer uniform[0.05, 0.15]: 27–39% then), and the P50 closer to the actual than a log-linear trend fitted to the same figures up to
    /// the cut (numpy `polyfit(t, log y, 1)`: errors −5.4%, −13.0% from Dec 2021; −11.4%, −12.9% from
    /// Dec 2022; −9.2% from Dec 2023).
    @Test func withThePandemicStatedTheBandsHoldAndBeatALogLinearTrend() throws {
        let logLinear: [String: [(String, Double)]] = [
            "2021-12": [("2022-12", -0.054), ("2023-12", -0.130)], "2022-12": [("2023-12", -0.114), ("2024-12", -0.129)],
            "2023-12": [("2024-12", -0.092)],
        ]
        let history = try HistoryReader.read(path: Self.folder.appendingPathComponent("history.csv").path).history
        let actual = Dictionary(uniqueKeysWithValues: history.series(region: "Indonesia", segment: "ALL", metric: .active).map { ($0.month, $0.value) })
        for (cut, later) in logLinear.sorted(by: { $0.key < $1.key }) {
            let doc = try ScenarioReader.read(
                path: Self.folder.appendingPathComponent("scenario.yaml").path,
                overrides: ["actuals_until=\(cut)", "interventions=[{from: 2020-03, to: 2021-09, label: COVID}]"])
            let s = doc.scenario
            let cals = try Calibration.run(s, history: history)
            let mc = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: s.targets.planYear ?? 2024, threads: 1))
            let cell = try #require(mc.cell("Indonesia", "ALL")?.active)
            let months = try #require(mc.cells.first?.months)
            for (month, trendError) in later {
                let m = try #require(Month(month))
                let k = try #require(months.firstIndex(of: m))
                let (p10, p50, p90) = (cell.values[0][k], cell.values[1][k], cell.values[2][k])
                let a = try #require(actual[m])
                print("national \(cut) → \(month): P10–P90 / P50 \((p90 - p10) / p50), P50 error \(p50 / a - 1)")
                #expect(p10 <= a && a <= p90, "\(cut) → \(month): \(a) outside [\(p10), \(p90)]")
                #expect((p90 - p10) / p50 <= 0.45, "\(cut) → \(month): band \((p90 - p10) / p50)")
                #expect(abs(p50 / a - 1) < abs(trendError), "\(cut) → \(month): P50 error \(p50 / a - 1), log-linear \(trendError)")
            }
        }
    }
}

/// A planner's trial (2026-12-07, fifth session): what the outputs say where figures are left out of
/// the fit, where there are no draws, and at backtest origins before a named window's end.
@Suite struct LeftOutFiguresTests {
    static let fixture = NationalSeriesTests.folder.deletingLastPathComponent().appendingPathComponent("gls-fallback/scenario.yaml").path
    static let national = NationalSeriesTests.folder.appendingPathComponent("scenario.yaml").path

    /// The report's residual chart plots the residuals of the figures the curve was fitted to: with a
    /// disturbance found and left out, or a stated window, the chart is drawn over the months kept
    /// (before, it was left out whenever any figure was).
    @Test func theResidualChartSkipsTheMonthsLeftOut() throws {
        for overrides in [
            ["segments.PU.model=logistic", "find_disturbances=true"],
            ["segments.PU.model=logistic", "interventions=[{from: 2017-07, to: 2018-06, label: dip}]"],
        ] {
            let computed = try RunJob.compute(scenarioPath: Self.fixture, overrides: overrides, settings: RunJob.Settings(draws: 0), fullOutputs: false)
            let c = computed.checked.calibrations[0]
            #expect(c.fitChecks.contains { $0.leftOutWindow != nil } || !computed.checked.document.scenario.interventions.isEmpty, "\(overrides): \(c.fitChecks.map(\.code))")
            #expect(RunJob.reportHTML(computed, words: Words(indonesian: false)).contains("PU — residuals (logistic)"), "\(overrides)")
        }
    }

    /// A window that holds none of the history's figures leaves none out: the method does not count
    /// the disturbance's figures as in it.
    @Test func aWindowBeforeTheHistoryLeavesNothingOut() throws {
        let c = try RunJob.check(scenarioPath: Self.fixture, overrides: [
            "segments.PU.model=logistic", "find_disturbances=true", "interventions=[{from: 2010-03, to: 2011-09, label: before}]",
        ]).calibrations[0]
        #expect(c.fitChecks.contains { $0.leftOutWindow != nil }, "\(c.fitChecks.map(\.code))")
        #expect(c.method.hasSuffix("in a disturbance the figures show left out)"), "\(c.method)")
    }

    /// `uncertainty.rescaling: true` with `--draws 0`: no band, so no rescaling said (the rolling origins
    /// were estimated before the draws were known); with draws, the note is there.
    @Test func noDrawsNoRescalingSaid() throws {
        let overrides = ["segments.PU.model=logistic", "uncertainty.rescaling=true"]
        var with = try RunJob.check(scenarioPath: Self.fixture, overrides: overrides)
        try RunJob.apply(RunJob.Settings(draws: 200), to: &with)
        guard case .success(let r) = with.calibrations[0].rescaling else { Issue.record("no rescaling with draws: \(with.calibrations[0].rescaling)"); return }
        #expect(with.calibrations[0].notes.contains(r.note))
        var without = try RunJob.check(scenarioPath: Self.fixture, overrides: overrides)
        try RunJob.apply(RunJob.Settings(draws: 0), to: &without)
        #expect(without.calibrations[0].rescaling == .failure(.noDraws))
        #expect(!without.calibrations[0].notes.contains(r.note))
        #expect(!without.calibrations[0].notes.map(\.english).contains { $0.contains("rescaled by this history's own past errors") })
    }

    /// Backtest origins before a named window's end are run with the windows they had seen (before,
    /// every one failed its calibration and was skipped): on the national series with the pandemic
    /// named, origins from Dec 2018 on are all scored, none skipped for the window.
    @Test func backtestOriginsSeeTheWindowsUpToThem() throws {
        let covid = "interventions=[{from: 2020-03, to: 2021-09, label: COVID}]"
        let bt = try BacktestJob.compute(scenarioPath: Self.national, overrides: [covid], settings: RunJob.Settings(draws: 0))
        let origins = bt.runs.map(\.origin.description)
        for o in ["2018-12", "2019-12", "2020-12", "2021-03", "2021-06", "2021-08"] { #expect(origins.contains(o), "\(o) not in \(origins)") }
        // (Dec 2017 and before are skipped for too few figures, as `run` would; none for a window.)
        #expect(!bt.warnings.map(\.english).contains { $0.contains("origin skipped") && $0.contains("interventions") }, "\(bt.warnings.map(\.english))")
        // What each origin saw: none before the window, the window cut at an origin inside it.
        #expect(BacktestJob.interventionsSeen(by: Month(year: 2019, month: 12), [Intervention(from: Month(year: 2020, month: 3), to: Month(year: 2021, month: 9), label: "COVID")]) == ["interventions=[]"])
        let label = "COVID: \"wave\" 1, ok"
        let inside = BacktestJob.interventionsSeen(by: Month(year: 2020, month: 12), [Intervention(from: Month(year: 2020, month: 3), to: Month(year: 2021, month: 9), label: label, lasting: true)])
        let doc = try ScenarioReader.read(path: Self.national, overrides: ["actuals_until=2020-12"] + inside)
        #expect(doc.scenario.interventions == [Intervention(from: Month(year: 2020, month: 3), to: Month(year: 2020, month: 12), label: label, lasting: true)])
    }
}
