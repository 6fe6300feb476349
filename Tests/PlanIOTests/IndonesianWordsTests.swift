import Foundation
import Testing

@testable import PlanIO
@testable import Planning

/// `--lang id`: the words Planning writes in English, the sweep's lever paths and the footers, from
/// the one table (Words).
@Suite struct IndonesianWordsTests {
    let id = Words(indonesian: true)
    let en = Words(indonesian: false)

    @Test func calibrationDescriptionsAreTranslatedWithIndonesianNumbers() {
        #expect(id.calibration("year-to-date acquisitions spread over their months, 2017-01–2017-11: 71932 a month")
            == "akuisisi kumulatif s.d. bulan dibagi rata ke bulannya, 2017-01–2017-11: 71.932 per bulan")
        #expect(id.calibration("assumption (scenario: 1,181 acquisitions a month; the history has none)") == "asumsi (skenario: 1.181 akuisisi per bulan; riwayat tidak memuatnya)")
        #expect(en.calibration("monthly acquisitions, 2017-01–2017-11: 71932 a month") == "monthly acquisitions, 2017-01–2017-11: 71,932 a month")
        #expect(id.calibration("assumption (scenario: 65% a year)") == "asumsi (skenario: 65% per tahun)")
        #expect(id.calibration("assumption (scenario: 32.5% a year)") == "asumsi (skenario: 32,5% per tahun)")
        #expect(id.calibration("gompertz fitted to coverage A/L (3 points)") == "gompertz dicocokkan pada cakupan A/L (3 titik)")
        #expect(id.calibration("linear fitted to coverage A/L (8 points; 4 in interventions left out)") == "linear dicocokkan pada cakupan A/L (8 titik; 4 dalam gangguan tidak dipakai)")
        #expect(Words(indonesian: false).calibration("linear fitted to coverage A/L (8 points; 4 in interventions left out)") == "linear fitted to coverage A/L (8 points; 4 in interventions left out)")
        // A disturbance the figures show, alone and with named windows (a planner's trial found them in English).
        #expect(id.calibration("logistic fitted to coverage A/L (79 points; 17 in a disturbance the figures show left out)") == "logistic dicocokkan pada cakupan A/L (79 titik; 17 dalam gangguan yang ditunjukkan angka tidak dipakai)")
        #expect(id.calibration("logistic fitted to the stock (70 points; 26 in interventions and a disturbance the figures show left out)") == "logistic dicocokkan pada stok peserta aktif (70 titik; 26 dalam gangguan yang dinyatakan dan gangguan yang ditunjukkan angka tidak dipakai)")
        #expect(Words(indonesian: false).calibration("logistic fitted to the stock (70 points; 26 in a disturbance the figures show left out)") == "logistic fitted to the stock (70 points; 26 in a disturbance the figures show left out)")
        #expect(id.calibration("history (stock change vs acquisitions, 2 intervals)") == "riwayat (perubahan stok vs akuisisi, 2 interval)")
    }

    /// Rupiah as planners write them, and a legend that says when a realised month's iuran is an
    /// estimate (shown upright, not as realised).
    @Test func rupiahAndTheEstimatedLegend() {
        #expect(id.rupiah(1_209_600_000) == "Rp 1.209.600.000" && en.rupiah(1_209_600_000) == "Rp 1,209,600,000")
        #expect(id.millions(1_209_600_000) == "1.209,6" && en.figure(6_000, .active) == "6,000")
        let m = Month(year: 2018, month: 1)
        let row = TargetRow(
            region: "R", segment: "PU", metric: .iuran, basis: .projection, lastRealisation: nil, lastTarget: nil, target: 1,
            growthVsRealisation: nil, growthVsTarget: nil, coverage: nil, grossAcquisitionsNeeded: nil, expectedLapses: nil,
            probability: nil, quantiles: nil, flags: [])
        func phased(_ status: PlanYearView.MonthStatus) -> [PlanYearView.PhasedTarget] {
            [PlanYearView.PhasedTarget(row: row, months: [PlanYearView.MonthValue(month: m, value: 1, status: status)])]
        }
        #expect(id.legend(phased(.realised)) == id.realisedLegend)
        #expect(id.legend(phased(.estimated)).hasSuffix(id.estimatedLegend) && id.estimatedLegend.contains("taksiran"))
    }

    @Test func theNoDrawsFooterSaysThereAreNoDraws() {
        #expect(id.reachFooter(confidence: 0.5, draws: 0).hasPrefix("Tanpa simulasi (draws 0)"))
        #expect(!id.reachFooter(confidence: 0.5, draws: 0).contains("(0 kali)"))
        #expect(id.reachFooter(confidence: 0.5, draws: 2000) == "Target proyeksi tercapai dengan peluang 50,0%; P(tercapai) dari 2.000 kali simulasi Monte Carlo.")
    }

    @Test func sweepAxesHaveHumanNamesAndValues() {
        #expect(id.leverName("levers.outreach.intensity") == "Intensitas sosialisasi")
        #expect(id.leverName("levers.honorary.ramp[0].share") == "Cakupan honorer (langkah 1)")
        #expect(en.leverName("levers.budget_cohorts.budget_per_year_rp") == "Budget per year (Rp)")
        #expect(id.leverName("levers.unknown.thing") == "levers.unknown.thing")
        #expect(id.leverValue("levers.honorary.ramp[0].share", "0.9") == "90,0%")
        #expect(id.leverValue("levers.budget_cohorts.budget_per_year_rp", "1_209_600_000") == "1.209.600.000")
        #expect(id.leverValue("levers.outreach.intensity", "1.2") == "1,2")
    }
}

