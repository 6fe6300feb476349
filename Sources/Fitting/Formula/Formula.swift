// rkat — user formula models for nonlinear least squares, e.g. `b1*(1-exp(-b2*x))`.
// SPDX-License-Identifier: GPL-3.0-or-later

/// A problem in a formula, located by its 1-based character column.
public struct FormulaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based character column in the formula source where the problem is
    /// (`source.count + 1` when the formula ends too early).
    public var column: Int
    /// One line, starting lower-case.
    public var message: String

    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    public var description: String { "column \(column): \(message)" }
}

/// A model formula such as `b1*(1-exp(-b2*x))`, compiled once and then evaluated, with exact
/// derivatives by forward-mode automatic differentiation, as often as a solver needs.
///
/// Language: numbers (`2`, `.5`, `5.`, `1.5E-3`), `+ - * /`, powers `^` or `**` (right-associative,
/// tighter than unary minus: `-x^2` is `-(x^2)`; `x^-2` is allowed), unary `-`/`+`, parentheses,
/// the functions `abs atan cos exp log sin sqrt tan` (`log` is natural), the constant `pi`,
/// names `[A-Za-z_][A-Za-z0-9_]*` and backquoted names for data columns: `` `jumlah peserta` ``.
/// Evaluation follows IEEE arithmetic: `log` of a negative number is NaN, nothing traps.
public struct Formula: Sendable, CustomStringConvertible {
    public let source: String
    /// The fitted parameters, as given to `init`; θ_j is `parameterNames[j]`.
    public let parameterNames: [String]
    /// The other identifiers (data columns), in order of first appearance in `source`.
    public let variableNames: [String]
    let tape: FormulaTape

    /// Parses and compiles `source`. Identifiers listed in `parameters` are fitted parameters; every
    /// other identifier (other than functions and the constant `pi`) is a variable (a data column).
    /// A backquoted name is always a parameter or a variable.
    ///
    /// A listed parameter that does not occur in the formula is not an error (see
    /// `unusedParameterNames`). Errors in the parameter list itself — an empty name, a function name
    /// or `pi`, a name listed twice — are reported at the name's first appearance in the formula,
    /// or at column 1 when it does not appear.
    public init(_ source: String, parameters: [String]) throws(FormulaError) {
        let tokens = try FormulaLexer.tokenize(source)
        if tokens.count == 1 { throw FormulaError(column: 1, message: "the formula is empty") }
        try Self.checkParameterNames(parameters, tokens: tokens)
        var parser = FormulaParser(tokens: tokens, parameters: parameters)
        let tree = try parser.parse()
        self.source = source
        parameterNames = parameters
        variableNames = parser.variableNames
        tape = FormulaTape(compiling: tree, parameterCount: parameters.count)
    }

    public var description: String { source }

    /// Listed parameters that the formula does not use (their Jacobian columns are zero).
    public var unusedParameterNames: [String] {
        var used = [Bool](repeating: false, count: parameterNames.count)
        for instruction in tape.instructions {
            if case .parameter(let j) = instruction.operation { used[j] = true }
        }
        return parameterNames.indices.filter { !used[$0] }.map { parameterNames[$0] }
    }

    /// values[i] = f(θ; variables[·][i]), where variables[k] is the column of `variableNames[k]`
    /// and n = values.count.
    func evaluate(parameters: [Double], variables: [[Double]], values: inout [Double]) {
        checkCounts(parameters, variables, values.count)
        tape.evaluate(parameters: parameters, variables: variables, values: &values)
    }

    /// Same, plus the Jacobian, row-major n × p with p = parameterNames.count:
    /// jacobian[i*p + j] = ∂f/∂θ_j at observation i.
    func evaluate(parameters: [Double], variables: [[Double]], values: inout [Double],
                         jacobian: inout [Double]) {
        checkCounts(parameters, variables, values.count)
        precondition(jacobian.count == values.count * parameterNames.count,
                     "jacobian must hold n × p = \(values.count) × \(parameterNames.count) entries")
        tape.evaluate(parameters: parameters, variables: variables, values: &values, jacobian: &jacobian)
    }

    /// f(θ; x) at one point, `variables[k]` being the value of `variableNames[k]`.
    public func value(parameters: [Double], variables: [Double]) -> Double {
        var values = [0.0]
        evaluate(parameters: parameters, variables: variables.map { [$0] }, values: &values)
        return values[0]
    }

    private func checkCounts(_ parameters: [Double], _ variables: [[Double]], _ n: Int) {
        precondition(parameters.count == parameterNames.count,
                     "expected \(parameterNames.count) parameter values, got \(parameters.count)")
        precondition(variables.count == variableNames.count,
                     "expected \(variableNames.count) variable columns, got \(variables.count)")
        for (k, column) in variables.enumerated() {
            precondition(column.count == n, "column '\(variableNames[k])' has \(column.count) values, expected \(n)")
        }
    }

    private static func checkParameterNames(_ names: [String], tokens: [FormulaToken]) throws(FormulaError) {
        func column(of name: String, unquotedOnly: Bool) -> Int {
            for token in tokens {
                if case .name(name, let quoted) = token.kind, !(unquotedOnly && quoted) { return token.column }
            }
            return 1
        }
        var seen: Set<String> = []
        for name in names {
            if name.isEmpty {
                throw FormulaError(column: 1, message: "a parameter name is empty")
            }
            if FormulaFunction(rawValue: name) != nil {
                throw FormulaError(column: column(of: name, unquotedOnly: true),
                                   message: "'\(name)' cannot be a parameter name: it is a function")
            }
            if name == "pi" {
                throw FormulaError(column: column(of: name, unquotedOnly: true),
                                   message: "'pi' cannot be a parameter name: it is the constant pi")
            }
            if !seen.insert(name).inserted {
                throw FormulaError(column: column(of: name, unquotedOnly: false),
                                   message: "parameter '\(name)' is listed twice")
            }
        }
    }
}
