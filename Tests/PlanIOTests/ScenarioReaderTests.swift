import Fitting
import Foundation
import Planning
import Testing

@testable import PlanIO

/// A fresh directory per test (tests run in parallel), removed at the end.
final class ScenarioTempDir {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "rkat-scenario-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `files` (paths relative to the directory) and returns the directory.
    @discardableResult
    func write(_ files: [String: String]) -> ScenarioTempDir {
        for (name, text) in files {
            let full = path + "/" + name
            try! FileManager.default.createDirectory(
                atPath: ScenarioPaths.directory(of: full), withIntermediateDirectories: true)
            try! text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return self
    }

    func file(_ name: String) -> String { path + "/" + name }
}

enum ScenarioFixtures {
    static let historyCSV = "date,region,segment,metric,value\n2017-09,Sumbagut,PU,active,726119\n"

    /// A small valid scenario; the error cases below change one thing in it. `h.csv` sits next to it.
    static let minimalScenario = """
        name: Test
        region: Sumbagut
        actuals_until: 2017-11
        horizon: 2018-12
        history: h.csv
        potential:
          total: 6_900_000
          basis: BPS
          as_of: 2018-01
          shares: {PU: 0.3988, BPU: 0.6012}
        segments:
          PU: {model: auto}
          BPU: {}

        """

    /// Reads `main` from a directory holding `files`, expecting an error; returns its one-line description
    /// with the directory prefix removed (so expectations read `s.yaml:3:5: …`).
    static func scenarioError(_ files: [String: String], main: String = "s.yaml", overrides: [String] = []) -> String? {
        let dir = ScenarioTempDir().write(files)
        do {
            let doc = try ScenarioReader.read(path: dir.file(main), overrides: overrides)
            Issue.record("expected an error, read scenario '\(doc.scenario.name)'")
            return nil
        } catch {
            return error.description.replacingOccurrences(of: dir.path + "/", with: "")
        }
    }
}

@Suite struct ScenarioReaderTests {
    // MARK: Valid scenarios

    static let full = """
        # Sumbagut 2018, every key
        name: Sumbagut 2018 baseline
        description: "Seed 001: flows only"
        region: Sumbagut
        branches:
          - {name: KC Medan Utara, potential_share: 0.2, active: 164_000, active_as_of: 2018-12}
          - name: KC Binjai
            potential_share: "15%"
        actuals_until: 2017-11
        horizon: "2018-12"
        history: ../data/sumbagut-2018-history.csv
        potential:
          total: 6.9e6
          basis: "BPJS TK Kanwil Sumbagut estimate for 2018 (seed 001)"
          as_of: 2018-01
          growth_per_year: 2%
          shares: {PU: 0.3988, BPU: 0.6012}
        segments:
          PU: {model: logistic, lapse_rate_per_year: 0.30, ceiling: free}
          BPU: {model: bass, flow_only: false}
          JAKON: {flow_only: true, lapse_rate_per_year: "45%"}
        levers:
          outreach:
            intensity: [{from: 2018-01, value: 1.3}, {from: 2018-07, value: 1.5}]
            elasticity: 0.6
            segments: [PU, BPU]
          honorary:
            pool: 50_000
            segment: PU
            region: Sumbagut
            ramp: [{month: 2018-03, share: 0.3}, {month: 2018-12, share: 90%}]
            renewal_probability: 0.9
          villages: {segment: BPU, villages_per_year: 27, acquisitions_per_village: 660}
          budget_cohorts:
            segment: BPU
            budget_per_year_rp: [{from: 2018-01, value: 1_000_000_000}]
            renewal_probability: 0.8
        uncertainty: {draws: 2_000, seed: 42, quantiles: [0.1, 0.5, 0.9]}
        targets: {plan_year: 2018, confidence: 0.6, rule_growth: [0.2, 30%]}

        """

    @Test func fullScenarioRoundTrips() throws {
        let dir = ScenarioTempDir().write([
            "scenarios/full.yaml": Self.full, "data/sumbagut-2018-history.csv": ScenarioFixtures.historyCSV,
        ])
        let doc = try ScenarioReader.read(path: dir.file("scenarios/full.yaml"))
        let s = doc.scenario
        #expect(doc.files == [dir.file("scenarios/full.yaml")])
        #expect(s.name == "Sumbagut 2018 baseline")
        #expect(s.description == "Seed 001: flows only")
        #expect(s.actualsUntil == Month(year: 2017, month: 11))
        #expect(s.horizon == Month(year: 2018, month: 12))
        #expect(s.historyPath == dir.file("data/sumbagut-2018-history.csv"))

        #expect(s.regions.count == 1)
        let r = s.regions[0]
        #expect(r.name == "Sumbagut")
        #expect(r.potential.total == 6_900_000)
        #expect(r.potential.basis == "BPJS TK Kanwil Sumbagut estimate for 2018 (seed 001)")
        #expect(r.potential.asOf == Month(year: 2018, month: 1))
        #expect(r.potential.growthPerYear == 0.02)
        #expect(r.potential.split == .shares(["PU": 0.3988, "BPU": 0.6012]))
        #expect(r.branches.map(\.name) == ["KC Medan Utara", "KC Binjai"])
        #expect(r.branches[0].potentialShare == 0.2)
        #expect(r.branches[0].active == 164_000)
        #expect(r.branches[0].activeAsOf == Month(year: 2018, month: 12))
        #expect(r.branches[1].potentialShare == 0.15)
        #expect(r.branches[1].active == nil && r.branches[1].activeAsOf == nil)

        #expect(s.segments.map(\.name) == ["PU", "BPU", "JAKON"])
        #expect(s.segments[0].model == .named(.logistic))
        #expect(s.segments[0].lapseRatePerYear == 0.30)
        #expect(s.segments[0].ceiling == .free)
        #expect(s.segments[0].flowOnly == false)
        #expect(s.segments[1].model == .named(.bass))
        #expect(s.segments[1].ceiling == .potential)
        #expect(s.segments[1].lapseRatePerYear == nil)
        #expect(s.segments[2].model == .auto)
        #expect(s.segments[2].flowOnly)
        #expect(s.segments[2].lapseRatePerYear == 0.45)

        let o = try #require(s.levers.outreach)
        #expect(o.intensity == LeverPath(steps: [(Month(year: 2018, month: 1), 1.3), (Month(year: 2018, month: 7), 1.5)], initial: 1.0))
        #expect(o.elasticity == 0.6)
        #expect(o.segments == ["PU", "BPU"])
        let h = try #require(s.levers.honorary)
        #expect(h.pool == 50_000 && h.segment == "PU" && h.region == "Sumbagut" && h.renewalProbability == 0.9)
        #expect(h.ramp.map(\.month) == [Month(year: 2018, month: 3), Month(year: 2018, month: 12)])
        #expect(h.ramp.map(\.share) == [0.3, 0.9])
        let v = try #require(s.levers.villages)
        #expect(v.segment == "BPU" && v.region == nil && v.acquisitionsPerVillage == 660)
        #expect(v.villagesPerYear == LeverPath(constant: 27))
        let b = try #require(s.levers.budgetCohorts)
        #expect(b.segment == "BPU" && b.costPerPersonMonth == 16_800 && b.renewalProbability == 0.8)
        #expect(b.size == .budget(LeverPath(steps: [(Month(year: 2018, month: 1), 1e9)], initial: 0)))
        #expect(b.persons(at: Month(year: 2017, month: 12)) == 0 && b.enrolmentMonths == 3 && b.enrolledAtStart == 0)

        #expect(s.uncertainty.draws == 2000 && s.uncertainty.seed == 42 && s.uncertainty.quantiles == [0.1, 0.5, 0.9])
        #expect(s.targets.planYear == 2018 && s.targets.confidence == 0.6 && s.targets.ruleGrowth == [0.2, 0.3])
    }

    @Test func defaultsApplyWhenOptionalKeysAreAbsent() throws {
        let dir = ScenarioTempDir().write(["s.yaml": ScenarioFixtures.minimalScenario, "h.csv": ScenarioFixtures.historyCSV])
        let sDoc = try ScenarioReader.read(path: dir.file("s.yaml")); let s = sDoc.scenario
        #expect(s.description == "")
        #expect(s.regions[0].branches.isEmpty)
        #expect(s.regions[0].potential.growthPerYear == 0)
        #expect(s.segments.map(\.model) == [.auto, .auto])
        #expect(s.segments.allSatisfy { $0.ceiling == .potential && !$0.flowOnly && $0.lapseRatePerYear == nil && $0.selection == .aicc })
        #expect(s.levers.outreach == nil && s.levers.honorary == nil && s.levers.villages == nil && s.levers.budgetCohorts == nil)
        #expect(s.uncertainty.draws == 0 && s.uncertainty.quantiles == [0.1, 0.5, 0.9])
        #expect(s.uncertainty.seed == 20_180_101 && s.uncertainty.parameters && s.uncertainty.processNoise)
        #expect(s.uncertainty.assumptions.isEmpty)
        #expect(s.targets.planYear == nil && s.targets.confidence == 0.5 && s.targets.ruleGrowth.isEmpty)
        #expect(sDoc.sweep == nil)
    }

    /// A plan year with a month left after actuals_until is read: actuals to November 2017, so
    /// December 2017 is still to come and 2017 may be planned (brokenFiles: not with actuals to December).
    @Test func aPlanYearWithItsDecemberStillToComeIsRead() throws {
        let dir = ScenarioTempDir().write(["s.yaml": ScenarioFixtures.minimalScenario + "targets: {plan_year: 2017}\n", "h.csv": ScenarioFixtures.historyCSV])
        #expect(try ScenarioReader.read(path: dir.file("s.yaml")).scenario.targets.planYear == 2017)
    }

