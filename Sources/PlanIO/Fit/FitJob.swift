import Fitting

/// What `rkat fit` was asked to do.
public struct FitRequest: Sendable {
    public enum Spec: Sendable {
        case model(GrowthModel)
        case auto
        /// A formula with its parameters' starting values, in the order given.
        case formula(String, starts: [(name: String, value: Double)])
    }

    public var x: String?
    public var y: String
    public var spec: Spec
    /// `--ceiling`: holds K (or m, or κ with a potential) at this value.
    public var ceiling: Double?
    /// `--potential COL`: fit coverage y/L with κ ≤ 1.
    public var potential: String?
    public var weights: String?
    public var options: FitOptions

    public init(
        x: String?, y: String, spec: Spec, ceiling: Double? = nil, potential: String? = nil,
        weights: String? = nil, options: FitOptions = FitOptions()
    ) {
        self.x = x
        self.y = y
        self.spec = spec
        self.ceiling = ceiling
        self.potential = potential
        self.weights = weights
        self.options = options
    }

    /// Parses `--start b1=500,b2=1e-4`.
    public static func parseStarts(_ text: String) throws(InputError) -> [(name: String, value: Double)] {
        var out: [(name: String, value: Double)] = []
        var column = 1
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let here = SourceLocation(file: "--start", line: 1, column: column)
            guard parts.count == 2 else {
                throw InputError("expected NAME=VALUE, got '\(item)'", at: here)
            }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw InputError("a start value has no name", at: here) }
            guard let v = CSVTable.number(parts[1].trimmingCharacters(in: .whitespaces)) else {
                throw InputError("start value of '\(name)' is not a number: '\(parts[1])'", at: here)
            }
            if out.contains(where: { $0.name == name }) {
                throw InputError("'\(name)' is given twice", at: here)
            }
            out.append((name, v))
            column += item.count + 1
        }
        return out
    }
}

/// The result of `rkat fit`: one model, or the ranked table of `--model auto`.
public enum FitOutcome: Sendable {
    case single(FitResult)
    case choice(ModelChoice)

    /// The fit that answers the request (the chosen model for auto).
    public var result: FitResult? {
        switch self {
        case .single(let r): return r
        case .choice(let c): return c.chosen?.result
        }
    }
}

/// The code path of `rkat fit`, shared by the command line and the tests.
/// Throws `InputError` for bad input and `FitError` when fitting fails.
public enum FitJob {
    public static func run(_ request: FitRequest, table: CSVTable) throws -> FitOutcome {
        var y = try table.numbers(request.y)
        let weights = try request.weights.map { name throws(InputError) -> [Double] in
            let w = try table.numbers(name)
            if let bad = w.firstIndex(where: { !($0 > 0) }) {
                throw InputError("column '\(name)': weights must be positive", at: table.location(table.rows[bad][try table.columnIndex(name)]))
            }
            return w
        }
        switch request.spec {
        case .formula(let source, let starts):
            return .single(try fitFormula(source, starts: starts, request: request, table: table, y: y, weights: weights))
        case .model, .auto:
            guard let xName = request.x else { throw InputError("--x is required with --model") }
            let t = try table.times(xName)
            var ceiling: CeilingSpec = request.ceiling.map { .fixed($0) } ?? .free
            if let p = request.potential {
                let l = try table.numbers(p)
                let j = try table.columnIndex(p)
                for (i, v) in l.enumerated() where !(v > 0) {
                    throw InputError("column '\(p)': the potential must be positive", at: table.location(table.rows[i][j]))
                }
                y = zip(y, l).map { $0 / $1 }
                ceiling = request.ceiling.map { .fixed($0) } ?? .atMost(1)
                if let k = request.ceiling, !(k > 0 && k <= 1) {
                    throw InputError("--ceiling with --potential is the coverage ceiling κ and must lie in (0, 1] (got \(k))")
                }
            }
            if let k = request.ceiling, !(k > 0 && k.isFinite) {
                throw InputError("--ceiling must be a positive number (got \(k))")
            }
            if case .model(let m) = request.spec {
                let fixed = request.ceiling != nil
                let need = GrowthFitting.minimumPoints(m, ceilingFixed: fixed) - 1
                if t.count < need {
                    throw InputError(
                        "too few points for a \(m.rawValue) curve: it has \(need) parameters\(fixed && m.hasCeiling ? " with the ceiling fixed" : "") and needs at least \(need) points, \(need + 1) for standard errors (got \(t.count))",
                        file: table.file)
                }
                return .single(try GrowthFitting.fit(m, times: t, values: y, weights: weights, ceiling: ceiling, options: request.options))
            }
            if t.count < 3 {
                throw InputError("too few points to choose a model: at least 3 are needed (got \(t.count))", file: table.file)
            }
            return .choice(try ModelChoice.rank(times: t, values: y, weights: weights, ceiling: ceiling, options: request.options))
        }
    }

