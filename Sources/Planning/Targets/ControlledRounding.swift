/// Whole numbers for a table of real figures whose row and column totals are whole: every cell
/// rounded down or up (never further), every row and every column summing exactly to its total
/// (controlled rounding, Cox 1987). Branch × segment and branch × month tables of targets use it, so
/// that a Kanwil's figures, its branches' and their months agree on every margin at once.
public enum ControlledRounding {
    /// - Parameters:
    ///   - x: rows × columns, non-negative.
    ///   - rows: each row's whole total (Σ = Σ columns).
    ///   - columns: each column's whole total.
    /// - Returns: whole numbers with those totals; each cell ⌊x⌋ or ⌊x⌋ + 1 (⌊x⌋ + 1 only where the
    ///   totals leave no other way, when x is whole).
    public static func round(_ x: [[Double]], rows: [Int], columns: [Int]) -> [[Int]] {
        let r = x.count, c = columns.count
        guard r > 0, c > 0 else { return x.map { $0.map { _ in 0 } } }
        var n = x.map { $0.map { Whole.clamped(max($0, 0), .down) } }
        var rowNeed = (0..<r).map { rows[$0] - n[$0].reduce(0, +) }
        var colNeed = (0..<c).map { j in columns[j] - (0..<r).reduce(0) { $0 + n[$1][j] } }
        // Each column gives its missing units to the rows that still need the most (Gale–Ryser's
        // greedy order, which finds a 0/1 completion whenever one exists), larger fractions first
        // among equals; a cell takes at most one unit.
        for j in 0..<c {
            guard colNeed[j] > 0 else { continue }
            let order = (0..<r).filter { rowNeed[$0] > 0 }.sorted { a, b in
                if rowNeed[a] != rowNeed[b] { return rowNeed[a] > rowNeed[b] }
                let fa = x[a][j] - Double(n[a][j]), fb = x[b][j] - Double(n[b][j])
                return fa != fb ? fa > fb : a < b
            }
            for i in order.prefix(colNeed[j]) {
                n[i][j] += 1
                rowNeed[i] -= 1
            }
            colNeed[j] = 0
        }
        return n
    }

    /// Scales a non-negative table to the given row and column totals by iterative proportional
    /// fitting (raking: rows, then columns, until both agree within 1e-9 of a unit), so that a branch's
    /// own segment mix can meet the Kanwil's segment targets before rounding. A row whose seed is all
    /// zero takes `fallback`'s row. Totals must agree (Σ rows = Σ columns).
    static func rake(_ seed: [[Double]], rows: [Int], columns: [Int], fallback: [[Double]]) -> [[Double]] {
        var x = seed.indices.map { i in seed[i].reduce(0, +) > 0 ? seed[i] : fallback[i] }
        let r = x.count, c = columns.count
        guard r > 0, c > 0 else { return x }
        for _ in 0..<500 {
            for i in 0..<r {
                let sum = x[i].reduce(0, +)
                if sum > 0 { x[i] = x[i].map { $0 * Double(rows[i]) / sum } }
            }
            var worst = 0.0
            for j in 0..<c {
                let sum = (0..<r).reduce(0) { $0 + x[$1][j] }
                worst = max(worst, abs(sum - Double(columns[j])))
                if sum > 0 { for i in 0..<r { x[i][j] *= Double(columns[j]) / sum } }
            }
            if worst < 1e-9 { break }
        }
        return x
    }
}

