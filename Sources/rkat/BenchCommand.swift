import ArgumentParser
import Fitting
import Foundation
import PlanIO
import Planning

/// `rkat bench NAME`: benchmarks that print their figures, one subcommand each with its own options.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print their figures.",
        subcommands: [BenchFit.self, BenchNational.self, BenchGaussian.self, BenchHistory.self, BenchBacktest.self, BenchSolve.self])
}

struct BenchFit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit", abstract: "Logistic fits per second on a 60-point series, one reused workspace.")

    @Option(help: "Number of fits.") var fits = 20_000

    func run() throws {
        guard fits > 0 else { throw InputError("--fits must be positive") }
        let r = try FitBenchmark.run(fits: fits)
        print(String(format: "bench fit: %d logistic fits (n = 60, p = 3, analytic Jacobian, reused workspace)", r.fits))
        print(String(format: "  wall %.3f s, %.2f µs/fit, %.0f fits/s on one core", r.seconds, r.seconds / Double(r.fits) * 1e6, Double(r.fits) / r.seconds))
        print(String(format: "  mean iterations %.1f, function evaluations %.1f", r.meanIterations, r.meanFunctionEvaluations))
        print(String(format: "  fits that recovered the truth (K, r within 5%%, t0 within 0.1 year): %d of %d", r.accurate, r.fits))
        if r.accurate != r.fits { throw RuntimeFailure(message: "bench fit: \(r.fits - r.accurate) fits missed the truth") }
    }
}

struct BenchNational: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "national",
        abstract: "Synthetic Kanwil × branches × 5 segments, 8 years of monthly history: fit every series, simulate 60 months; wall time, fits/s, cell-months/s, peak memory.")

    @Option(help: "Draws.") var draws = 10_000
    @Option(help: "Worker threads.") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Kanwil (11 for the real figure).") var kanwil = 11
    @Option(help: "Branches per Kanwil (30 for the real figure).") var branches = 30
    @Flag(help: "The national RKAT: the plan year only, the Kanwil's and the nation's bands, an issued target split by equal stretch; then the 60-month benchmark, side by side.")
    var consolidate = false
    @Flag(help: "Bands rescaled by each cell's rolling-origin errors (uncertainty.rescaling: true); its cost is part of the fits and printed apart.")
    var rescaling = false

    func run() throws {
        guard draws > 0, threads > 0 else { throw InputError("--draws and --threads must be positive") }
        guard kanwil > 0, branches > 0 else { throw InputError("--kanwil and --branches must be positive") }
        let rescaled = { (seconds: Double, cells: Int) in
            rescaling ? String(format: " (rolling-origin rescaling of %d cells: %.2f s of CPU, in the fits)", cells, seconds) : ""
        }
        if consolidate {
            let c = try NationalBenchmark.consolidate(draws: draws, threads: threads, kanwil: kanwil, branches: branches, rescaling: rescaling)
            print("bench national --consolidate: \(c.series) series (\(kanwil) Kanwil × \(branches) branches × 5 segments), \(draws) draws × 12 months (the plan year), \(threads) thread(s)")
            print(String(format: "  fits %.2f s%@; simulation %.3g cell-months in %.2f s; consolidation %.3f s", c.fitSeconds, rescaled(c.rescalingSeconds, c.rescaledCells), Double(c.cellMonths), c.simulationSeconds, c.consolidationSeconds))
            let common = c.commonReach.map { String(format: "every Kanwil's share at P(tercapai) %.1f%%", 100 * $0) } ?? "the issued figure is \(c.bound?.rawValue ?? "outside the draws")"
            print(String(format: "  national year-end active P10 %.0f, P50 %.0f, P90 %.0f; issued %d (P50 + 2%%) reached in %.1f%% of the joint draws; %@; shares sum %d",
                         c.national[0], c.national[1], c.national[2], c.issued, 100 * c.issuedReach, common, c.sharesSum))
            print("  national share: \(c.nationalShare)")
            print(String(format: "  wall %.2f s; peak resident memory %.0f MiB", c.totalSeconds, PeakMemory.mebibytes()))
        }
        let f = try NationalBenchmark.run(draws: draws, threads: threads, kanwil: kanwil, branches: branches, rescaling: rescaling)
        print("bench national: \(f.series) series (\(kanwil) Kanwil × \(branches) branches × 5 segments), \(draws) draws × 60 months, \(threads) thread(s)")
        print(String(format: "  fits: %d series in %.2f s (%.0f fits/s), %d fitted as curves%@", f.series, f.fitSeconds, Double(f.series) / f.fitSeconds, f.curveCalibrations, rescaled(f.rescalingSeconds, f.rescaledCells)))
        print(String(format: "  simulation: %.3g cell-months in %.2f s (%.3g cell-months/s)", Double(f.cellMonths), f.simulationSeconds, Double(f.cellMonths) / f.simulationSeconds))
        print(String(format: "  wall %.2f s; peak resident memory %.0f MiB; rejected parameter draws %d; median national year-end active %.0f", f.totalSeconds, PeakMemory.mebibytes(), f.rejectedParameterDraws, f.medianNationalYearEnd))
    }
}