    /// `selection: backtest` on an auto segment is read; on a fixed model it is refused (brokenFiles).
    @Test func selectionIsRead() throws {
        let yaml = ScenarioFixtures.minimalScenario.replacingOccurrences(of: "  BPU: {}", with: "  BPU: {model: auto, selection: backtest}")
        let dir = ScenarioTempDir().write(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
        let s = try ScenarioReader.read(path: dir.file("s.yaml")).scenario
        #expect(s.segments.map(\.selection) == [.aicc, .backtest])
    }

    /// `acquisitions_per_month` is read as whole persons; a dotted thousand is refused, and so is the key
    /// on a flow_only segment.
    @Test func statedAcquisitionsAreRead() throws {
        let yaml = ScenarioFixtures.minimalScenario.replacingOccurrences(of: "  BPU: {}", with: "  BPU: {acquisitions_per_month: 516}")
        let dir = ScenarioTempDir().write(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
        let s = try ScenarioReader.read(path: dir.file("s.yaml")).scenario
        #expect(s.segments.map(\.acquisitionsPerMonth) == [nil, 516])
        let dotted = ScenarioFixtures.minimalScenario.replacingOccurrences(of: "  BPU: {}", with: "  BPU: {acquisitions_per_month: 1.181}")
        let e1 = ScenarioFixtures.scenarioError(["s.yaml": dotted, "h.csv": ScenarioFixtures.historyCSV])
        #expect(e1?.hasPrefix("s.yaml:13:33: segments.BPU.acquisitions_per_month: expected a whole number of persons") == true && e1?.contains("acquisitions_per_month") == true, "\(e1 ?? "")")
        let flowOnly = ScenarioFixtures.minimalScenario.replacingOccurrences(of: "  BPU: {}", with: "  BPU: {flow_only: true, acquisitions_per_month: 516}")
        let e2 = ScenarioFixtures.scenarioError(["s.yaml": flowOnly, "h.csv": ScenarioFixtures.historyCSV])
        #expect(e2?.contains("a flow_only segment takes its acquisitions from the history") == true, "\(e2 ?? "")")
    }

    /// `segments.S.iuran`: each basis is read as the arithmetic it stands for; a dotted thousand, two
    /// bases, a package on a flow_only segment, wage shares not summing to 1 and rates without wages
    /// are refused with the key's location.
    @Test func iuranIsRead() throws {
        func with(_ iuran: String, flowOnly: Bool = false) -> String {
            ScenarioFixtures.minimalScenario.replacingOccurrences(of: "  BPU: {}", with: "  BPU: {\(flowOnly ? "flow_only: true, " : "")iuran: \(iuran)}")
        }
        func read(_ yaml: String) throws -> IuranPlan? {
            let dir = ScenarioTempDir().write(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
            return try ScenarioReader.read(path: dir.file("s.yaml")).scenario.segments[1].iuran
        }
        let bpu = try read(with("{package_rp: 16_800, collection: 0.9, source: assumed}"))
        #expect(bpu == IuranPlan(contribution: .package(rupiah: 16_800), collection: 0.9, source: "assumed"))
        let pu = try read(with("{wages: [{wage_rp: 3000000, share: 0.7}, {wage_rp: 12000000, share: 0.3}], jkk: 0.0024, collection: {distribution: uniform, min: 0.8, max: 1}}"))
        // 509,060.7 a member-month (IuranTests), the collection drawn, its mean the central rate.
        #expect(abs(pu!.contribution.perMemberMonth - 509_060.7) < 1e-6)
        #expect(pu!.collectionUncertainty == .uniform(min: 0.8, max: 1) && pu!.collection == 0.9)
        #expect(try read(with("{stated_rp: 25000}", flowOnly: true))?.contribution == .stated(rupiah: 25_000))
        let jakon = try read(with("{projects: [{value_rp: 2000000000, share: 0.5}, {value_rp: 100000000, share: 0.5}], workers_per_project: 50}", flowOnly: true))
        #expect(abs(jakon!.contribution.perMemberMonth - 31_900) < 1e-9)
        let errors: [(String, String)] = [
            (with("{package_rp: 16.800}"), "segments.BPU.iuran.package_rp: expected a contribution in whole rupiah a member-month in [0, 1e9], got 16.800: this reads as the decimal 16.8; write thousands as 16800 or 16_800"),
            (with("{package_rp: 16800, stated_rp: 1}"), "give one of package_rp, wages, projects or stated_rp, not both package_rp and stated_rp"),
            (with("{collection: 0.9}"), "missing the contribution"),
            (with("{package_rp: 16800}", flowOnly: true), "a flow_only segment has no members to pay a month"),
            (with("{wages: [{wage_rp: 3000000, share: 0.7}], jkk: 0.0024}"), "segments.BPU.iuran.wages: the shares sum to 0.7, not 1"),
            (with("{wages: [{wage_rp: 3000000, share: 1}]}"), "missing jkk"),
            (with("{package_rp: 16800, jkk: 0.0024}"), "programme rates apply to wages"),
            (with("{package_rp: 16800, collection: 1.2}"), "segments.BPU.iuran.collection: expected a share"),
            (with("{package_rp: 16,800}"), "unknown key '800' (a comma inside {…} starts a new key"),
            (with("{projects: [{value_rp: 2000000000, share: 1}], workers_per_project: 50}"), "contract values pay per registered worker of a flow_only segment"),
            (with("{projects: [{value_rp: 2000000000, share: 1}]}", flowOnly: true), "missing required key 'workers_per_project'"),
        ]
        for (yaml, message) in errors {
            let e = ScenarioFixtures.scenarioError(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
            #expect(e?.hasPrefix("s.yaml:13:") == true && e?.contains(message) == true, "\(e ?? "no error")")
        }
    }

    /// A company segment: `unit: companies`, its `workers_segment` (a persons stock segment) and its own
    /// `potential`; iuran on it, a workers segment on a persons segment, an unknown workers segment and
    /// a segment potential beside several regions are refused.
    @Test func companySegmentsAreRead() throws {
        let company = "  BU: {unit: companies, workers_segment: PU, potential: {total: 3000, basis: judgement, as_of: 2017-11}}"
        let yaml = ScenarioFixtures.minimalScenario + company + "\n"
        let dir = ScenarioTempDir().write(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
        let bu = try ScenarioReader.read(path: dir.file("s.yaml")).scenario.segments[2]
        #expect(bu.unit == .companies && bu.workersSegment == "PU" && bu.potential?.total == 3000 && bu.potential?.basis == "judgement")
        let errors: [(String, String)] = [
            (ScenarioFixtures.minimalScenario + "  BU: {unit: companies, iuran: {package_rp: 16800}}\n", "a company segment counts companies"),
            (ScenarioFixtures.minimalScenario + "  BU: {workers_segment: PU}\n", "only a company segment (unit: companies) has a workers segment"),
            (ScenarioFixtures.minimalScenario + "  BU: {unit: companies, workers_segment: PX}\n", "segments.BU.workers_segment"),
            (ScenarioFixtures.minimalScenario + "  BU: {unit: firms}\n", "segments.BU.unit"),
        ]
        for (yaml, message) in errors {
            let e = ScenarioFixtures.scenarioError(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
            #expect(e?.hasPrefix("s.yaml:14:") == true && e?.contains(message) == true, "\(e ?? "no error")")
        }
    }

    /// `levers.reactivation`: a mapping or a list, the share a number or a distribution, an optional
    /// pool; a flow_only segment, a share above 1 and two levers on one segment are refused.
    /// `interventions` (issue 31): windows of the history in order; each mistake one located line. The
    /// minimal scenario's actuals_until is 2017-11.
    @Test func interventionsAreRead() throws {
        let yaml = ScenarioFixtures.minimalScenario + "interventions:\n  - {from: 2015-03, to: 2015-09, label: Banjir}\n  - {from: 2017-01, to: 2017-11, label: Revisi data}\n"
        let dir = ScenarioTempDir().write(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
        let i = try ScenarioReader.read(path: dir.file("s.yaml")).scenario.interventions
        #expect(i == [
            Intervention(from: Month(year: 2015, month: 3), to: Month(year: 2015, month: 9), label: "Banjir"),
            Intervention(from: Month(year: 2017, month: 1), to: Month(year: 2017, month: 11), label: "Revisi data"),
        ])
        #expect(i[0].contains(Month(year: 2015, month: 3)) && i[0].contains(Month(year: 2015, month: 9)))
        #expect(!i[0].contains(Month(year: 2015, month: 2)) && !i[0].contains(Month(year: 2015, month: 10)))
        #expect(!i[0].lasting && !i[1].lasting)
        let lasting = ScenarioTempDir().write([
            "s.yaml": ScenarioFixtures.minimalScenario + "interventions:\n  - {from: 2015-03, to: 2015-09, label: COVID, lasting: true}\n", "h.csv": ScenarioFixtures.historyCSV,
        ])
        #expect(try ScenarioReader.read(path: lasting.file("s.yaml")).scenario.interventions
            == [Intervention(from: Month(year: 2015, month: 3), to: Month(year: 2015, month: 9), label: "COVID", lasting: true)])
        let errors: [(String, String)] = [
            ("interventions:\n  - {from: 2015-09, to: 2015-03, label: X}\n", "s.yaml:15:25: interventions[0].to: expected a month at or after from (2015-09), got 2015-03"),
            ("interventions:\n  - {from: 2017-09, to: 2017-12, label: X}\n", "s.yaml:15:25: interventions[0].to: an intervention marks months of the history: expected 2017-11 (actuals_until) at the latest, got 2017-12"),
            ("interventions:\n  - {from: 2015-01, to: 2015-09, label: X}\n  - {from: 2015-09, to: 2015-12, label: Y}\n",
             "s.yaml:16:12: interventions[1].from: interventions must be in order and must not overlap: expected a month after 2015-09 (the end of interventions[0]), got 2015-09"),
            ("interventions:\n  - {from: 2015-01, to: 2015-09}\n", "interventions[0]: missing required key 'label'"),
            ("interventions:\n  - {from: 2015-01, to: 2015-09, label: X, kind: covid}\n", "interventions[0]: unknown key 'kind'"),
            ("interventions:\n  - {from: 2015-01, to: 2015-09, label: X, lasting: ya}\n", "s.yaml:15:53: interventions[0].lasting: expected true or false, got ya"),
            ("interventions:\n  - {from: 2015-01, to: 2015-03, label: X, lasting: true}\n  - {from: 2016-01, to: 2016-03, label: Y, lasting: true}\n",
             "s.yaml:16:53: interventions[1].lasting: only one intervention can be lasting (lasting: true), and interventions[0] already is"),
        ]
        for (extra, message) in errors {
            let e = ScenarioFixtures.scenarioError(["s.yaml": ScenarioFixtures.minimalScenario + extra, "h.csv": ScenarioFixtures.historyCSV])
            #expect(e?.hasPrefix("s.yaml:") == true && e?.contains(message) == true, "\(e ?? "no error")")
        }
    }

    /// `find_disturbances`: true (leave out) unless the file says warn or false; anything else is one
    /// located line naming the three.
    @Test func findDisturbancesIsRead() throws {
        let plain = ScenarioTempDir().write(["s.yaml": ScenarioFixtures.minimalScenario, "h.csv": ScenarioFixtures.historyCSV])
        #expect(try ScenarioReader.read(path: plain.file("s.yaml")).scenario.findDisturbances == .leaveOut)
        for (text, value) in [("true", DisturbanceSearch.leaveOut), ("warn", .warn), ("false", .off)] {
            let dir = ScenarioTempDir().write(["s.yaml": ScenarioFixtures.minimalScenario + "find_disturbances: \(text)\n", "h.csv": ScenarioFixtures.historyCSV])
            #expect(try ScenarioReader.read(path: dir.file("s.yaml")).scenario.findDisturbances == value, "\(text)")
        }
        let e = ScenarioFixtures.scenarioError(["s.yaml": ScenarioFixtures.minimalScenario + "find_disturbances: nanti\n", "h.csv": ScenarioFixtures.historyCSV])
        #expect(e == "s.yaml:14:20: find_disturbances: expected one of true, warn, false, got nanti", "\(e ?? "no error")")
    }

    @Test func reactivationIsRead() throws {
        let one = ScenarioFixtures.minimalScenario + "levers:\n  reactivation: {segment: PU, share_per_year: 0.2, pool: 6166}\n"
        let dir = ScenarioTempDir().write(["s.yaml": one, "h.csv": ScenarioFixtures.historyCSV])
        let r = try ScenarioReader.read(path: dir.file("s.yaml")).scenario.levers.reactivation
        #expect(r.count == 1 && r[0].segment == "PU" && r[0].sharePerYear == 0.2 && r[0].pool == 6166)
        let list = ScenarioFixtures.minimalScenario + "levers:\n  reactivation:\n    - {segment: PU, share_per_year: {distribution: uniform, min: 0.1, max: 0.3}}\n    - {segment: BPU, share_per_year: 0.1}\n"
        let dir2 = ScenarioTempDir().write(["s.yaml": list, "h.csv": ScenarioFixtures.historyCSV])
        let r2 = try ScenarioReader.read(path: dir2.file("s.yaml")).scenario.levers.reactivation
        #expect(r2.map(\.segment) == ["PU", "BPU"] && r2[0].shareUncertainty == .uniform(min: 0.1, max: 0.3) && abs(r2[0].sharePerYear - 0.2) < 1e-12)
        let errors: [(String, String)] = [
            (ScenarioFixtures.minimalScenario.replacingOccurrences(of: "  BPU: {}", with: "  BPU: {flow_only: true}") + "levers:\n  reactivation: {segment: BPU, share_per_year: 0.2}\n", "is flow_only"),
            (ScenarioFixtures.minimalScenario + "levers:\n  reactivation: {segment: PU, share_per_year: 1.5}\n", "levers.reactivation.share_per_year: expected a share"),
            (ScenarioFixtures.minimalScenario + "levers:\n  reactivation: [{segment: PU, share_per_year: 0.1}, {segment: PU, share_per_year: 0.2}]\n", "a second reactivation lever for segment PU"),
        ]
        for (yaml, message) in errors {
            let e = ScenarioFixtures.scenarioError(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
            #expect(e?.hasPrefix("s.yaml:") == true && e?.contains(message) == true, "\(e ?? "no error")")
        }
    }

    @Test func severalRegionsWithValuesAndSeries() throws {
        let yaml = """
            name: Two regions
            regions:
              - name: Sumut
                potential: {basis: BPS 2024, as_of: 2024-12, values: {PU: 2_751_720, BPU: 0}}
                branches: [{name: KC Medan}]
              - name: Aceh
                potential: {basis: history, as_of: 2024-12, series: true, growth_per_year: -0.01}
            actuals_until: 2024-12
            horizon: 2025-12
            history: h.csv
            segments: {PU: {model: gompertz}, BPU: }
            levers:
              honorary: {pool: 1000, segment: PU, region: Aceh, ramp: [{month: 2025-06, share: 1}]}

            """
        let dir = ScenarioTempDir().write(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
        let s = try ScenarioReader.read(path: dir.file("s.yaml")).scenario
        #expect(s.regions.map(\.name) == ["Sumut", "Aceh"])
        #expect(s.regions[0].potential.split == .values(["PU": 2_751_720, "BPU": 0]))
        #expect(s.regions[0].potential.total == nil)
        #expect(s.regions[0].branches.map(\.name) == ["KC Medan"])
        #expect(s.regions[1].potential.split == .series)
        #expect(s.regions[1].potential.growthPerYear == -0.01)
        #expect(s.segments.map(\.name) == ["PU", "BPU"])
        #expect(s.levers.honorary?.region == "Aceh")
        #expect(s.levers.honorary?.renewalProbability == 1)
    }

    @Test func resolvedJSONKeepsFileOrderAndNormalisesNumbers() throws {
        let dir = ScenarioTempDir().write(["s.yaml": ScenarioFixtures.minimalScenario, "h.csv": ScenarioFixtures.historyCSV])
        let doc = try ScenarioReader.read(path: dir.file("s.yaml"), overrides: ["description=A \"quoted\" note"])
        #expect(
            doc.resolvedJSON == """
                {
                  "name": "Test",
                  "region": "Sumbagut",
                  "actuals_until": "2017-11",
                  "horizon": "2018-12",
                  "history": "h.csv",
                  "potential": {
                    "total": 6900000,
                    "basis": "BPS",
                    "as_of": "2018-01",
                    "shares": {
                      "PU": 0.3988,
                      "BPU": 0.6012
                    }
                  },
                  "segments": {
                    "PU": {
                      "model": "auto"
                    },
                    "BPU": {}
                  },
                  "description": "A \\"quoted\\" note"
                }
                """)
        let parsed = try JSONSerialization.jsonObject(with: Data(doc.resolvedJSON.utf8)) as? [String: Any]
        #expect(parsed?["name"] as? String == "Test")
    }

    // MARK: extends

    @Test func childOverridesOneKeyOfItsParent() throws {
        let child = """
            extends: ../base/s.yaml
            name: Child
            potential:
              growth_per_year: 0.05

            """
        let dir = ScenarioTempDir().write(["base/s.yaml": ScenarioFixtures.minimalScenario, "base/h.csv": ScenarioFixtures.historyCSV, "child/c.yaml": child])
        let doc = try ScenarioReader.read(path: dir.file("child/c.yaml"))
        #expect(doc.files == [dir.file("child/c.yaml"), dir.file("base/s.yaml")])
        #expect(doc.scenario.name == "Child")
        // The mapping merged key by key: the parent's total and shares stay.
        #expect(doc.scenario.regions[0].potential.growthPerYear == 0.05)
        #expect(doc.scenario.regions[0].potential.total == 6_900_000)
        #expect(doc.scenario.regions[0].potential.split == .shares(["PU": 0.3988, "BPU": 0.6012]))
        // The parent's history path is relative to the parent's file.
        #expect(doc.scenario.historyPath == dir.file("base/h.csv"))
        #expect(!doc.resolvedJSON.contains("extends"))
        #expect(doc.resolvedJSON.contains("\"growth_per_year\": 0.05"))
    }

    @Test func childSequencesReplaceTheParentsAndChainsWork() throws {
        let middle = """
            extends: s.yaml
            targets: {rule_growth: [0.2, 0.3]}

            """
        let child = """
            extends: middle.yaml
            targets: {rule_growth: [0.25]}

            """
        let dir = ScenarioTempDir().write(["s.yaml": ScenarioFixtures.minimalScenario, "h.csv": ScenarioFixtures.historyCSV, "middle.yaml": middle, "c.yaml": child])
        let doc = try ScenarioReader.read(path: dir.file("c.yaml"))
        #expect(doc.files == [dir.file("c.yaml"), dir.file("middle.yaml"), dir.file("s.yaml")])
        #expect(doc.scenario.targets.ruleGrowth == [0.25])
    }

    @Test func parentNodesKeepTheParentsFileInErrors() {
        let parent = ScenarioFixtures.minimalScenario.replacingOccurrences(of: "  as_of: 2018-01", with: "  as_of: 2018-13")
        let child = "extends: p.yaml\nname: Child\n"
        #expect(
            ScenarioFixtures.scenarioError(["p.yaml": parent, "h.csv": ScenarioFixtures.historyCSV, "s.yaml": child])
                == "p.yaml:9:10: potential.as_of: expected a month YYYY-MM (like 2018-01), got 2018-13")
        // …and the child's own nodes its file.
        let badChild = "extends: p.yaml\nhorizon: 2017-06\n"
        #expect(
            ScenarioFixtures.scenarioError(["p.yaml": ScenarioFixtures.minimalScenario, "h.csv": ScenarioFixtures.historyCSV, "s.yaml": badChild])
                == "s.yaml:2:10: horizon: expected a month after actuals_until (2017-11), got 2017-06")
    }

    @Test func extendsLoopNamesTheCycle() {
        let a = "extends: b.yaml\nname: A\n"
        let b = "name: B\nextends: a.yaml\n"
        #expect(ScenarioFixtures.scenarioError(["a.yaml": a, "b.yaml": b], main: "a.yaml") == "b.yaml:2:10: extends: loop a.yaml → b.yaml → a.yaml; a scenario cannot extend itself")
        #expect(ScenarioFixtures.scenarioError(["a.yaml": "extends: ./a.yaml\n"], main: "a.yaml") == "a.yaml:1:10: extends: loop a.yaml → a.yaml; a scenario cannot extend itself")
    }

    @Test func missingParentIsReportedAtTheExtendsValue() {
        #expect(
            ScenarioFixtures.scenarioError(["s.yaml": "name: X\nextends: nothere.yaml\n"])
                == "s.yaml:2:10: extends: no such file 'nothere.yaml' (the path is relative to the file that names it)")
    }

    // MARK: --set

    @Test func setOverridesScalarsCreatesPathsAndReadsPercent() throws {
        let dir = ScenarioTempDir().write(["s.yaml": ScenarioFixtures.minimalScenario, "h.csv": ScenarioFixtures.historyCSV])
        let doc = try ScenarioReader.read(
            path: dir.file("s.yaml"),
            overrides: [
                "levers.outreach.intensity=1.3", "segments.PU.model=logistic", "potential.growth_per_year=3%",
                "targets.rule_growth=[0.2, 0.3]", "name=Plan: more outreach #2", "potential.shares.PU=\"39%\"",
            ])
        let s = doc.scenario
        #expect(s.levers.outreach?.intensity == LeverPath(constant: 1.3))
        #expect(s.levers.outreach?.elasticity == 1.0)
        #expect(s.segments[0].model == .named(.logistic))
        #expect(abs(s.regions[0].potential.growthPerYear - 0.03) < 1e-15)
        #expect(s.targets.ruleGrowth == [0.2, 0.3])
        #expect(s.name == "Plan: more outreach #2")
        #expect(s.regions[0].potential.split == .shares(["PU": 0.39, "BPU": 0.6012]))
        #expect(doc.resolvedJSON.contains("\"levers\": {\n    \"outreach\": {\n      \"intensity\": 1.3\n    }\n  }"))
    }

    /// A ramp's months strictly increase: the same month twice (which share holds?) or an earlier one
    /// is refused at the second month, naming the first.
    @Test func rampMonthsStrictlyIncrease() {
        let files = ["scenarios/full.yaml": Self.full, "data/sumbagut-2018-history.csv": ScenarioFixtures.historyCSV]
        for month in ["2018-03", "2018-02"] {
            #expect(
                ScenarioFixtures.scenarioError(files, main: "scenarios/full.yaml", overrides: ["levers.honorary.ramp[1].month=\(month)"])
                    == "--set:1:31: levers.honorary.ramp[1].month: months must be strictly increasing: expected a month after 2018-03, got \(month)")
        }
    }

    /// `enrolled_at_start` is at most the cohort's size at actuals_until: 2,000 persons running in
    /// 2024-12 may all be enrolled already (2,000 read), not 2,001.
    @Test func enrolledAtStartUpToTheCohortsSize() throws {
        let yaml = Self.twoRegions + """
            levers:
              budget_cohorts: {segment: PU, region: Sumut, persons: 2000}

            """
        let files = ["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV]
        let dir = ScenarioTempDir().write(files)
        let doc = try ScenarioReader.read(path: dir.file("s.yaml"), overrides: ["levers.budget_cohorts.enrolled_at_start=2000"])
        #expect(doc.scenario.levers.budgetCohorts?.enrolledAtStart == 2_000)
        #expect(
            ScenarioFixtures.scenarioError(files, overrides: ["levers.budget_cohorts.enrolled_at_start=2001"])
                == "--set:1:41: levers.budget_cohorts.enrolled_at_start: expected at most the cohort's size at actuals_until (2000 persons), got 2001")
    }

    /// A lever path's steps strictly increase too: the same month twice is refused at the second.
    @Test func pathStepsStrictlyIncrease() {
        let files = ["scenarios/full.yaml": Self.full, "data/sumbagut-2018-history.csv": ScenarioFixtures.historyCSV]
        let got = ScenarioFixtures.scenarioError(files, main: "scenarios/full.yaml", overrides: ["levers.outreach.intensity[1].from=2018-01"])
        #expect(got?.hasSuffix("levers.outreach.intensity[1].from: months must be strictly increasing: expected a month after 2018-01, got 2018-01") == true, "\(got ?? "")")
    }

    @Test func setScalarOnAPathMakesItConstantAndIndexesLists() throws {
        let dir = ScenarioTempDir().write(["scenarios/full.yaml": Self.full, "data/sumbagut-2018-history.csv": ScenarioFixtures.historyCSV])
        let s = try ScenarioReader.read(
            path: dir.file("scenarios/full.yaml"), overrides: ["levers.outreach.intensity=2", "levers.honorary.ramp[1].share=0.8"]
        ).scenario
        #expect(s.levers.outreach?.intensity == LeverPath(constant: 2))
        #expect(s.levers.honorary?.ramp.map(\.share) == [0.3, 0.8])
    }

    @Test(arguments: [
        (["levers.outreach.intensty=1.3"], "--set:1:17: levers.outreach: unknown key 'intensty' (did you mean 'intensity'?)"),
        (["name=X", "segments.PU.model=logistik"], "--set:2:19: segments.PU.model: expected one of auto, linear, exponential, logistic, gompertz, richards, bass, got logistik (did you mean 'logistic'?)"),
        (["potential.growth_per_year=60%"], "--set:1:27: potential.growth_per_year: expected a growth rate per year in [-0.5, 0.5] (a fraction like 0.02 or \"2%\"), got 60%"),
        (["levers.outreach"], "--set:1:1: expected KEY=VALUE (like levers.outreach.intensity=1.3), got 'levers.outreach'"),
        (["=3"], "--set:1:1: missing the key before '=' (like levers.outreach.intensity=1.3)"),
        (["levers..x=3"], "--set:1:8: empty key name in 'levers..x'"),
        (["potential.total.x=3"], "--set:1:17: cannot set 'x' in potential.total: it is 6_900_000, not a mapping"),
        (["targets.rule_growth=[0.2, 0.3"], "--set:1:30: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at 1:1)"),
        (["levers.outreach.elasticity=0.5"], "--set:1:8: levers.outreach: missing required key 'intensity' (a number ≥ 0 (1.0 = as in history) or a list of {from, value} steps)"),
        (["extends=other.yaml"], "--set:1:1: 'extends' cannot be changed with --set (it is applied before the overrides)"),
        (["history=nothere.csv"], "--set:1:9: history: no such file 'nothere.csv' (the path is relative to the scenario file; in --set, to the working directory)"),
    ])
    func setErrorsAreLocatedInTheOverride(overrides: [String], message: String) {
        #expect(ScenarioFixtures.scenarioError(["s.yaml": ScenarioFixtures.minimalScenario, "h.csv": ScenarioFixtures.historyCSV], overrides: overrides) == message)
    }

    // MARK: Uncertainty: switches and stated assumptions

    /// The regions' common share: a number is a point, a pair a range drawn a draw, percent strings read.
    @Test func nationalCorrelationReadsAShareOrARange() throws {
        for (text, expected) in [("0.3", 0.3...0.3), ("[0.1, 0.5]", 0.1...0.5), ("\"25%\"", 0.25...0.25)] {
            let yaml = ScenarioFixtures.minimalScenario + "uncertainty: {national_correlation: \(text)}\n"
            let dir = ScenarioTempDir().write(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
            #expect(try ScenarioReader.read(path: dir.file("s.yaml")).scenario.uncertainty.nationalCorrelation == expected, "\(text)")
        }
        let dir = ScenarioTempDir().write(["s.yaml": ScenarioFixtures.minimalScenario, "h.csv": ScenarioFixtures.historyCSV])
        #expect(try ScenarioReader.read(path: dir.file("s.yaml")).scenario.uncertainty.nationalCorrelation == nil)
    }

    @Test func assumptionsOfEachDistributionRoundTrip() throws {
        let yaml = ScenarioFixtures.minimalScenario + """
            uncertainty:
              draws: 2000
              seed: 42
              quantiles: [0.1, 0.5, 0.9]
              parameters: false
              process_noise: false
              assumptions:
                elasticity: {distribution: normal, mean: 0.6, sd: 0.1}
                lapse_rate_factor: {distribution: lognormal, median: 1.0, sigma: 0.2}
                potential_factor:
                  distribution: uniform
                  min: 0.95
                  max: 1.05
                acquisitions_per_village: {distribution: triangular, min: 400, mode: 660, max: 900}

            """
        let dir = ScenarioTempDir().write(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
        let u = try ScenarioReader.read(path: dir.file("s.yaml")).scenario.uncertainty
        #expect(u.draws == 2000 && u.seed == 42 && u.quantiles == [0.1, 0.5, 0.9])
        #expect(!u.parameters && !u.processNoise)
        #expect(
            u.assumptions == [
                .elasticity: .normal(mean: 0.6, sd: 0.1),
                .lapseRateFactor: .lognormal(median: 1.0, sigma: 0.2),
                .potentialFactor: .uniform(min: 0.95, max: 1.05),
                .acquisitionsPerVillage: .triangular(min: 400, mode: 660, max: 900),
            ])
    }

    @Test func assumptionBoundsMayMeetAndNullDropsAnInheritedOne() throws {
        let parent = ScenarioFixtures.minimalScenario + """
            uncertainty:
              assumptions:
                elasticity: {distribution: uniform, min: 0, max: 0}
                lapse_rate_factor: {distribution: normal, mean: 1, sd: 0}
                potential_factor: {distribution: triangular, min: 0.9, mode: 0.9, max: 1.1}
                acquisitions_per_village: {distribution: lognormal, median: 660, sigma: 0}

            """
        let child = "extends: p.yaml\nuncertainty: {assumptions: {lapse_rate_factor: null, potential_factor: {max: 0.9}}}\n"
        let dir = ScenarioTempDir().write(["p.yaml": parent, "s.yaml": child, "h.csv": ScenarioFixtures.historyCSV])
        let p = try ScenarioReader.read(path: dir.file("p.yaml")).scenario.uncertainty.assumptions
        #expect(p[.elasticity] == .uniform(min: 0, max: 0) && p[.lapseRateFactor] == .normal(mean: 1, sd: 0))
        #expect(p[.potentialFactor] == .triangular(min: 0.9, mode: 0.9, max: 1.1))
        #expect(p[.acquisitionsPerVillage] == .lognormal(median: 660, sigma: 0))
        // The child's mapping merges key by key: null drops one, a single key changes one.
        let c = try ScenarioReader.read(path: dir.file("s.yaml")).scenario.uncertainty.assumptions
        #expect(c.count == 3 && c[.lapseRateFactor] == nil)
        #expect(c[.potentialFactor] == .triangular(min: 0.9, mode: 0.9, max: 0.9))
    }

    // MARK: Sweep

    /// The minimal scenario with an outreach and an honorary lever, then `sweep:` (its entries from line 18).
    static func sweepScenario(_ entries: String) -> String {
        ScenarioFixtures.minimalScenario + """
            levers:
              outreach: {intensity: 1.0}
              honorary: {pool: 5, segment: PU, ramp: [{month: 2018-03, share: 0.3}, {month: 2018-12, share: 0.9}]}
            sweep:

            """ + entries
    }

    @Test func sweepKeepsFileOrderAndValuesAsWritten() throws {
        let yaml = Self.sweepScenario("""
              levers.outreach.intensity: [1.0, 1.2, 1.5]
              levers.honorary.ramp[1].share: [0, 0.5, "90%"]

            """)
        let dir = ScenarioTempDir().write(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
        let doc = try ScenarioReader.read(path: dir.file("s.yaml"))
        let sweep = try #require(doc.sweep)
        #expect(
            sweep.axes == [
                Sweep.Axis(key: "levers.outreach.intensity", values: ["1.0", "1.2", "1.5"]),
                Sweep.Axis(key: "levers.honorary.ramp[1].share", values: ["0", "0.5", "90%"]),
            ])
        // The scenario itself runs without the sweep's values.
        #expect(doc.scenario.levers.outreach?.intensity == LeverPath(constant: 1.0))
        // Every combination, the first axis slowest, each a list of --set overrides.
        let combinations = sweep.combinations.map { $0.map(\.description) }
        #expect(combinations.count == 9)
        #expect(combinations.first == ["levers.outreach.intensity=1.0", "levers.honorary.ramp[1].share=0"])
        #expect(combinations[1] == ["levers.outreach.intensity=1.0", "levers.honorary.ramp[1].share=0.5"])
        #expect(combinations[3] == ["levers.outreach.intensity=1.2", "levers.honorary.ramp[1].share=0"])
        #expect(combinations.last == ["levers.outreach.intensity=1.5", "levers.honorary.ramp[1].share=90%"])
        // …which --set reads as the file meant them.
        let last = try ScenarioReader.read(path: dir.file("s.yaml"), overrides: combinations.last!).scenario
        #expect(last.levers.outreach?.intensity == LeverPath(constant: 1.5))
        #expect(last.levers.honorary?.ramp.map(\.share) == [0.3, 0.9])
    }

    /// The limits are inclusive (docs/scenario-format.md: "at most 64 combinations"; a cohort enrols
    /// over 1 to 12 months): exactly 64 combinations and `enrolment_months: 12` are read.
    @Test func theDocumentedLimitsAreInclusive() throws {
        let yaml = Self.sweepScenario("  levers.honorary.pool: [\((1...64).map(String.init).joined(separator: ", "))]\n")
        let dir = ScenarioTempDir().write(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
        #expect(try ScenarioReader.read(path: dir.file("s.yaml")).sweep?.combinations.count == 64)
        let cohort = ScenarioFixtures.minimalScenario + "levers: {budget_cohorts: {segment: BPU, persons: 6000, enrolled_at_start: 0, enrolment_months: 12}}\n"
        let dir2 = ScenarioTempDir().write(["s.yaml": cohort, "h.csv": ScenarioFixtures.historyCSV])
        let doc = try ScenarioReader.read(path: dir2.file("s.yaml"))
        #expect(doc.scenario.levers.budgetCohorts?.enrolmentMonths == 12)
        // The levers' documented maxima are read as written: intensity 10, elasticity 3, 100,000
        // villages a year of 100,000 acquisitions each; just above each, refused.
        let top = ScenarioFixtures.minimalScenario
            + "levers: {outreach: {intensity: 10, elasticity: 3}, villages: {segment: BPU, villages_per_year: 100000, acquisitions_per_village: 100000}}\n"
        let dir3 = ScenarioTempDir().write(["s.yaml": top, "h.csv": ScenarioFixtures.historyCSV])
        let levers = try ScenarioReader.read(path: dir3.file("s.yaml")).scenario.levers
        #expect(levers.outreach?.intensity == LeverPath(constant: 10) && levers.outreach?.elasticity == 3)
        #expect(levers.villages?.villagesPerYear == LeverPath(constant: 100_000) && levers.villages?.acquisitionsPerVillage == 100_000)
        for over in ["intensity: 10.01, elasticity: 3", "intensity: 10, elasticity: 3.01"] {
            let bad = ScenarioFixtures.minimalScenario + "levers: {outreach: {\(over)}}\n"
            #expect(ScenarioFixtures.scenarioError(["s.yaml": bad, "h.csv": ScenarioFixtures.historyCSV]) != nil, "\(over)")
        }
        for over in ["villages_per_year: 100001, acquisitions_per_village: 1", "villages_per_year: 1, acquisitions_per_village: 100001"] {
            let bad = ScenarioFixtures.minimalScenario + "levers: {villages: {segment: BPU, \(over)}}\n"
            #expect(ScenarioFixtures.scenarioError(["s.yaml": bad, "h.csv": ScenarioFixtures.historyCSV]) != nil, "\(over)")
        }
    }

    @Test func sweepValuesAreTextThatSetReadsBackTheSame() throws {
        let yaml = Self.sweepScenario("""
              description: ["Plan: A #1", "null", "[x]", " padded", ~, 'it''s']
              levers.outreach.intensity: [2, [{from: 2018-01, value: 1.5}, {from: 2018-07, value: "2"}]]

            """)
        let dir = ScenarioTempDir().write(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
        let sweep = try #require(try ScenarioReader.read(path: dir.file("s.yaml")).sweep)
        #expect(sweep.axes[0].values == ["Plan: A #1", "\"null\"", "\"[x]\"", "\" padded\"", "null", "it's"])
        #expect(sweep.axes[1].values == ["2", "[{from: 2018-01, value: 1.5}, {from: 2018-07, value: 2}]"])
        var descriptions: [String] = []
        for value in sweep.axes[0].values {
            descriptions.append(try ScenarioReader.read(path: dir.file("s.yaml"), overrides: ["description=\(value)"]).scenario.description)
        }
        #expect(descriptions == ["Plan: A #1", "null", "[x]", " padded", "", "it's"])
        let path = try ScenarioReader.read(path: dir.file("s.yaml"), overrides: ["levers.outreach.intensity=\(sweep.axes[1].values[1])"])
        #expect(path.scenario.levers.outreach?.intensity == LeverPath(steps: [(Month(year: 2018, month: 1), 1.5), (Month(year: 2018, month: 7), 2)], initial: 1))
    }

    @Test func sweepIsInheritedLikeAnyMapping() throws {
        let parent = Self.sweepScenario("  levers.outreach.intensity: [1.0, 1.2]\n")
        let child = "extends: p.yaml\nsweep:\n  levers.honorary.pool: [5, 10]\n"
        let dropped = "extends: p.yaml\nsweep: null\n"
        let dir = ScenarioTempDir().write(["p.yaml": parent, "c.yaml": child, "d.yaml": dropped, "h.csv": ScenarioFixtures.historyCSV])
        let c = try ScenarioReader.read(path: dir.file("c.yaml")).sweep
        #expect(c?.axes.map(\.key) == ["levers.outreach.intensity", "levers.honorary.pool"])
        #expect(try ScenarioReader.read(path: dir.file("d.yaml")).sweep == nil)
        // The values are tried on the tree after --set (here without the outreach lever, and a sweep on its
        // intensity alone still makes a valid scenario).
        let sDoc = try ScenarioReader.read(path: dir.file("p.yaml"), overrides: ["levers.outreach=", "levers.honorary.pool=7"]); let s = sDoc.scenario
        #expect(sDoc.sweep?.axes.count == 1 && s.levers.outreach == nil && s.levers.honorary?.pool == 7)
    }

    struct SweepError: Sendable, CustomTestStringConvertible {
        let entries: String
        let message: String
        var testDescription: String { message }
    }

    static let sweepErrors: [SweepError] = [
        // a key that is not a scenario setting: at the key
        SweepError(entries: "  levers.outreach.intensty: [1.0, 1.2]\n",
            message: "s.yaml:18:3: levers.outreach: unknown key 'intensty' (did you mean 'intensity'?)"),
        SweepError(entries: "  levers.honorary.ramp[2].share: [0.5]\n",
            message: "s.yaml:18:3: cannot set [2] in levers.honorary.ramp: it has 2 entries (indices 0 to 1)"),
        SweepError(entries: "  potential.total.x: [1]\n",
            message: "s.yaml:18:3: cannot set 'x' in potential.total: it is 6_900_000, not a mapping"),
        SweepError(entries: "  levers..x: [1]\n", message: "s.yaml:18:3: empty key name in 'levers..x'"),
        SweepError(entries: "  extends: [a.yaml]\n",
            message: "s.yaml:18:3: 'extends' cannot be changed with --set (it is applied before the overrides)"),
        SweepError(entries: "  sweep.x: [1]\n", message: "s.yaml:18:3: sweep: a sweep cannot change 'sweep' itself"),
        SweepError(entries: "  name=x: [1]\n", message: "s.yaml:18:3: sweep: a key path cannot contain '=', got 'name=x'"),
        // an invalid value: at the value
        SweepError(entries: "  levers.honorary.ramp[1].share: [0, 0.5, 1.2]\n",
            message: "s.yaml:18:43: levers.honorary.ramp[1].share: expected a share in [0, 1] (a fraction like 0.9 or \"90%\"), got 1.2"),
        SweepError(entries: "  segments.PU.model: [logistic, logistik]\n",
            message: "s.yaml:18:33: segments.PU.model: expected one of auto, linear, exponential, logistic, gompertz, richards, bass, got logistik (did you mean 'logistic'?)"),
        SweepError(entries: "  levers.outreach.intensity: [1, [{from: 2018-01, valu: 2}]]\n",
            message: "s.yaml:18:34: levers.outreach.intensity[0]: unknown key 'valu' (did you mean 'value'?)"),
        // a value valid alone that breaks the scenario elsewhere
        SweepError(entries: "  potential.shares.PU: [0.3, 0.5]\n",
            message: "s.yaml:18:30: sweep: with potential.shares.PU=0.5: potential.shares: the shares add up to 1.1012 (110.12%), expected at most 1 (100%)"),
        // values valid alone, not together
        SweepError(
            entries: "  levers.honorary.ramp[0].month: [2018-03, 2018-10]\n  levers.honorary.ramp[1].month: [2018-12, 2018-06]\n",
            message: "s.yaml:17:1: sweep: with levers.honorary.ramp[0].month=2018-10, levers.honorary.ramp[1].month=2018-06: levers.honorary.ramp[1].month: months must be strictly increasing: expected a month after 2018-10, got 2018-06"),
        // the lists
        SweepError(entries: "  levers.outreach.intensity: []\n",
            message: "s.yaml:18:30: sweep.levers.outreach.intensity: expected a non-empty list of values (like [1.0, 1.2, 1.5]), got an empty list"),
        SweepError(entries: "  levers.outreach.intensity: 1.2\n",
            message: "s.yaml:18:30: sweep.levers.outreach.intensity: expected a non-empty list of values (like [1.0, 1.2, 1.5]), got 1.2"),
        SweepError(entries: "  levers.outreach.intensity: [1.2, 1.5, 1.2]\n",
            message: "s.yaml:18:41: sweep.levers.outreach.intensity[2]: the value 1.2 is listed twice (also [0])"),
        SweepError(entries: "  levers.outreach: [{intensity: 2}]\n  levers.outreach.intensity: [1.2]\n",
            message: "s.yaml:19:3: sweep: 'levers.outreach.intensity' overlaps 'levers.outreach' (one would change the other); sweep each setting once"),
        SweepError(
            entries: "  levers.outreach.intensity: [1, 2, 3, 4, 5]\n  levers.honorary.pool: [1, 2, 3, 4]\n  levers.honorary.ramp[0].share: [0.1, 0.2, 0.3, 0.4]\n",
            message: "s.yaml:17:1: sweep: 5 × 4 × 4 = 80 combinations, expected at most 64"),
        SweepError(entries: "  levers.honorary.pool: [\((1...65).map(String.init).joined(separator: ", "))]\n",
            message: "s.yaml:17:1: sweep: 65 combinations, expected at most 64"),
    ]

    @Test(arguments: sweepErrors)
    func sweepErrorsAreLocatedAtTheSweep(_ c: SweepError) {
        let got = ScenarioFixtures.scenarioError(["s.yaml": Self.sweepScenario(c.entries), "h.csv": ScenarioFixtures.historyCSV])
        #expect(got == c.message)
    }

    @Test func sweepMustBeAMapping() {
        #expect(
            ScenarioFixtures.scenarioError(["s.yaml": ScenarioFixtures.minimalScenario + "sweep: [levers.outreach.intensity]\n", "h.csv": ScenarioFixtures.historyCSV])
                == "s.yaml:14:8: sweep: expected a mapping of --set key paths to lists of values (like levers.outreach.intensity: [1.0, 1.2, 1.5]), got a list")
    }

    // MARK: Broken files: one error each, one line, FILE:LINE:COL

    struct Broken: Sendable, CustomTestStringConvertible {
        let yaml: String
        let message: String
        var testDescription: String { message }
    }

    static func B(_ yaml: String, _ message: String) -> Broken { Broken(yaml: yaml, message: message) }
    static func replacing(_ old: String, with new: String) -> String { ScenarioFixtures.minimalScenario.replacingOccurrences(of: old, with: new) }
    static func adding(_ text: String) -> String { ScenarioFixtures.minimalScenario + text }

    static let brokenFiles: [Broken] = [
        // wrong type
        B(replacing("  total: 6_900_000", with: "  total: {persons: 6900000}"),
            "s.yaml:7:10: potential.total: expected a whole number of persons in (0, 1e9], got a mapping"),
        B("name: [a, b]\n", "s.yaml:1:7: name: expected a text, got a list"),
        B(replacing("  BPU: {}", with: "  BPU: {flow_only: yes}"),
            "s.yaml:13:20: segments.BPU.flow_only: expected true or false, got yes"),
        B(replacing("  BPU: {}", with: "  BPU: {selection: backtests}"),
            "s.yaml:13:20: segments.BPU.selection: expected one of aicc, backtest, got backtests (did you mean 'backtest'?)"),
        B(replacing("  BPU: {}", with: "  BPU: {model: gompertz, selection: backtest}"),
            "s.yaml:13:37: segments.BPU.selection: backtest ranks the candidates of model: auto, but this segment's model is fixed; set model: auto or drop selection"),
        // unknown key with and without suggestion
        B(replacing("region: Sumbagut", with: "regoin: Sumbagut"),
            "s.yaml:2:1: unknown key 'regoin' (did you mean 'region'?)"),
        B(adding("levers: {outreach: {intensity: 1.2, elastisity: 0.5}}\n"),
            "s.yaml:14:37: levers.outreach: unknown key 'elastisity' (did you mean 'elasticity'?)"),
        B(adding("levers: {marketing: {}}\n"),
            "s.yaml:14:10: levers: unknown key 'marketing'; allowed keys: outreach, honorary, villages, budget_cohorts, reactivation"),
        // programmes as planners state them (issue 19)
        B(adding("levers: {budget_cohorts: {segment: BPU, budget_per_year_rp: 1e9}}\n"),
            "s.yaml:14:26: levers.budget_cohorts: the cohort already runs at actuals_until (2017-11: 4960 persons planned), so its members are in the history's figures; say how many are enrolled then with enrolled_at_start (0 if none yet)"),
        B(adding("levers: {budget_cohorts: {segment: BPU, persons: 6000, budget_per_year_rp: 1e9}}\n"),
            "s.yaml:14:76: levers.budget_cohorts.budget_per_year_rp: give the cohort in persons or by budget_per_year_rp, not both"),
        B(adding("levers: {budget_cohorts: {segment: BPU}}\n"),
            "s.yaml:14:26: levers.budget_cohorts: missing required key 'persons' or 'budget_per_year_rp' (the cohort's size in persons, or its budget in rupiah a year)"),
        B(replacing("  BPU: {}", with: "  BPU: {flow_only: true}") + "levers: {budget_cohorts: {segment: BPU, persons: [{from: 2018-08, value: 6000}]}}\n",
            "s.yaml:14:36: levers.budget_cohorts.segment: segment 'BPU' is flow_only (no stock), so it cannot hold this programme's members; choose a segment with a stock"),
        B(adding("levers: {budget_cohorts: {segment: BPU, persons: 6000, enrolled_at_start: 7000}}\n"),
            "s.yaml:14:75: levers.budget_cohorts.enrolled_at_start: expected at most the cohort's size at actuals_until (6000 persons), got 7000"),
        B(adding("levers: {budget_cohorts: {segment: BPU, persons: 6000, enrolled_at_start: 6000, enrolment_months: 0}}\n"),
            "s.yaml:14:99: levers.budget_cohorts.enrolment_months: expected a whole number of months in [1, 12], got 0"),
        // bad month
        B(replacing("actuals_until: 2017-11", with: "actuals_until: 2017-11-30"),
            "s.yaml:3:16: actuals_until: expected a month YYYY-MM (like 2018-01), got 2017-11-30"),
        B(replacing("horizon: 2018-12", with: "horizon: \"2018-1\""),
            "s.yaml:4:10: horizon: expected a month YYYY-MM (like 2018-01), got \"2018-1\""),
        // horizon before actuals, too far
        B(replacing("horizon: 2018-12", with: "horizon: 2017-11"),
            "s.yaml:4:10: horizon: expected a month after actuals_until (2017-11), got 2017-11"),
        B(replacing("horizon: 2018-12", with: "horizon: 2027-12"),
            "s.yaml:4:10: horizon: expected at most 120 months after actuals_until (2017-11), i.e. 2027-11 at the latest, got 2027-12"),
        // negative potential
        B(replacing("  total: 6_900_000", with: "  total: -6_900_000"),
            "s.yaml:7:10: potential.total: expected a whole number of persons in (0, 1e9], got -6_900_000"),
        B(replacing("  total: 6_900_000", with: "  total: 6.900.000"),
            "s.yaml:7:10: potential.total: expected a whole number of persons in (0, 1e9], got 6.900.000: digit groups are not separated by dots or commas here; write 6900000 or 6_900_000"),
        // shares above 100%, a share above 1
        B(replacing("{PU: 0.3988, BPU: 0.6012}", with: "{PU: 45%, BPU: 0.6012}"),
            "s.yaml:10:11: potential.shares: the shares add up to 1.0512 (105.12%), expected at most 1 (100%)"),
        B(replacing("{PU: 0.3988, BPU: 0.6012}", with: "{PU: 1.2}"),
            "s.yaml:10:16: potential.shares.PU: expected a share in [0, 1] (a fraction like 0.9 or \"90%\"), got 1.2"),
        B(adding("levers:\n  honorary:\n    pool: 50_000\n    segment: PU\n    ramp:\n      - {month: 2018-03, share: 0.3}\n      - {month: 2018-12, share: 1.2}\n"),
            "s.yaml:20:33: levers.honorary.ramp[1].share: expected a share in [0, 1] (a fraction like 0.9 or \"90%\"), got 1.2"),
        // missing history file
        B(replacing("history: h.csv", with: "history: data/none.csv"),
            "s.yaml:5:10: history: no such file 'data/none.csv' (the path is relative to the scenario file)"),
        // missing required key: at the mapping that lacks it
        B(replacing("name: Test\n", with: ""),
            "s.yaml:1:1: missing required key 'name' (the scenario's name)"),
        B(replacing("  basis: BPS\n", with: ""),
            "s.yaml:7:3: potential: missing required key 'basis' (where the figure comes from, e.g. \"BPS Sakernas Feb 2017\")"),
        B(replacing("  total: 6_900_000\n", with: ""),
            "s.yaml:7:3: potential: missing required key 'total' (a number of persons > 0; needed with 'shares')"),
        // YAML syntax error
        B(replacing("segments:\n", with: "segments:\n PU: [\n"),
            "s.yaml:14:3: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at 12:6)"),
        B("name: Test\n\tregion: Sumbagut\n", "s.yaml:2:1: a tab in the indentation: YAML indents with spaces (replace the tab with spaces)"),
        // unknown segment in a lever, region
        B(adding("levers: {outreach: {intensity: 1.2, segments: [PU, bpu]}}\n"),
            "s.yaml:14:52: levers.outreach.segments[1]: unknown segment 'bpu' (did you mean 'BPU'?); segments: PU, BPU"),
        B(adding("levers: {villages: {segment: JAKON, villages_per_year: 27, acquisitions_per_village: 660}}\n"),
            "s.yaml:14:30: levers.villages.segment: unknown segment 'JAKON'; segments: PU, BPU"),
        B(replacing("{PU: 0.3988,", with: "{PUU: 0.3988,"),
            "s.yaml:10:12: potential.shares: unknown segment 'PUU' (did you mean 'PU'?); segments: PU, BPU"),
        B(adding("levers: {honorary: {pool: 5, segment: PU, region: Sumbagt, ramp: [{month: 2018-03, share: 1}]}}\n"),
            "s.yaml:14:51: levers.honorary.region: unknown region 'Sumbagt' (did you mean 'Sumbagut'?); regions: Sumbagut"),
        // a flow_only segment cannot hold the honorary pool
        B(replacing("  BPU: {}", with: "  BPU: {flow_only: true}")
            + "levers: {honorary: {pool: 5, segment: BPU, ramp: [{month: 2018-03, share: 1}]}}\n",
            "s.yaml:14:39: levers.honorary.segment: segment 'BPU' is flow_only (no stock), so it cannot hold this programme's members; choose a segment with a stock"),
        // duplicates
        B(replacing("  BPU: {}", with: "  BPU: {}\n  PU: {model: linear}"),
            "s.yaml:14:3: duplicate key 'PU' (first at line 12, column 3); each key may appear once in a mapping"),
        B(adding("uncertainty: {draws: 1, draws: 2}\n"),
            "s.yaml:14:25: duplicate key 'draws' (first at line 14, column 15); each key may appear once in a mapping"),
        B(adding("branches: [{name: KC Medan}, {name: KC Medan}]\n"),
            "s.yaml:14:37: branches[1].name: duplicate branch 'KC Medan' (also branches[0]); branch names must differ"),
        B(adding("levers: {outreach: {intensity: 1, segments: [PU, PU]}}\n"),
            "s.yaml:14:50: levers.outreach.segments[1]: segment 'PU' is listed twice"),
        // paths and ramps
        B(adding("levers: {outreach: {intensity: [{from: 2018-06, value: 1.2}, {from: 2018-03, value: 1.4}]}}\n"),
            "s.yaml:14:69: levers.outreach.intensity[1].from: months must be strictly increasing: expected a month after 2018-06, got 2018-03"),
        B(adding("levers: {outreach: {intensity: -1}}\n"),
            "s.yaml:14:32: levers.outreach.intensity: expected an intensity in [0, 10] (1.0 = as in history), got -1"),
        // region / regions, potential split
        B(adding("regions: []\n"), "s.yaml:14:1: regions: give either 'region' (one region, with potential and branches at the top level) or 'regions' (a list), not both"),
        B(replacing("region: Sumbagut\n", with: ""),
            "s.yaml:1:1: missing required key 'region' (the region's name) or 'regions' (a list of {name, potential, branches})"),
        B(replacing("  shares: {PU: 0.3988, BPU: 0.6012}", with: "  shares: {PU: 0.3988}\n  series: true"),
            "s.yaml:11:3: potential.series: give only one of 'shares', 'values' or 'series' (also given: 'shares')"),
        B(replacing("  shares: {PU: 0.3988, BPU: 0.6012}", with: "  values: {PU: 100}"),
            "s.yaml:7:3: potential.total: not allowed with 'values' (the values per segment are the potential)"),
        // uncertainty and targets
        B(adding("uncertainty: {draws: 2.5}\n"), "s.yaml:14:22: uncertainty.draws: expected a whole number of draws in [0, 1e9], got 2.5"),
        B(adding("uncertainty: {quantiles: [0.5, 0.1]}\n"),
            "s.yaml:14:32: uncertainty.quantiles[1]: quantile levels must be strictly increasing: expected more than 0.5, got 0.1"),
        // A level given twice is not strictly increasing either.
        B(adding("uncertainty: {quantiles: [0.1, 0.5, 0.5, 0.9]}\n"),
            "s.yaml:14:37: uncertainty.quantiles[2]: quantile levels must be strictly increasing: expected more than 0.5, got 0.5"),
        B(adding("uncertainty: {parameters: yes}\n"),
            "s.yaml:14:27: uncertainty.parameters: expected true or false, got yes"),
        B(adding("uncertainty: {process_noise: 1}\n"),
            "s.yaml:14:30: uncertainty.process_noise: expected true or false, got 1"),
        B(adding("uncertainty: {national_correlation: 0.99}\n"), "s.yaml:14:37: uncertainty.national_correlation: expected a share in [0, 0.95] (a fraction like 0.3 or \"30%\"), got 0.99"),
        B(adding("uncertainty: {national_correlation: [0.5, 0.2]}\n"), "s.yaml:14:43: uncertainty.national_correlation[1]: share bounds must be strictly increasing: expected more than 0.5, got 0.2"),
        B(adding("uncertainty: {national_correlation: [0.1, 0.2, 0.3]}\n"), "s.yaml:14:37: uncertainty.national_correlation: expected one share or a range [lower, upper], got 3 number(s)"),
        B(adding("uncertainty: {assumptions: [elasticity]}\n"),
            "s.yaml:14:28: uncertainty.assumptions: expected a mapping of assumptions to distributions (\(Assumption.allCases.map(\.rawValue).joined(separator: ", "))), got a list"),
        B(adding("uncertainty: {assumptions: {elasticty: {distribution: normal, mean: 0.6, sd: 0.1}}}\n"),
            "s.yaml:14:29: uncertainty.assumptions: unknown key 'elasticty' (did you mean 'elasticity'?)"),
        B(adding("uncertainty: {assumptions: {elasticity: 0.6}}\n"),
            "s.yaml:14:41: uncertainty.assumptions.elasticity: expected a distribution like {distribution: normal, mean: 0.6, sd: 0.1}, got 0.6"),
        B(adding("uncertainty: {assumptions: {elasticity: {distribution: gamma, mean: 0.6}}}\n"),
            "s.yaml:14:56: uncertainty.assumptions.elasticity.distribution: expected one of normal, lognormal, uniform, triangular, got gamma"),
        B(adding("uncertainty: {assumptions: {elasticity: {distribution: normall, mean: 0.6}}}\n"),
            "s.yaml:14:56: uncertainty.assumptions.elasticity.distribution: expected one of normal, lognormal, uniform, triangular, got normall (did you mean 'normal'?)"),
        B(adding("uncertainty: {assumptions: {elasticity: {mean: 0.6, sd: 0.1}}}\n"),
            "s.yaml:14:41: uncertainty.assumptions.elasticity: missing required key 'distribution' (one of normal, lognormal, uniform, triangular)"),
        B(adding("uncertainty: {assumptions: {elasticity: {distrbution: normal, mean: 0.6, sd: 0.1}}}\n"),
            "s.yaml:14:42: uncertainty.assumptions.elasticity: unknown key 'distrbution' (did you mean 'distribution'?)"),
        B(adding("uncertainty: {assumptions: {elasticity: {distribution: normal, mean: 0.6}}}\n"),
            "s.yaml:14:41: uncertainty.assumptions.elasticity: missing required key 'sd' (a standard deviation in [0, 3])"),
        B(adding("uncertainty: {assumptions: {elasticity: {distribution: normal, mean: 0.6, sd: -0.1}}}\n"),
            "s.yaml:14:79: uncertainty.assumptions.elasticity.sd: expected a standard deviation in [0, 3], got -0.1"),
        B(adding("uncertainty: {assumptions: {elasticity: {distribution: normal, mean: 0.6, sigma: 0.1}}}\n"),
            "s.yaml:14:75: uncertainty.assumptions.elasticity: unknown key 'sigma' for distribution normal; allowed keys: distribution, mean, sd"),
        B(adding("uncertainty: {assumptions: {elasticity: {distribution: lognormal, median: 1, sd: 0.1}}}\n"),
            "s.yaml:14:78: uncertainty.assumptions.elasticity: unknown key 'sd' for distribution lognormal; allowed keys: distribution, median, sigma"),
        B(adding("uncertainty: {assumptions: {elasticity: {distribution: lognormal, median: 0, sigma: 0.1}}}\n"),
            "s.yaml:14:75: uncertainty.assumptions.elasticity.median: expected a median in (0, 3], got 0"),
        B(adding("uncertainty: {assumptions: {potential_factor: {distribution: uniform, min: 1.05, max: 0.95}}}\n"),
            "s.yaml:14:87: uncertainty.assumptions.potential_factor.max: expected a maximum ≥ min (1.05), got 0.95"),
        B(adding("uncertainty:\n  assumptions:\n    acquisitions_per_village: {distribution: triangular, min: 400, mode: 950, max: 900}\n"),
            "s.yaml:16:74: uncertainty.assumptions.acquisitions_per_village.mode: expected a mode in [min, max] = [400, 900], got 950"),
        B(adding("uncertainty: {assumptions: {elasticity: {distribution: normal, mean: -0.1, sd: 0.1}}}\n"),
            "s.yaml:14:70: uncertainty.assumptions.elasticity.mean: expected a mean elasticity in [0, 3], got -0.1"),
        B(adding("uncertainty: {assumptions: {elasticity: {distribution: uniform, min: -0.1, max: 1}}}\n"),
            "s.yaml:14:70: uncertainty.assumptions.elasticity.min: expected a minimum elasticity in [0, 3], got -0.1"),
        B(adding("uncertainty: {assumptions: {lapse_rate_factor: {distribution: normal, mean: 0, sd: 0.1}}}\n"),
            "s.yaml:14:77: uncertainty.assumptions.lapse_rate_factor.mean: expected a mean factor in (0, 10], got 0"),
        B(adding("uncertainty: {assumptions: {potential_factor: {distribution: triangular, min: 0, mode: 1, max: 1.1}}}\n"),
            "s.yaml:14:79: uncertainty.assumptions.potential_factor.min: expected a minimum factor in (0, 10], got 0"),
        B(adding("uncertainty: {assumptions: {acquisitions_per_village: {distribution: uniform, min: -1, max: 900}}}\n"),
            "s.yaml:14:84: uncertainty.assumptions.acquisitions_per_village.min: expected a minimum number of acquisitions per village in [0, 100000], got -1"),
        B(adding("uncertainty: {assumptions: {acquisitions_per_village: {distribution: triangular, min: 400, mode: 660, max: \"lots\"}}}\n"),
            "s.yaml:14:108: uncertainty.assumptions.acquisitions_per_village.max: expected a maximum number of acquisitions per village in [0, 100000], got \"lots\""),
        B(adding("targets: {confidence: 1}\n"), "s.yaml:14:23: targets.confidence: expected a probability in (0, 1) (a fraction like 0.6 or \"60%\"), got 1"),
        B(adding("targets: {plan_year: 2019}\n"), "s.yaml:14:22: targets.plan_year: expected a year that ends by the horizon (2018-12), got 2019"),
        // A year whose December is actuals_until is over: nothing of it is left to plan.
        B(replacing("actuals_until: 2017-11", with: "actuals_until: 2017-12") + "targets: {plan_year: 2017}\n",
            "s.yaml:14:22: targets.plan_year: expected a year not yet over at actuals_until (2017-12), got 2017"),
        B(adding("targets: {rule_growth: [0.2, 600%]}\n"),
            "s.yaml:14:30: targets.rule_growth[1]: expected a growth over the previous target in [-0.5, 5] (a fraction like 0.2 or \"20%\"), got 600%"),
        // the whole file
        B("", "s.yaml:1:1: the file is empty (expected a scenario: a mapping with name, region, potential, segments, …)"),
        B("- name: x\n", "s.yaml:1:1: expected a mapping of scenario keys (name, region, segments, …) at the top level, got a list"),
    ]

    @Test(arguments: brokenFiles)
    func brokenFileGivesOneLocatedLine(_ c: Broken) {
        let got = ScenarioFixtures.scenarioError(["s.yaml": c.yaml, "h.csv": ScenarioFixtures.historyCSV])
        #expect(got == c.message)
        #expect(got.map { !$0.contains("\n") } == true)
    }

    /// Sumut and Aceh, one segment PU.
    static let twoRegions = """
        name: Two regions
        regions:
          - {name: Sumut, potential: {basis: BPS, as_of: 2024-12, values: {PU: 100}}}
          - {name: Aceh, potential: {basis: BPS, as_of: 2024-12, values: {PU: 50}}}
        actuals_until: 2024-12
        horizon: 2025-12
        history: h.csv
        segments: {PU: {}}

        """

    /// The horizon reaches at most 120 months past actuals_until (docs/scenario-format.md): 2034-12
    /// after 2024-12 is read, 2035-01 is refused with the latest it may be.
    @Test func theHorizonReachesTenYears() throws {
        let dir = ScenarioTempDir().write(["s.yaml": Self.twoRegions, "h.csv": ScenarioFixtures.historyCSV])
        let doc = try ScenarioReader.read(path: dir.file("s.yaml"), overrides: ["horizon=2034-12"])
        #expect(doc.scenario.horizon == Month(year: 2034, month: 12))
        #expect(
            ScenarioFixtures.scenarioError(["s.yaml": Self.twoRegions, "h.csv": ScenarioFixtures.historyCSV], overrides: ["horizon=2035-01"])
                == "--set:1:9: horizon: expected at most 120 months after actuals_until (2024-12), i.e. 2034-12 at the latest, got 2035-01")
    }

    /// TOTAL and ALL are the files' codes for totals (RowScope): a segment called TOTAL would be read
    /// as the region's total row, a region or branch called ALL as the overall total.
    @Test func theTotalsCodesAreNotNames() {
        let files = ["s.yaml": Self.twoRegions, "h.csv": ScenarioFixtures.historyCSV]
        #expect(
            ScenarioFixtures.scenarioError(files, overrides: ["regions[1].name=ALL"])
                == "--set:1:17: regions[1].name: 'ALL' names the total over every region in the targets; give the region or branch another name")
        #expect(
            ScenarioFixtures.scenarioError(files, overrides: ["regions[0].branches=[{name: ALL}]"])
                == "--set:1:29: regions[0].branches[0].name: 'ALL' names the total over every region in the targets; give the region or branch another name")
        #expect(
            ScenarioFixtures.scenarioError(files, overrides: ["segments.TOTAL={}"])
                == "--set:1:10: segments: 'TOTAL' names the segments' total in histories and targets; give the segment another name")
        // Other names are names: "Total" or "ALL PU" are read.
        let dir = ScenarioTempDir().write(files)
        let doc = try? ScenarioReader.read(path: dir.file("s.yaml"), overrides: ["regions[1].name=ALL PU", "segments.Total={}"])
        #expect(doc?.scenario.regions.map(\.name) == ["Sumut", "ALL PU"] && doc?.scenario.segments.map(\.name) == ["PU", "Total"])
    }

