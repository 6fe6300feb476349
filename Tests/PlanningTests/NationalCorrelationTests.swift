import Fitting
import Foundation
import Testing

@testable import Planning

/// Regions sharing a part η of their deviations' innovations: the national component
/// (docs/uncertainty.md, "Regions together").
@Suite struct NationalCorrelationTests {
    static let regions = ["K01", "K02", "K03", "K04", "K05"]

    /// Five Kanwil with one logistic segment each (their own sizes and curves), 96 monthly points,
    /// D_k = AR(1) with φ and s whose innovations are √η·z_national + √(1 − η)·z_own.
    static func history(eta: Double, phi: Double = 0.7, sd: Double = 0.03, seed: UInt64, through last: Month = Month(year: 2019, month: 12)) -> History {
        let rng = RandomStream(seed: seed)
        let months = Planning.months(from: Month(year: 2012, month: 1), through: last)
        var d = regions.map { _ in rng.gaussian(sd: sd) }
        var obs: [History.Observation] = []
        for m in months {
            for (k, region) in regions.enumerated() {
                let p = [0.4 + 0.05 * Double(k), 0.5 + 0.05 * Double(k), 2016.0 + 0.4 * Double(k)]
                let u = GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012.0).values(at: p)[0]
                obs.append(.init(month: m, region: region, segment: "PU", metric: .active, value: potential(k) * 0.4 * u * (1 + d[k])))
            }
            let national = rng.gaussian(sd: 1)
            for k in d.indices {
                let z = eta.squareRoot() * national + (1 - eta).squareRoot() * rng.gaussian(sd: 1)
                d[k] = phi * d[k] + sd * (1 - phi * phi).squareRoot() * z
            }
        }
        return History(observations: obs)
    }

    static func potential(_ k: Int) -> Double { 2_000_000 + 700_000 * Double(k) }

    static func scenario(draws: Int, parameters: Bool) -> Scenario {
        var s = Scenario(
            name: "national test",
            regions: regions.indices.map { k in
                RegionPlan(name: regions[k], potential: PotentialSpec(total: potential(k), basis: "test", asOf: Month(year: 2018, month: 1), growthPerYear: 0, split: .shares(["PU": 0.4])))
            },
            actualsUntil: Month(year: 2019, month: 12), horizon: Month(year: 2020, month: 12), historyPath: "",
            segments: [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.2)])
        s.uncertainty = UncertaintySettings(draws: draws, seed: 11, parameters: parameters, processNoise: true, assumptions: [:])
        return s
    }

    /// The five Kanwil with a second segment, BPU, three quarters of PU's figures.
    static func twoSegments(draws: Int, parameters: Bool, seed: UInt64) -> (Scenario, History) {
        var s = scenario(draws: draws, parameters: parameters)
        s.segments.append(SegmentPlan(name: "BPU", model: .named(.logistic), lapseRatePerYear: 0.2))
        for k in s.regions.indices { s.regions[k].potential.split = .shares(["PU": 0.4, "BPU": 0.3]) }
        var h = history(eta: 0.5, seed: seed)
        h.observations += h.observations.map { .init(month: $0.month, region: $0.region, segment: "BPU", metric: .active, value: $0.value * 0.75) }
        return (s, h)
    }

    /// The closed form against the pairs one by one: cells (A: a, b), (B: c), (C: d) over 12 months;
    /// the five pairs across regions have Pearson r 0.1515, 0.4974, −0.4714, 0.3283, 0.0998 and mean
    /// 0.12111000818239673 (numpy.corrcoef); the pair inside A (r 0.755) is not counted.
    @Test func acrossRegionsIsTheMeanOfThePairsAcrossRegions() throws {
        let months = (1...12).map { Month(year: 2017, month: $0) }
        func series(_ v: [Double]) -> [Month: Double] { Dictionary(uniqueKeysWithValues: zip(months, v)) }
        let cells: [(region: String, byMonth: [Month: Double])] = [
            ("A", series((1...12).map(Double.init))), ("A", series([5, 1, 4, 2, 8, 3, 9, 6, 12, 7, 11, 10])),
            ("B", series([2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5])), ("C", series([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8])),
        ]
        let eta = try #require(SegmentCorrelation.acrossRegions(cells))
        #expect(abs(eta.rho - 0.12111000818239673) < 1e-12, "\(eta.rho)")
        #expect(eta.range == nil && eta.source.contains("5 pair(s) across regions, 12 common months"), "\(eta.source)")
        // One region only, or eleven common months: no estimate.
        #expect(SegmentCorrelation.acrossRegions(cells.map { ("A", $0.byMonth) }) == nil)
        #expect(SegmentCorrelation.acrossRegions(cells.map { ($0.region, $0.byMonth.filter { $0.key != months[0] }) }) == nil)
    }

    /// η is recovered from the histories: mean estimate over 30 replicates within 0.08 of the truth
    /// (0.5), and near 0 for independent regions; every cell carries the same estimate.
    @Test(arguments: [0.5, 0.0])
    func etaIsRecovered(_ eta: Double) throws {
        var estimates: [Double] = []
        for r in 0..<30 {
            let cals = try Calibration.run(Self.scenario(draws: 0, parameters: true), history: Self.history(eta: eta, seed: UInt64(300 + r)))
            let n = try #require(cals[0].national)
            #expect(n.range == nil && n.source.hasPrefix("estimated"), "\(n.source)")
            #expect(cals.allSatisfy { $0.national?.rho == n.rho })
            estimates.append(n.rho)
        }
        let mean = estimates.reduce(0, +) / Double(estimates.count)
        #expect(abs(mean - eta) < (eta > 0 ? 0.08 : 0.1), "mean η̂ \(mean)")
    }

    /// A stated share wins and names the estimate beside it; a stated range is drawn; a single
    /// region has no national share; regions without common monthly figures take the default.
    @Test func statedDefaultAndSingleRegion() throws {
        var s = Self.scenario(draws: 0, parameters: true)
        s.uncertainty.nationalCorrelation = 0.3...0.3
        let h = Self.history(eta: 0.5, seed: 3)
        let stated = try #require(try Calibration.run(s, history: h)[0].national)
        #expect(stated.rho == 0.3 && stated.range == nil && stated.source.contains("the history's estimate η"), "\(stated.source)")
        s.uncertainty.nationalCorrelation = 0.1...0.5
        #expect(try Calibration.run(s, history: h)[0].national?.range == 0.1...0.5)
        s.uncertainty.nationalCorrelation = nil
        var yearly = h
        yearly.observations = yearly.observations.filter { $0.region == "K01" || $0.month.month == 12 }
        let fallback = try #require(try Calibration.run(s, history: yearly)[0].national)
        #expect(fallback.range == SegmentCorrelation.defaultRange && fallback.source.hasPrefix("default"))
        s.regions = [s.regions[0]]
        #expect(try Calibration.run(s, history: h)[0].national == nil)
    }

    /// With φ, s and the curve held, two cells of different regions with the same φ have corr(D) = η:
    /// their per-draw year-ends correlate at η (4,000 draws, margin 0.05); η = 0 gives 0.
    @Test(arguments: [0.6, 0.0])
    func drawsShareTheNationsInnovations(_ eta: Double) throws {
        let s = Self.scenario(draws: 4_000, parameters: false)
        var cals = try Calibration.run(s, history: Self.history(eta: 0.5, seed: 7))
        for i in cals.indices {
            cals[i].deviation!.phi = 0.8
            cals[i].deviation!.phiSE = nil
            cals[i].deviation!.dof = nil
            cals[i].deviation!.sd = 0.05
            cals[i].national = SegmentCorrelation(rho: eta, range: nil, source: "test")
        }
        let r = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: 2020))
        let a = try #require(r.cells[0].planYear(.active)), b = try #require(r.cells[3].planYear(.active))
        #expect(abs(Self.correlation(a, b) - eta) < 0.05, "corr \(Self.correlation(a, b))")
    }

    /// A region's segments keep their whole estimated correlation ρ when the nation's η takes part of
    /// it: two segments of one region correlate at ρ (the region's own share (ρ − η)/(1 − η) on top of
    /// η), two cells of different regions at η.
    @Test func theRegionKeepsItsWholeCorrelation() throws {
        let (s, h) = Self.twoSegments(draws: 4_000, parameters: false, seed: 9)
        var cals = try Calibration.run(s, history: h)
        for i in cals.indices {
            cals[i].deviation!.phi = 0.8
            cals[i].deviation!.phiSE = nil
            cals[i].deviation!.dof = nil
            cals[i].deviation!.sd = 0.05
            cals[i].correlation = SegmentCorrelation(rho: 0.7, range: nil, source: "test")
            cals[i].national = SegmentCorrelation(rho: 0.4, range: nil, source: "test")
        }
        let r = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: 2020))
        func yearEnd(_ region: String, _ segment: String) throws -> [Double] {
            try #require(r.cells.first { $0.region == region && $0.segment == segment }?.planYear(.active))
        }
        let within = Self.correlation(try yearEnd("K01", "PU"), try yearEnd("K01", "BPU"))
        let across = Self.correlation(try yearEnd("K01", "PU"), try yearEnd("K02", "BPU"))
        #expect(abs(within - 0.7) < 0.05 && abs(across - 0.4) < 0.05, "within \(within), across \(across)")
    }

    /// Coherent in every draw: each region's plan-year figure is its segments' summed draw by draw (in
    /// whole persons), and the nation's (targets' ALL row) is the regions' summed draw by draw: its quantiles and P(reach)
    /// are those of the summed draws, not sums of quantiles (five Kanwil × two segments, 500 draws).
    @Test func everyDrawsUnitsSumToTheirParents() throws {
        let (s, h) = Self.twoSegments(draws: 500, parameters: true, seed: 21)
        let cals = try Calibration.run(s, history: h)
        let mc = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: 2020))
        var nation: [TargetRow.Metric: [Double]] = [:]
        for metric in [TargetRow.Metric.active, .acquisitions] {
            var sum = [Double](repeating: 0, count: 500)
            for region in mc.regions {
                let total = try #require(region.planYear(metric))
                let parts = mc.cells.filter { $0.region == region.region }.map { $0.planYear(metric)! }
                #expect(parts.count == 2)
                for d in 0..<500 {
                    // In whole persons, exactly (the sums are then the same in any order: determinism).
                    #expect(total[d] == Persons.round(parts[0][d]) + Persons.round(parts[1][d]), "\(region.region) \(metric) draw \(d)")
                    sum[d] += total[d]
                }
            }
            nation[metric] = sum
            // The Monte Carlo total over the regions is the same sum, draw by draw.
            #expect(mc.total?.planYear(metric) == sum)
        }
        // Its December band: the quantiles of the summed year-ends (the month's draws are the plan year's).
        let total = try #require(mc.total)
        var yearEnds = nation[.active]!
        let k = try #require(total.months.firstIndex(of: Month(year: 2020, month: 12)))
        #expect(total.region == Targets.allRegions && total.active.values.map { $0[k] } == MonteCarloQuantiles.compute(&yearEnds, levels: s.uncertainty.quantiles))
        let projection = Engine.project(s, calibrations: cals)
        let rows = Targets.table(s, history: h, projection: projection, monteCarlo: mc, planYear: 2020)
        for metric in [TargetRow.Metric.active, .acquisitions] {
            let all = try #require(rows.first { $0.region == Targets.allRegions && $0.metric == metric && $0.basis == .projection })
            var draws = nation[metric]!
            #expect(all.probability == MonteCarlo.probability(draws, atLeast: all.target))
            #expect(all.quantiles == MonteCarloQuantiles.compute(&draws, levels: s.uncertainty.quantiles))
            #expect(all.target == rows.filter { $0.isTotal && $0.region != Targets.allRegions && $0.metric == metric && $0.basis == .projection }.reduce(0) { $0 + $1.target })
        }
    }

    /// The national band: 300 replicates of five Kanwil whose deviations share η = 0.5 of their
    /// innovations (each a new history and future); P10–P90 of the nation's year-end active (the
    /// regions' draws summed draw by draw) holds the realised national total 0.80 ± (3.42·√(0.16/R) +
    /// 0.03) of the time at h = 12. With the regions taken as independent (`national` removed, the
    /// same calibrations) it holds far less: below 0.72 (docs/uncertainty.md gives both figures).
    @Test func theNationalBandHoldsTheRealisedTotal() throws {
        let replicates = 300
        var inside = 0, insideIndependent = 0, counted = 0
        let december = Month(year: 2020, month: 12)
        for r in 0..<replicates {
            // History and future in one path: 2012-01 … 2020-12, the last year unseen.
            let full = Self.history(eta: 0.5, seed: UInt64(9_000 + r), through: december)
            var s = Self.scenario(draws: 200, parameters: true)
            s.uncertainty.seed = UInt64(r)
            guard let cals = try? Calibration.run(s, history: History(observations: full.observations.filter { $0.month <= s.actualsUntil })) else { continue }
            counted += 1
            let truth = full.observations.filter { $0.month == december }.reduce(0) { $0 + $1.value }
            for shared in [true, false] {
                var c = cals
                if !shared { for i in c.indices { c[i].national = nil } }
                let result = MonteCarlo.run(s, calibrations: c, options: MonteCarlo.Options(s.uncertainty, planYear: 2020))
                var nation = [Double](repeating: 0, count: 200)
                for region in result.regions { for (i, v) in region.planYear(.active)!.enumerated() { nation[i] += v } }
                let q = Quantiles.compute(&nation, 0..<nation.count, levels: [0.1, 0.9])
                if q[0] <= truth && truth <= q[1] { if shared { inside += 1 } else { insideIndependent += 1 } }
            }
        }
        #expect(counted * 50 >= replicates * 49)
        let tolerance = 3.42 * (0.16 / Double(counted)).squareRoot() + 0.03
        let coverage = Double(inside) / Double(counted), independent = Double(insideIndependent) / Double(counted)
        print("national total of five Kanwil sharing η 0.5, h = 12: P10–P90 coverage \(coverage) (independent regions: \(independent))")
        #expect(abs(coverage - 0.8) <= tolerance, "coverage \(coverage)")
        // The issue's own window for the national band (issue 34).
        #expect(coverage >= 0.72 && coverage <= 0.88, "coverage \(coverage)")
        #expect(independent < 0.72, "independent regions: coverage \(independent)")
    }

    /// The normals kept for the cells that share them are their stream's, month by month: the first
    /// `draws` standard normals of ("national-noise/YYYY-MM", seed), as each cell drew them before.
    @Test func sharedNormalsAreTheMonthsStream() {
        let shared = SharedNormals(draws: 300)
        let noise = MonthlyNoise(seed: 11, key: "national-noise")
        for m in [Month(year: 2020, month: 1), Month(year: 2020, month: 2), Month(year: 2020, month: 1)] {
            let kept = Array(shared.normals(noise, m))
            let stream = noise.stream(m)
            let own = UnsafeMutableBufferPointer<Double>.allocate(capacity: 300)
            defer { own.deallocate() }
            withExtendedLifetime(stream) { stream.gaussians.fill(own, 0..<300, sd: 1) }
            #expect(kept == Array(own), "\(m)")
        }
        #expect(Array(shared.normals(noise, Month(year: 2020, month: 1))) != Array(shared.normals(noise, Month(year: 2020, month: 2))))
    }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        let cov = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
        let va = a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) }, vb = b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }
        return cov / (va * vb).squareRoot()
    }
}