struct BenchSolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "rkat solve against one rkat run of the same scenario, side by side: the median of 5 runs (computed in memory, nothing written), then one lever solved; wall times and their ratio.")

    @Option(help: "Scenario YAML file.") var scenario = "scenarios/sumbagut-2018.yaml"
    @Option(help: "The target, as rkat solve reads it.") var target = "PU.acquisitions=+20%"
    @Option(help: "The lever, as rkat solve reads it.") var lever = "levers.outreach.intensity"
    @Option(help: "P(reach) to reach.") var probability = "0.7"
    @Option(help: "Draws.") var draws = 2000
    @Option(help: "Worker threads.") var threads = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        guard draws > 0, threads > 0 else { throw InputError("--draws and --threads must be positive") }
        let settings = RunJob.Settings(draws: draws, threads: threads)
        let clock = ContinuousClock()
        var runs: [Double] = []
        for _ in 0..<5 {
            let t0 = clock.now
            _ = try RunJob.compute(scenarioPath: scenario, settings: settings, fullOutputs: false)
            runs.append(SolveJob.seconds(clock.now - t0))
        }
        let run = runs.sorted()[2]
        let t0 = clock.now
        let r = try SolveJob.solve(
            scenarioPath: scenario, targets: [SolveJob.parseTarget(target)], levers: [SolveJob.parseLever(lever)],
            probability: SolveJob.parseProbability(probability), settings: settings)
        let solve = SolveJob.seconds(clock.now - t0)
        let a = r.answers[0]
        print("bench solve: \(scenario), --target \(target) --lever \(lever), P ≥ \(probability), \(draws) draws, \(threads) thread(s)")
        print(String(format: "  one run (median of 5, in memory): %.3f s", run))
        print(String(format: "  solve: %.3f s for %d runs (the no-action run included) = %.1f × one run; answer %@ (%@)", solve, r.runs, solve / run, a.search.answer.map { SolveJob.text($0.value) } ?? "none", a.search.status.rawValue))
    }
}

struct BenchBacktest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest the national benchmark plan: its last N origins, each calibrated and simulated as run does, later months scored for rkat and both naive rules; wall time, rows, P10–P90 held.")

    @Option(help: "Origins (the last months of the history that leave a later month).") var origins = 10
    @Option(help: "Months scored after each origin.") var horizon = 12
    @Option(help: "Draws per origin.") var draws = 1000
    @Option(help: "Worker threads.") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Kanwil (11 for the real figure).") var kanwil = 11
    @Option(help: "Branches per Kanwil (30 for the real figure).") var branches = 30

    func run() throws {
        guard origins > 0, horizon > 0, draws > 0, threads > 0, kanwil > 0, branches > 0 else {
            throw InputError("--origins, --horizon, --draws, --threads, --kanwil and --branches must be positive")
        }
        let f = try BacktestBenchmark.run(origins: origins, horizon: horizon, draws: draws, threads: threads, kanwil: kanwil, branches: branches)
        let s = f.summary
        print("bench backtest: national plan, \(f.cells) cells × \(f.origins) origins × up to \(horizon) months, \(draws) draws, \(threads) thread(s)")
        print(String(format: "  wall %.2f s (calibration %.2f s, simulation %.2f s, scoring %.2f s); %d rows, %.0f rows/s; peak resident memory %.0f MiB",
            f.seconds, f.calibrationSeconds, f.simulationSeconds, f.scoringSeconds, f.rows, Double(f.rows) / f.seconds, PeakMemory.mebibytes()))
        if s.banded > 0 {
            let ci = BinomialInterval.clopperPearson(successes: s.held, trials: s.banded)
            print(String(format: "  P10–P90 held %d of %d actuals (%.3f, 95%% interval %.3f–%.3f); median abs error rkat %.2f%%, last value %.2f%%, last year's growth %.2f%%",
                s.held, s.banded, Double(s.held) / Double(s.banded), ci.low, ci.high, (s.medianAbsoluteError[.rkat] ?? .nan) * 100,
                (s.medianAbsoluteError[.lastValue] ?? .nan) * 100, (s.medianAbsoluteError[.lastYearGrowth] ?? .nan) * 100))
        }
    }
}