    @Test func withSeveralRegionsAProgrammeNamesItsRegion() {
        let yaml = Self.twoRegions + """
            levers:
              budget_cohorts: {segment: PU, budget_per_year_rp: 1e9}

            """
        #expect(
            ScenarioFixtures.scenarioError(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
                == "s.yaml:10:19: levers.budget_cohorts: missing required key 'region' (the scenario has several regions: Sumut, Aceh)")
        let twice = yaml.replacingOccurrences(of: "name: Aceh", with: "name: Sumut")
        #expect(
            ScenarioFixtures.scenarioError(["s.yaml": twice, "h.csv": ScenarioFixtures.historyCSV])
                == "s.yaml:4:12: regions[1].name: duplicate region 'Sumut' (also regions[0]); region names must differ")
        #expect(
            ScenarioFixtures.scenarioError(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV], overrides: ["levers.budget_cohorts.region=Sumut", "regions[2].name=X"])
                == "--set:2:8: cannot set [2] in regions: it has 2 entries (indices 0 to 1)")
    }

    /// The complete example in docs/scenario-format.md is a valid scenario.
    @Test func documentedExampleIsValid() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/scenario-format.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let after = try #require(text.range(of: "## A complete example"))
        let open = try #require(text.range(of: "```yaml\n", range: after.upperBound..<text.endIndex))
        let close = try #require(text.range(of: "```", range: open.upperBound..<text.endIndex))
        let yaml = String(text[open.upperBound..<close.lowerBound])
        let dir = ScenarioTempDir().write(["scenarios/example.yaml": yaml, "data/sumbagut-2018-history.csv": ScenarioFixtures.historyCSV])
        let sDoc = try ScenarioReader.read(path: dir.file("scenarios/example.yaml")); let s = sDoc.scenario
        #expect(s.name == "Sumbagut 2018 baseline")
        #expect(s.segments.map(\.name) == ["PU", "BPU", "JAKON"])
        #expect(s.levers.honorary?.ramp.map(\.share) == [0.3, 0.9])
        #expect(s.levers.budgetCohorts?.costPerPersonMonth == 16_800)
        #expect(s.targets.ruleGrowth == [0.2, 0.3])
        #expect(s.uncertainty.parameters && s.uncertainty.processNoise)
        #expect(s.uncertainty.assumptions.count == 4)
        #expect(s.uncertainty.assumptions[.acquisitionsPerVillage] == .triangular(min: 400, mode: 660, max: 900))
        #expect(sDoc.sweep?.axes.map(\.values) == [["1.0", "1.2", "1.5"], ["0.5", "0.7", "90%"]])
        #expect(sDoc.sweep?.combinations.count == 9)
    }

    @Test func missingScenarioFileHasNoLocation() {
        #expect(ScenarioFixtures.scenarioError([:], main: "none.yaml") == "none.yaml: no such file")
    }

    // MARK: Scalar conversions

    @Test func numbersAcceptUnderscoresExponentsAndPercent() {
        #expect(ScalarText.number("6_900_000") == 6_900_000)
        #expect(ScalarText.number("6.9e6") == 6_900_000)
        #expect(ScalarText.number("-1.5E-2") == -0.015)
        #expect(ScalarText.number(".5") == 0.5)
        #expect(ScalarText.number("1_704.308_5") == 1704.3085)
        for bad in ["", "_1", "1_", "1__0", "1,704,308", "1.704.308", "0x10", "inf", "nan", "1e", "abc", "12%"] {
            #expect(ScalarText.number(bad) == nil, "\(bad)")
        }
        #expect(ScalarText.fraction("90%") == 0.9)
        #expect(ScalarText.fraction(" 2.5 % ") == 0.025)
        #expect(ScalarText.fraction("0.9") == 0.9)
        #expect(ScalarText.fraction("%") == nil)
        #expect(ScalarText.unsigned("18446744073709551615") == UInt64.max)
        #expect(ScalarText.unsigned("2e3") == 2000)
        #expect(ScalarText.unsigned("-1") == nil)
        #expect(ScalarText.jsonNumber("6_900_000") == "6900000")
        #expect(ScalarText.jsonNumber("007") == "7")
        #expect(ScalarText.jsonNumber("1e3") == "1000.0")
        #expect(ScalarText.jsonNumber("2018-01") == nil)
    }

    @Test func pathsJoinRelativeToTheNamingFile() {
        #expect(ScenarioPaths.join("scenarios", "../data/h.csv") == "data/h.csv")
        #expect(ScenarioPaths.join("", "h.csv") == "h.csv")
        #expect(ScenarioPaths.join("a/b", "/abs/h.csv") == "/abs/h.csv")
        #expect(ScenarioPaths.join("..", "../h.csv") == "../../h.csv")
        #expect(ScenarioPaths.join("/tmp/x", "./y/../h.csv") == "/tmp/x/h.csv")
        #expect(ScenarioPaths.directory(of: "/s.yaml") == "/")
    }
}