/// Rupiah in Rp juta or Rp miliar (issue 29): one decimal, the reader's marks, the sign kept while
/// the figure does not round to zero; the unit chosen per table so its largest figure has at most six
/// significant digits.
@Suite struct RupiahUnitTests {
    let id = Words(indonesian: true)
    let en = Words(indonesian: false)

    @Test func figuresInJutaAndMiliar() {
        #expect(id.rupiah(1_209_600_000, in: .juta) == "1.209,6" && en.rupiah(1_209_600_000, in: .juta) == "1,209.6")
        #expect(id.rupiah(2_405_834_200_000, in: .miliar) == "2.405,8")  // 2,405,834,200,000 / 10⁹
        #expect(id.rupiah(-86_667_000_000, in: .miliar) == "-86,7")
        #expect(id.rupiah(-50_000, in: .juta) == "-0,1" && id.rupiah(-40_000, in: .juta) == "0,0")  // −0.05 rounds away, −0.04 to zero
        #expect(id.rupiah(nil, in: .juta) == "—" && id.rupiah(.nan, in: .miliar) == "—")
        #expect(id.unitName(.miliar) == "Rp miliar" && en.unitName(.juta) == "Rp million")
    }

    @Test func theUnitFitsTheLargestFigure() {
        // 99,999,949,999 is 99.999,9 juta (six digits); 99,999,950,000 rounds to 100.000,0 juta (seven).
        #expect(RupiahUnit.fitting([99_999_949_999]) == .juta)
        #expect(RupiahUnit.fitting([99_999_950_000]) == .miliar)
        #expect(RupiahUnit.fitting([nil, 5, -2e11]) == .miliar && RupiahUnit.fitting([]) == .juta && RupiahUnit.fitting([.infinity, 1e6]) == .juta)
    }

    /// A growth that rounds to 0.0% shows no sign (issue 29: "-0,0%" read as a fall).
    @Test func aZeroPercentHasNoSign() {
        #expect(id.percent(-0.0004) == "0,0%" && id.percent(0.0004) == "0,0%" && id.percent(-0.0) == "0,0%")
        #expect(id.percent(-0.0006) == "-0,1%" && id.percent(0.123) == "12,3%" && en.percent(-0.0304) == "-3.0%")
    }
}

/// The tracking tables' gap to date carries its sign once: −1.234 reads "-1.234", never "--1.234".
@Suite struct TrackingGapTextTests {
    @Test func aGapHasOneSignAndTheReadersSeparators() {
        let id = Words(indonesian: true), en = Words(indonesian: false)
        #expect(id.signedFigure(-1234, .acquisitions) == "-1.234")
        #expect(id.signedFigure(1234, .acquisitions) == "+1.234")
        #expect(en.signedFigure(-56_789, .active) == "-56,789")
        #expect(en.signedFigure(0, .active) == "+0")
        // A difference of nothing still says it is a difference: +0 (compare's and track's columns).
        #expect(id.signedPersons(0) == "+0" && en.signedPersons(0) == "+0" && id.signedPersons(1234) == "+1.234" && id.signedPersons(-1234) == "-1.234")
        #expect(en.signedFigure(nil, .active) == "—")
        // Rupiah in the table's unit: −Rp 1.250.000 in Rp juta is -1,3.
        #expect(id.forTable(rupiah: [5e6]).signedFigure(-1_250_000, .iuran) == "-1,3")
    }
}

/// Terminal tables: the first `leftColumns` columns are names, left-aligned; every column after them
/// is a number, right-aligned, the first included; a trailing note column is left-aligned.
@Suite struct TextTableTests {
    @Test func namesLeftNumbersRightFromTheFirstNumber() {
        let t = TextTable.render([["Wilayah", "Segmen", "Target", "P"], ["Sumbagut", "PU", "7", "50%"]], leftColumns: 2)
        #expect(t == "Wilayah   Segmen  Target    P\nSumbagut  PU           7  50%")
        let notes = TextTable.render([["a", "1", "note"], ["bb", "22", "x"]], leftColumns: 1, noteColumn: true)
        #expect(notes == "a    1  note\nbb  22  x")
    }
}
