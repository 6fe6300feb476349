import Foundation
import Testing

@testable import PlanIO
@testable import Planning

@Suite struct OutputTests {
    /// FIPS 180-4 / NIST CSRC example vectors.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256Vectors(message: String, digest: String) {
        #expect(SHA256.hex(Array(message.utf8)) == digest)
    }

    @Test func sha256OfAMillionAs() {
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func commitReplacesTheDirectoryWhole() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("rkat-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let dir = base.appendingPathComponent("run").path
        var first = try OutputDirectory(path: dir)
        first.add("a.csv", "1\n")
        first.add("stale.csv", "old\n")
        try first.commit()
        var second = try OutputDirectory(path: dir)
        second.add("a.csv", "2\n")
        try second.commit()
        #expect(try String(contentsOfFile: dir + "/a.csv", encoding: .utf8) == "2\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/stale.csv"))
        // No staging folder is left behind; the replaced output is kept as the previous generation.
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() == [".run.rkat-previous", "run"])
        #expect(try String(contentsOfFile: base.path + "/.run.rkat-previous/a.csv", encoding: .utf8) == "1\n")
    }

    @Test func csvFieldsAreQuotedAndNumbersFixed() {
        #expect(CSVWriter.escape("a,b") == "\"a,b\"" && CSVWriter.escape("say \"x\"") == "\"say \"\"x\"\"\"")
        #expect(CSVWriter.persons(-0.0001) == "0.00" && CSVWriter.persons(1234.5) == "1234.50" && CSVWriter.persons(nil) == "")
    }
}

/// The backtest's verdict sentence (issue 31, item 7): P10–P90 held near 80% when the Clopper–Pearson
/// 95% interval of the held share contains 0.8 (80 of 100: 0.708–0.873), too narrow when it lies below
/// (60 of 100: 0.497–0.697), too wide above (95 of 100: 0.887–0.984); beating last year's growth by the
/// overall skill's sign.
@Suite struct BacktestVerdictTests {
    static func summary(held: Int, of n: Int) -> Backtest.Summary {
        Backtest.Summary(origins: 10, actuals: n, banded: n, held: held, medianAbsoluteError: [:], bias: nil)
    }

    @Test func theVerdictJudgesTheBandsByTheirIntervalAndTheSkillBySign() {
        let levels = [0.1, 0.5, 0.9]
        let growth = { (v: Double) in [Backtest.Skill(rule: .lastYearGrowth, horizon: nil, n: 100, pinball: true, modelLoss: 1, ruleLoss: 2, skill: v)] }
        let en = Words(indonesian: false), id = Words(indonesian: true)
        #expect(BacktestWriters.verdict(Self.summary(held: 80, of: 100), skills: growth(0.5), levels: levels, words: en)
            == "Verdict: rkat's P10–P90 bands held 80.0% of the actuals (95% interval 70.8%–87.3%): near their 80.0%; rkat beat last year's growth (pinball skill +0.5).")
        #expect(BacktestWriters.verdict(Self.summary(held: 60, of: 100), skills: growth(-0.25), levels: levels, words: en)
            == "Verdict: rkat's P10–P90 bands held 60.0% of the actuals (95% interval 49.7%–69.7%): too narrow for 80.0%; rkat did not beat last year's growth (pinball skill −0.25).")
        #expect(BacktestWriters.verdict(Self.summary(held: 95, of: 100), skills: [], levels: levels, words: id)
            == "Kesimpulan: pita P10–P90 rkat memuat 95,0% realisasi (interval 95% 88,7%–98,4%): terlalu lebar untuk 80,0%.")
        #expect(BacktestWriters.verdict(Backtest.Summary(origins: 1, actuals: 3, banded: 0, held: 0, medianAbsoluteError: [:], bias: nil), skills: [], levels: levels, words: en) == nil)
    }
}

/// The backtest's fan chart draws at most six origins, evenly spread from the first to the last
/// (58 origins: 0, 11, 23, 34, 46, 57, i.e. k·57/5 rounded); five or six are all drawn.
@Suite struct BacktestFanTests {
    @Test func atMostSixFansEvenlySpread() {
        #expect(BacktestWriters.chartOrigins(58) == [0, 11, 23, 34, 46, 57])
        #expect(BacktestWriters.chartOrigins(7) == [0, 1, 2, 4, 5, 6])
        #expect(BacktestWriters.chartOrigins(6) == [0, 1, 2, 3, 4, 5])
        #expect(BacktestWriters.chartOrigins(1) == [0])
    }
}
