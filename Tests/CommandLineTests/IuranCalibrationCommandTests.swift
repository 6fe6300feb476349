import Foundation
import Testing

@testable import PlanIO
import Planning

/// The mid-year fixture's PU pays Rp 141,231 a member-month over July 2017 – June 2018 (its
/// history's iuran ÷ members, summed). A plan stating Rp 200,000 at 95% (Rp 190,000): calibrated by
/// default, so July's iuran a member continues from June's realised one (within 10%, the issue's
/// check); kept with `calibrate: false`, warned with both figures (190,000 ÷ 141,231 − 1 = 34.5%).
@Suite struct IuranCalibrationCommandTests {
    static let fixture = RunCommandTests.root.appendingPathComponent("Tests/Fixtures/midyear-2018/scenario.yaml").path

    @Test func julyContinuesFromJuneOrTheGapIsSaid() throws {
        let c = try RunJob.compute(scenarioPath: Self.fixture, overrides: ["segments.PU.iuran={stated_rp: 200000, collection: 0.95}"], settings: RunJob.Settings(draws: 0))
        let july = try #require(c.projection.rows.first { $0.segment == "PU" && $0.month == Month(year: 2018, month: 7) })
        // June 2018 in history.csv: Rp 49,285,395,000 from 365,077 members.
        let june = 49_285_395_000.0 / 365_077
        let perMember = july.iuran! / july.active!
        #expect(abs(perMember / june - 1) < 0.10, "\(perMember) vs \(june)")
        #expect(!c.checked.warnings.contains { $0.english.contains("the stated iuran") })
        let kept = try RunJob.compute(
            scenarioPath: Self.fixture, overrides: ["segments.PU.iuran={stated_rp: 200000, collection: 0.95, calibrate: false}"], settings: RunJob.Settings(draws: 0))
        let keptJuly = try #require(kept.projection.rows.first { $0.segment == "PU" && $0.month == Month(year: 2018, month: 7) })
        #expect(abs(keptJuly.iuran! / keptJuly.active! - 190_000) < 1e-6)
        let said = kept.checked.warnings.map(\.english)
        #expect(said.contains {
            $0 == "Synthetica PU: the stated iuran (Rp 190,000 a member-month, collection included) is 34.5% above the history's realised (Rp 141,231, 12 months to 2018-06); the projection uses the stated"
        }, "\(said)")
        // Within 5% nothing is said: Rp 148,000 at 95% = Rp 140,600, 0.4% below.
        let close = try RunJob.compute(
            scenarioPath: Self.fixture, overrides: ["segments.PU.iuran={stated_rp: 148000, collection: 0.95, calibrate: false}"], settings: RunJob.Settings(draws: 0))
        #expect(!close.checked.warnings.contains { $0.english.contains("the stated iuran") })
    }

    /// A realised month with members but no iuran figure (June 2018 taken out) is estimated at the
    /// rate the projection uses (the stated × the calibrated ratio), so June's estimate and July's
    /// projection pay the same a member: 190,000 × ratio.
    @Test func anEstimatedMonthPaysWhatTheProjectedMonthsPay() throws {
        let dir = RunCommandTests.temp()
        let text = try String(contentsOfFile: RunCommandTests.root.appendingPathComponent("Tests/Fixtures/midyear-2018/history.csv").path, encoding: .utf8)
        let h = dir.appendingPathComponent("h.csv")
        try (text.split(separator: "\n").filter { !$0.hasPrefix("2018-06,Synthetica,PU,iuran,") }.joined(separator: "\n") + "\n").write(to: h, atomically: true, encoding: .utf8)
        let c = try RunJob.compute(
            scenarioPath: Self.fixture, overrides: ["history=\"\(h.path)\"", "segments.PU.iuran={stated_rp: 200000, collection: 0.95}"], settings: RunJob.Settings(draws: 0))
        let phased = try #require(c.view.phasing.first { $0.row.segment == "PU" && $0.row.metric == .iuran && $0.row.basis == .projection })
        #expect(phased.months[5].status == .estimated)
        let june = phased.months[5].value! / 365_077
        let july = try #require(c.projection.rows.first { $0.segment == "PU" && $0.month == Month(year: 2018, month: 7) })
        let ratio = try #require(c.checked.calibrations.first { $0.segment == "PU" }?.iuran?.ratio)
        #expect(abs(ratio - 1) > 0.2)  // far from the stated, so a stated-rate estimate would show
        // Whole rupiah in the phasing: within a rupiah a member-month.
        #expect(abs(june - july.iuran! / july.active!) < 1, "\(june) vs \(july.iuran! / july.active!)")
    }
}
