import Foundation
import Testing

/// `rkat solve` on the command line (docs/solve.md): the planner's language by default, the command
/// that re-runs the answer, and bad arguments as one line, exit 2.
@Suite struct SolveCommandTests {
    @Test func theAnswerSaysHowToReRunIt() throws {
        let r = try CommandLineTests.rkat([
            "solve", RunCommandTests.scenario("sumbagut-2018"), "--target", "PU.acquisitions=+20%", "--lever", "levers.outreach.intensity",
            "--probability", "70%", "--draws", "300", "--seed", "5",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Apa yang dibutuhkan agar P(tercapai) ≥ 70,0% (300 simulasi, seed 5)"), "\(r.stdout)")
        #expect(r.stdout.contains("tanpa tindakan (skenario apa adanya): P(tercapai) "), "\(r.stdout)")
        #expect(r.stdout.contains(" --set levers.outreach.intensity=1.") && r.stdout.contains(" --draws 300 --seed 5"), "\(r.stdout)")
        #expect(r.stdout.contains("monoton pada simulasinya") && r.stdout.contains("Satu run skenario: "), "\(r.stdout)")
    }

    @Test(arguments: [
        (["--target", "PU.active=86.500", "--lever", "levers.outreach.intensity"], "this reads as the decimal 86.5"),
        (["--target", "PU.members=5", "--lever", "levers.outreach.intensity"], "unknown metric 'members'"),
        (["--target", "PU.active=900000", "--set", "levers.villages={segment: BPU, villages_per_year: 0, acquisitions_per_village: 660}", "--lever", "levers.villages.villages_per_year"], "give the range to search"),
        (["--target", "PU.active=900000", "--lever", "levers.outreach.intensty"], "--lever 'levers.outreach.intensty': "),
        (["--target", "PU.acquisitions=+20", "--lever", "levers.outreach.intensity"], "'+20' has a sign but no %"),
        (["--target", "PU.active=900000"], "give at least one --lever"),
        (["--target", "PU.active=900000", "--lever", "levers.outreach.intensity", "--probability", "1.5"], "expected a probability between 0 and 1"),
        (["--target", "PU.active=900000", "--lever", "levers.outreach.intensity=1..x"], "the range is not MIN..MAX"),
    ])
    func badArgumentsAreOneLineExitTwo(_ args: [String], _ says: String) throws {
        let r = try CommandLineTests.rkat(["solve", RunCommandTests.scenario("sumbagut-2018"), "--draws", "0", "--lang", "en"] + args)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(ExitCodeTests.errorLines(r).count == 1 && r.stderr.contains(says), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// A value the scenario refuses at a lever value is said with the value tried (a share above 1 is
    /// out of the key's range).
    @Test func aLeverValueTheScenarioRefusesNamesIt() throws {
        let r = try CommandLineTests.rkat([
            "solve", RunCommandTests.scenario("sumbagut-2018"), "--draws", "0", "--lang", "en", "--target", "PU.active=900000",
            "--set", "levers.reactivation={segment: BPU, share_per_year: 0, pool: 1000}", "--lever", "levers.reactivation.share_per_year=0..2",
        ])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(ExitCodeTests.errorLines(r).count == 1 && r.stderr.contains("--lever levers.reactivation.share_per_year=2: "), "\(r.stderr)")
    }
}

/// `rkat explain` on the command line (docs/explain.md).
@Suite struct ExplainCommandTests {
    @Test func theTableAddsUpAndIsWritten() throws {
        let dir = RunCommandTests.temp()
        let new = dir.appendingPathComponent("new.yaml")
        try "extends: \(RunCommandTests.scenario("sumbagut-2018"))\nlevers:\n  outreach: {intensity: 1.2}\n".write(to: new, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out").path
        let r = try CommandLineTests.rkat(["explain", RunCommandTests.scenario("sumbagut-2018"), new.path, "--draws", "100", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Mengapa target berubah") && r.stdout.contains("pengungkit outreach"), "\(r.stdout)")
        let csv = try String(contentsOfFile: out + "/explain.csv", encoding: .utf8)
        #expect(csv.hasPrefix("region,segment,metric,basis,old_target,new_target,change,group,share,share_whole,p_old,p_new,p_share\r\n"))
        // NEW's report with the waterfalls, its workbook with the sheet.
        let report = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(report.contains("<h2>Mengapa target berubah?</h2>") && report.contains("aria-label=\"Sumbagut TOTAL · Peserta aktif akhir tahun (proyeksi)\""), "report")
        #expect(r.stdout.contains("explain.csv, explain.json, explain.md, targets.xlsx, report.html"), "\(r.stdout)")
    }

    @Test func theSamePlanTwiceIsBadInput() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o").path
        let r = try CommandLineTests.rkat(["explain", RunCommandTests.scenario("sumbagut-2018"), RunCommandTests.scenario("sumbagut-2018"), "--out", out, "--lang", "en"])
        #expect(r.status == 2 && ExitCodeTests.errorLines(r).count == 1 && r.stderr.contains("differ in nothing that moves a target"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
