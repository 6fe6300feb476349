import Foundation

/// Hands out cell indexes to workers; the order of handing out does not affect results.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var done = 0
    let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    func finished() -> Int {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        return done
    }
}

/// One slot per cell, written by whichever worker simulated it.
final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]

    init(count: Int) { slots = [T?](repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func all() -> [T] { slots.map { $0! } }
}

/// Region totals per draw and month. Cells are added as whole persons (rounded to integers, summed
/// in Double, exact below 2^53), so the sums do not depend on the order in which workers finish.
final class RegionAccumulator: @unchecked Sendable {
    enum Potential {
        /// The same potential in every draw: one value per month.
        case perMonth([Double])
        /// A drawn potential: month-major, draws inside.
        case perDraw([Double])
    }

    private let lock = NSLock()
    private let months: Int
    private let draws: Int
    private let index: [String: Int]
    private var active: [[Double]]
    private var acquisitions: [[Double]]
    private var potentialPerMonth: [[Double]]
    private var potentialPerDraw: [[Double]?]
    /// Per region, keyed by metric, per draw: the plan year's figures (active and acquisitions from
    /// the start; iuran and reactivations from the first cell that has them).
    private var planYear: [[TargetRow.Metric: [Double]]]
    /// Per worker and region: active and acquisitions (months × draws), written only by that worker
    /// while it copies its cells' draws, so no lock is needed; summed across workers at the end.
    /// Int32 halves the memory traffic of these large arrays; a Kanwil's monthly persons fit easily.
    private var partials: [[(active: UnsafeMutablePointer<Int32>, acquisitions: UnsafeMutablePointer<Int32>)?]] = []
    private let partialsLock = NSLock()

    /// The worker's running sums for a region (allocated on first use, zeroed).
    func partial(worker: Int, region: String) -> (active: UnsafeMutablePointer<Int32>, acquisitions: UnsafeMutablePointer<Int32>) {
        let r = index[region]!
        partialsLock.lock()
        defer { partialsLock.unlock() }
        while partials.count <= worker { partials.append(Array(repeating: nil, count: index.count)) }
        if let p = partials[worker][r] { return p }
        let n = months * draws
        let a = UnsafeMutablePointer<Int32>.allocate(capacity: n), g = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        a.initialize(repeating: 0, count: n)
        g.initialize(repeating: 0, count: n)
        partials[worker][r] = (a, g)
        return (a, g)
    }

    deinit {
        for w in partials { for p in w { if let p { p.active.deallocate(); p.acquisitions.deallocate() } } }
    }

    init(regions: [String], months: Int, draws: Int) {
        self.months = months
        self.draws = draws
        index = Dictionary(uniqueKeysWithValues: regions.enumerated().map { ($1, $0) })
        let grid = [Double](repeating: 0, count: months * draws), perDraw = [Double](repeating: 0, count: draws)
        active = Array(repeating: grid, count: regions.count)
        acquisitions = Array(repeating: grid, count: regions.count)
        potentialPerMonth = Array(repeating: [Double](repeating: 0, count: months), count: regions.count)
        potentialPerDraw = Array(repeating: nil, count: regions.count)
        planYear = Array(repeating: [.active: perDraw, .acquisitions: perDraw], count: regions.count)
    }

    private static func addPersons(_ target: inout [Double], _ values: [Double]) {
        target.withUnsafeMutableBufferPointer { t in
            values.withUnsafeBufferPointer { v in
                for i in 0..<v.count where v[i].magnitude < 1e15 { t[i] += Persons.round(v[i]) }
            }
        }
    }

    /// A cell's potential and plan-year figures (its monthly active and acquisitions go through the
    /// worker's partial sums).
    func add(region: String, potential l: Potential?, planYear figures: [TargetRow.Metric: [Double]]) {
        let r = index[region]!
        lock.lock()
        defer { lock.unlock() }
        switch l {
        case .perMonth(let p): Self.addPersons(&potentialPerMonth[r], p)
        case .perDraw(let p):
            if potentialPerDraw[r] == nil { potentialPerDraw[r] = [Double](repeating: 0, count: months * draws) }
            Self.addPersons(&potentialPerDraw[r]!, p)
        case nil: break
        }
        // Whole persons (and whole rupiah): exact in any order below 2^53 (Rp 9 × 10^15).
        for (metric, values) in figures {
            Self.addPersons(&planYear[r][metric, default: [Double](repeating: 0, count: draws)], values)
        }
    }

    /// Adds the workers' partial sums of region `name` into its totals (call once per region) and
    /// returns its bands and per-draw figures.
    func combineRegion(_ name: String, months ms: [Month], options: MonteCarlo.Options) -> MonteCarlo.Region {
        let r = index[name]!
        // Whole persons in doubles: the sum over workers is exact in any order.
        for w in partials {
            guard let p = w[r] else { continue }
            for i in 0..<(months * draws) {
                active[r][i] += Double(p.active[i])
                acquisitions[r][i] += Double(p.acquisitions[i])
            }
        }
        var a = active[r], g = acquisitions[r]
        let act = active[r], perMonth = potentialPerMonth[r], perDraw = potentialPerDraw[r]
        let monthly = options.keepMonthlyDraws ? MonteCarlo.MonthlyDraws(active: active[r], acquisitions: acquisitions[r], potential: potentialGrid(r)) : nil
        var c = (0..<(months * draws)).map { i -> Double in
            let l = perDraw?[i] ?? perMonth[i / draws]
            return l > 0 ? act[i] / l : 0
        }
        return MonteCarlo.Region(
            region: name, months: ms, active: Self.band(&a, months: months, draws: draws, options), acquisitions: Self.band(&g, months: months, draws: draws, options),
            coverage: Self.band(&c, months: months, draws: draws, options), planYearDraws: planYear[r], monthly: monthly)
    }

    /// The total over all regions (`Targets.allRegions`), summed draw by draw and month by month from
    /// the regions' whole persons (exact in any order): the nation of a national scenario. Call after
    /// every region is combined.
    func combineTotal(months ms: [Month], options: MonteCarlo.Options) -> MonteCarlo.Region {
        let regions = 0..<index.count
        return Self.total(
            active: regions.map { active[$0] }, acquisitions: regions.map { acquisitions[$0] }, potential: regions.map { potentialGrid($0) },
            planYear: regions.map { planYear[$0] }, months: ms, draws: draws, options: options)
    }

    /// A region's potential per month and draw (month-major), drawn or the same in every draw.
    private func potentialGrid(_ r: Int) -> [Double] {
        potentialPerDraw[r] ?? (0..<(months * draws)).map { potentialPerMonth[r][$0 / draws] }
    }

    /// The one home of a total over regions (`combineTotal`, `MonteCarlo.total(of:)`): month-major
    /// draws summed, its bands; coverage per draw as active over potential; plan-year draws summed
    /// (a region without iuran or reactivations adds nothing to that total).
    static func total(
        active: [[Double]], acquisitions: [[Double]], potential: [[Double]], planYear: [[TargetRow.Metric: [Double]]], months ms: [Month], draws: Int,
        options: MonteCarlo.Options
    ) -> MonteCarlo.Region {
        let n = ms.count * draws
        var a = [Double](repeating: 0, count: n), g = a, l = a
        var figures: [TargetRow.Metric: [Double]] = [:]
        for r in active.indices {
            for i in 0..<n {
                a[i] += active[r][i]
                g[i] += acquisitions[r][i]
                l[i] += potential[r][i]
            }
            for (metric, values) in planYear[r] {
                var sum = figures[metric] ?? [Double](repeating: 0, count: draws)
                for d in 0..<draws { sum[d] += values[d] }
                figures[metric] = sum
            }
        }
        var c = (0..<n).map { i in l[i] > 0 ? a[i] / l[i] : 0 }
        return MonteCarlo.Region(
            region: Targets.allRegions, months: ms, active: band(&a, months: ms.count, draws: draws, options),
            acquisitions: band(&g, months: ms.count, draws: draws, options), coverage: band(&c, months: ms.count, draws: draws, options),
            planYearDraws: figures)
    }

    /// Each month's quantiles of month-major draws.
    static func band(_ v: inout [Double], months: Int, draws: Int, _ options: MonteCarlo.Options) -> MonteCarlo.Band {
        var q = [[Double]](repeating: [Double](repeating: 0, count: months), count: options.quantiles.count)
        for k in 0..<months {
            let qs = Quantiles.compute(&v, (k * draws)..<((k + 1) * draws), levels: options.quantiles)
            for (j, x) in qs.enumerated() { q[j][k] = x }
        }
        return MonteCarlo.Band(values: q)
    }
}
