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
    private let index: [String: Int]
    private var active: [[Int64]]
    private var acquisitions: [[Int64]]
    private var potential: [[Int64]]
    private var yearEnd: [[Int64]]
    private var yearAcquisitions: [[Int64]]

    init(regions: [String], months: Int, draws: Int) {
        self.months = months
        self.draws = draws
        index = Dictionary(uniqueKeysWithValues: regions.enumerated().map { ($1, $0) })
        let grid = [Int64](repeating: 0, count: months * draws), perDraw = [Int64](repeating: 0, count: draws)
        active = Array(repeating: grid, count: regions.count)
        acquisitions = Array(repeating: grid, count: regions.count)
        potential = Array(repeating: grid, count: regions.count)
        yearEnd = Array(repeating: perDraw, count: regions.count)
        yearAcquisitions = Array(repeating: perDraw, count: regions.count)
    }

    @inline(__always) static func persons(_ v: Double) -> Int64 { v.isFinite ? Int64(v.rounded(.toNearestOrEven)) : 0 }

    private static func addRounded(_ target: inout [Int64], _ values: [Double]) {
        target.withUnsafeMutableBufferPointer { t in
            values.withUnsafeBufferPointer { v in
                for i in 0..<v.count { t[i] &+= persons(v[i]) }
            }
        }
    }

    func add(region: String, active a: [Double]?, acquisitions g: [Double], potential l: [Double]?, yearEnd ye: [Double]?, yearAcquisitions ya: [Double]) {
        let r = index[region]!
        lock.lock()
        defer { lock.unlock() }
        if let a { Self.addRounded(&active[r], a) }
        Self.addRounded(&acquisitions[r], g)
        if let l { Self.addRounded(&potential[r], l) }
        if let ye { Self.addRounded(&yearEnd[r], ye) }
        Self.addRounded(&yearAcquisitions[r], ya)
    }

    func region(_ name: String, months ms: [Month], options: MonteCarlo.Options) -> MonteCarlo.Region {
        let r = index[name]!
        var a = active[r].map(Double.init), g = acquisitions[r].map(Double.init)
        let l = potential[r], act = active[r]
        var c = (0..<(months * draws)).map { l[$0] > 0 ? Double(act[$0]) / Double(l[$0]) : 0 }
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
            planYearEndActive: yearEnd[r].map(Double.init), planYearAcquisitions: yearAcquisitions[r].map(Double.init))
    }
}