struct BenchGaussian: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaussian", abstract: "ns per N(0, 1) draw: GSL's ziggurat on taus2 against the inline one of the Monte Carlo month loop.")

    func run() throws {
        let g = GaussianBenchmark.run()
        print("bench gaussian: \(g.draws) N(0, 1) draws on one core")
        print(String(format: "  GSL gsl_ran_gaussian_ziggurat (taus2): %.2f ns/draw", g.gslNanoseconds))
        print(String(format: "  inline taus2 + ziggurat (GaussianSource): %.2f ns/draw", g.inlineNanoseconds))
    }
}

struct BenchHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Read a synthetic history: wall time, rows/s, peak memory.")

    @Option(help: "Rows of the synthetic history.") var rows = 1_000_000

    func run() throws {
        guard rows > 0, rows <= 100_000_000 else { throw InputError("--rows must be in [1, 100000000]") }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rkat-bench-history-\(ProcessInfo.processInfo.processIdentifier).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = try HistoryBenchmark.write(rows: rows, to: path)
        let clock = ContinuousClock()
        let start = clock.now
        let report = try HistoryReader.read(path: path)
        let seconds = (clock.now - start) / .seconds(1)
        print("bench history: \(rows) rows (\(String(format: "%.1f", Double(bytes) / 1_048_576)) MiB: 50 regions × 5 segments × 4 metrics, monthly)")
        print(String(format: "  read and checked in %.2f s (%.0f rows/s); %d observations, %d warnings; peak resident memory %.0f MiB",
            seconds, Double(rows) / seconds, report.history.observations.count, report.warnings.count, PeakMemory.mebibytes()))
    }
}

/// Peak resident set size of this process (VmHWM from /proc/self/status), in MiB.
enum PeakMemory {
    static func mebibytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return .nan }
        let kb = Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "") ?? .nan
        return kb / 1024
    }
}

/// The synthetic history of `rkat bench history`: regions × segments × metrics, one row per month,
/// going back as far as the row count needs (distinct keys, no warnings).
enum HistoryBenchmark {
    static func write(rows: Int, to path: String) throws(InputError) -> Int {
        let segments = ["PU", "BPU", "JAKON", "PMI", "ALL"], metrics = ["active", "acquisitions", "lapses", "potential"]
        let perMonth = 50 * segments.count * metrics.count
        let months = (rows + perMonth - 1) / perMonth
        var text = "date,region,segment,metric,value,basis,source\n"
        text.reserveCapacity(rows * 48)
        var n = 0
        outer: for m in 0..<months {
            let month = Month(year: 2000, month: 1).adding(months: m)
            for r in 0..<50 {
                for (s, segment) in segments.enumerated() {
                    for (k, metric) in metrics.enumerated() {
                        if n == rows { break outer }
                        let value = metric == "potential" ? 5_000_000 : 1000 + (m * 7 + r * 13 + s * 3 + k) % 9000
                        text += "\(month),R\(r),\(segment),\(metric),\(value),bench,synthetic\n"
                        n += 1
                    }
                }
            }
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw InputError("cannot write the benchmark's history", file: path)
        }
        return text.utf8.count
    }
}