    static func fitFormula(
        _ source: String, starts: [(name: String, value: Double)], request: FitRequest, table: CSVTable,
        y: [Double], weights: [Double]?
    ) throws -> FitResult {
        guard !starts.isEmpty else {
            throw InputError("--formula needs start values for its parameters: --start b1=...,b2=...")
        }
        let formula: Formula
        do {
            formula = try Formula(source, parameters: starts.map(\.name))
        } catch {
            throw InputError(error.message, at: SourceLocation(file: "--formula", line: 1, column: error.column))
        }
        for name in formula.unusedParameterNames {
            throw InputError("'\(name)' has a start value but does not occur in the formula", file: "--start")
        }
        let unused = Set(starts.map(\.name))
        var variables: [[Double]] = []
        for v in formula.variableNames {
            if table.header.contains(v) {
                variables.append(try table.times(v))
            } else if v == "x", let x = request.x {
                variables.append(try table.times(x))
            } else {
                var message = "'\(v)' in the formula is neither a parameter (no --start value) nor a column of \(table.file)"
                if let guess = closestMatch(to: v, in: table.header + Array(unused)) { message += " (did you mean '\(guess)'?)" }
                message += "; give a start value (--start \(v)=...) if it is a parameter"
                throw InputError(message, at: SourceLocation(file: "--formula", line: 1, column: formulaColumn(of: v, in: formula.source)))
            }
        }
        let f = FormulaModel(formula: formula, variables: variables, observations: y.count)
        if y.count < formula.parameterNames.count {
            throw InputError(
                "too few points: the formula has \(formula.parameterNames.count) parameters and needs at least as many points, one more for standard errors (got \(y.count))",
                file: table.file)
        }
        let start = formula.parameterNames.map { name in starts.first { $0.name == name }!.value }
        return try NonlinearRegression.fit(
            f, y: y, weights: weights, starts: [start], model: "formula", formula: source, options: request.options)
    }
}

/// What `rkat regress` was asked to do.
public struct RegressRequest: Sendable {
    public var y: String
    public var x: [String]
    public var degree: Int?
    public var intercept: Bool
    public var weights: String?

    public init(y: String, x: [String], degree: Int? = nil, intercept: Bool = true, weights: String? = nil) {
        self.y = y
        self.x = x
        self.degree = degree
        self.intercept = intercept
        self.weights = weights
    }
}

public enum RegressJob {
    public static func run(_ request: RegressRequest, table: CSVTable) throws -> LinearRegressionResult {
        let y = try table.numbers(request.y)
        guard !request.x.isEmpty else { throw InputError("--x needs at least one column") }
        let weights = try request.weights.map { try table.numbers($0) }
        var columns: [[Double]] = []
        var names: [String] = []
        if let d = request.degree {
            guard request.x.count == 1 else { throw InputError("--degree takes exactly one --x column (got \(request.x.count))") }
            guard (1...20).contains(d) else { throw InputError("--degree must be between 1 and 20 (got \(d))") }
            (columns, names) = LinearRegression.polynomialColumns(try table.times(request.x[0]), degree: d)
        } else {
            for name in request.x {
                columns.append(try table.times(name))
                names.append(name)
            }
        }
        let p = names.count + (request.intercept ? 1 : 0)
        if y.count < p {
            throw InputError("too few rows: \(p) coefficients need at least \(p) rows, one more for standard errors (got \(y.count))", file: table.file)
        }
        if let w = weights, let j = try? table.columnIndex(request.weights!), let bad = w.firstIndex(where: { !($0 > 0) }) {
            throw InputError("column '\(request.weights!)': weights must be positive", at: table.location(table.rows[bad][j]))
        }
        return try LinearRegression.fit(y: y, columns: columns, names: names, intercept: request.intercept, weights: weights)
    }

}

/// The 1-based column where `name` first stands as a whole word in the formula (1 if it does not).
func formulaColumn(of name: String, in source: String) -> Int {
    let text = Array(source.unicodeScalars), word = Array(name.unicodeScalars)
    func isNameChar(_ u: Unicode.Scalar) -> Bool { u == "_" || u.properties.isAlphabetic || ("0"..."9").contains(u) }
    guard !word.isEmpty, word.count <= text.count else { return 1 }
    for i in 0...(text.count - word.count) where Array(text[i..<i + word.count]) == word {
        let before = i == 0 || !isNameChar(text[i - 1]), after = i + word.count == text.count || !isNameChar(text[i + word.count])
        if before && after { return i + 1 }
    }
    return 1
}
