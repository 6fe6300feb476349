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

/// Region totals per draw and month. Cells are added as whole persons (Int64), so the sums are exact
/// and do not depend on the order in which workers finish.
final class RegionAccumulator: @unchecked Sendable {
    private let lock = NSLock()
    private let months: Int
    private let draws: Int
    private var active: [String: [Int64]] = [:]
    private var acquisitions: [String: [Int64]] = [:]
    private var potential: [String: [Int64]] = [:]
    private var yearEnd: [String: [Int64]] = [:]
    private var yearAcquisitions: [String: [Int64]] = [:]

    init(regions: [String], months: Int, draws: Int) {
        self.months = months
        self.draws = draws
        for r in regions {
            active[r] = [Int64](repeating: 0, count: months * draws)
            acquisitions[r] = [Int64](repeating: 0, count: months * draws)
            potential[r] = [Int64](repeating: 0, count: months * draws)
            yearEnd[r] = [Int64](repeating: 0, count: draws)
            yearAcquisitions[r] = [Int64](repeating: 0, count: draws)
        }
    }

    @inline(__always) static func persons(_ v: Double) -> Int64 { v.isFinite ? Int64(v.rounded()) : 0 }

    func add(region: String, active a: [Double]?, acquisitions g: [Double], potential l: [Double]?, yearEnd ye: [Double]?, yearAcquisitions ya: [Double]) {
        lock.lock()
        defer { lock.unlock() }
        if let a { for i in a.indices { active[region]![i] += Self.persons(a[i]) } }
        for i in g.indices { acquisitions[region]![i] += Self.persons(g[i]) }
        if let l { for i in l.indices { potential[region]![i] += Self.persons(l[i]) } }
        if let ye { for i in ye.indices { yearEnd[region]![i] += Self.persons(ye[i]) } }
        for i in ya.indices { yearAcquisitions[region]![i] += Self.persons(ya[i]) }
    }

    func region(_ name: String, months ms: [Month], options: MonteCarlo.Options) -> MonteCarlo.Region {
        var a = active[name]!.map(Double.init), g = acquisitions[name]!.map(Double.init)
        let l = potential[name]!
        var c = (0..<(months * draws)).map { l[$0] > 0 ? Double(active[name]![$0]) / Double(l[$0]) : 0 }
        func band(_ v: inout [Double]) -> MonteCarlo.Band {
            var q = [[Double]](repeating: [Double](repeating: 0, count: months), count: options.quantiles.count)
            for k in 0..<months {
                let qs = Quantiles.compute(&v, (k * draws)..<((k + 1) * draws), levels: options.quantiles)
                for (j, x) in qs.enumerated() { q[j][k] = x }
            }
            return MonteCarlo.Band(values: q)
        }
        return MonteCarlo.Region(
            region: name, months: ms, active: band(&a), acquisitions: band(&g), coverage: band(&c),
            planYearEndActive: yearEnd[name]!.map(Double.init), planYearAcquisitions: yearAcquisitions[name]!.map(Double.init))
    }
}
