// rkat — tests of the formula language (parsing, values, exact derivatives, errors).
// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
@testable import Fitting

// MARK: - Helpers

/// Relative closeness; NaN matches NaN and infinities must match exactly.
private func close(_ a: Double, _ b: Double, relative tolerance: Double) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a.isInfinite || b.isInfinite { return a == b }
    return abs(a - b) <= tolerance * max(abs(a), abs(b)) || a == b
}

/// The data columns of `formula`, looked up by name in `table`.
private func columns(_ formula: Formula, _ table: [String: [Double]]) -> [[Double]] {
    formula.variableNames.map { table[$0]! }
}

private func evaluateWithJacobian(_ f: Formula, _ θ: [Double], _ vars: [[Double]],
                                  count: Int? = nil) -> (values: [Double], jacobian: [Double]) {
    let n = count ?? vars.first?.count ?? 1
    var values = [Double](repeating: .nan, count: n)
    var jacobian = [Double](repeating: .nan, count: n * f.parameterNames.count)
    f.evaluate(parameters: θ, variables: vars, values: &values, jacobian: &jacobian)
    return (values, jacobian)
}

// MARK: - Value cases

private let b1 = 1.7, b2 = -0.6
private let xs: [Double] = [-2.5, -1, -0.3, 0, 0.5, 1, 2, 3.7]
private let ys: [Double] = [4, 0.25, 7, 1, 1.5, 9, 2, 0.1]

struct FormulaValueCase: Sendable, CustomTestStringConvertible {
    let formula: String
    let expected: @Sendable (_ x: Double, _ y: Double) -> Double
    init(_ formula: String, _ expected: @escaping @Sendable (Double, Double) -> Double) {
        self.formula = formula
        self.expected = expected
    }
    var testDescription: String { String(reflecting: formula) }
}

private let valueCases: [FormulaValueCase] = [
    .init("1 + 2*x") { x, _ in 1 + 2 * x },
    .init("1 + 2*x - 3/x") { x, _ in 1 + 2 * x - 3 / x },
    .init("x - 3 - 2") { x, _ in (x - 3) - 2 },
    .init("x / 2 / 4") { x, _ in (x / 2) / 4 },
    .init("b1 - b2 - x") { x, _ in (b1 - b2) - x },
    .init("1/b1*x") { x, _ in (1 / b1) * x },
    .init("b1 + b2*x^2") { x, _ in b1 + b2 * (x * x) },
    .init("-x^2") { x, _ in -(x * x) },
    .init("-2^2") { _, _ in -4 },
    .init("(-2)^2") { _, _ in 4 },
    .init("2^3^2") { _, _ in 512 },
    .init("2**3**2") { _, _ in 512 },
    .init("2^-1^2") { _, _ in 0.5 },
    .init("x^-2") { x, _ in pow(x, -2) },
    .init("x**-2") { x, _ in pow(x, -2) },
    .init("2**-1 + x") { x, _ in 0.5 + x },
    .init("x**3") { x, _ in x * x * x },
    .init("x^2*b1") { x, _ in (x * x) * b1 },
    .init("b1^x") { x, _ in pow(b1, x) },
    .init("x^b2") { x, _ in pow(x, b2) },
    .init("-(x+b1)*b2") { x, _ in -(x + b1) * b2 },
    .init("- -x") { x, _ in x },
    .init("+x - +b1") { x, _ in x - b1 },
    .init("x*-b2") { x, _ in x * -b2 },
    .init(".5*x") { x, _ in 0.5 * x },
    .init("5.*x") { x, _ in 5 * x },
    .init("1.5E-3*x") { x, _ in 0.0015 * x },
    .init("1e10 + x") { x, _ in 1e10 + x },
    .init("2.5e+3*x") { x, _ in 2500 * x },
    .init("x/0") { x, _ in x / 0 },
    .init("exp(x)") { x, _ in exp(x) },
    .init("log(x)") { x, _ in log(x) },
    .init("sqrt(x)") { x, _ in sqrt(x) },
    .init("sin(x) + cos(x)") { x, _ in sin(x) + cos(x) },
    .init("tan(x)") { x, _ in tan(x) },
    .init("atan(x)") { x, _ in atan(x) },
    .init("abs(x)") { x, _ in abs(x) },
    .init("exp(-x^2/2)") { x, _ in exp(-(x * x) / 2) },
    .init("log(abs(b1*x))") { x, _ in log(abs(b1 * x)) },
    .init("pi") { _, _ in Double.pi },
    .init("2*pi*x") { x, _ in 2 * Double.pi * x },
    .init("sin(pi/2) + x") { x, _ in sin(Double.pi / 2) + x },
    .init("`jumlah peserta`*b1 + x") { x, y in y * b1 + x },
    .init(" \t b1 *\n( x+1 ) ") { x, _ in b1 * (x + 1) },
    .init("((x))") { x, _ in x },
]

// MARK: - NIST-style models with hand-written derivatives

struct FormulaModelCase: Sendable, CustomTestStringConvertible {
    let formula: String
    let parameters: [String]
    let θ: [Double]
    let variables: [String]
    let data: [[Double]]
    /// f and ∇θ f written by hand, given θ and one observation (in `variables` order).
    let analytic: @Sendable (_ θ: [Double], _ v: [Double]) -> (Double, [Double])
    var testDescription: String { formula }
}

private let models: [FormulaModelCase] = [
    FormulaModelCase(formula: "b1*(1-exp(-b2*x))", parameters: ["b1", "b2"], θ: [238.94212918, 0.00055015643181],
              variables: ["x"], data: [[77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8, 378.4, 434.8, 760.0]]) { t, v in
        let e = exp(-t[1] * v[0])
        return (t[0] * (1 - e), [1 - e, t[0] * v[0] * e])
    },
    FormulaModelCase(formula: "exp(-b1*x)/(b2+b3*x)", parameters: ["b1", "b2", "b3"],
              θ: [0.19027818370, 0.0061314004477, 0.010530908399],
              variables: ["x"], data: [[0.5, 0.625, 0.75, 1.5, 2.25, 3, 4.5, 6]]) { t, v in
        let x = v[0], e = exp(-t[0] * x), d = t[1] + t[2] * x
        return (e / d, [-x * e / d, -e / (d * d), -x * e / (d * d)])
    },
    FormulaModelCase(formula: "b1/((1+exp(b2-b3*x))**(1/b4))", parameters: ["b1", "b2", "b3", "b4"],
              θ: [699.64, 5.2771, 0.75962, 1.2792], variables: ["x"], data: [[1, 2, 3, 5, 8, 11, 15]]) { t, v in
        let x = v[0], e = exp(t[1] - t[2] * x), s = 1 + e, a = 1 / t[3]
        let f = t[0] / pow(s, a)
        return (f, [1 / pow(s, a), -f * a * e / s, f * a * e * x / s, f * log(s) / (t[3] * t[3])])
    },
    FormulaModelCase(formula: "(b1+b2*x+b3*x**2+b4*x**3)/(1+b5*x+b6*x**2+b7*x**3)",
              parameters: ["b1", "b2", "b3", "b4", "b5", "b6", "b7"],
              θ: [1288.1396800, 1491.0792535, 583.23836877, 75.416644291, 0.96629502864, 0.39797285797, 0.049727297349],
              variables: ["x"], data: [[-3.067, -2.5, -1.8, -0.9, -0.1, 0.7, 1.4, 2.2]]) { t, v in
        let x = v[0], x2 = x * x, x3 = x * x * x
        let num = t[0] + t[1] * x + t[2] * x2 + t[3] * x3
        let den = 1 + t[4] * x + t[5] * x2 + t[6] * x3
        let f = num / den
        return (f, [1 / den, x / den, x2 / den, x3 / den, -f * x / den, -f * x2 / den, -f * x3 / den])
    },
    FormulaModelCase(formula: "b1 - b2*x1*exp(-b3*x2)", parameters: ["b1", "b2", "b3"],
              θ: [2.5906836021, 5.6177717026e-9, -5.7701013174e-2], variables: ["x1", "x2"],
              data: [[1, 2, 4, 8, 16, 32, 48, 64], [180, 225, 250, 275, 180, 225, 250, 275]]) { t, v in
        let e = exp(-t[2] * v[1])
        return (t[0] - t[1] * v[0] * e, [1, -v[0] * e, t[1] * v[0] * v[1] * e])
    },
    FormulaModelCase(formula: "b1*x**b2", parameters: ["b1", "b2"], θ: [2.0, 0.75], variables: ["x"],
              data: [[0.5, 1, 2, 3.5, 10, 100]]) { t, v in
        let p = pow(v[0], t[1])
        return (t[0] * p, [p, t[0] * p * log(v[0])])
    },
    FormulaModelCase(formula: "(b1/b2)*exp(-0.5*((x-b3)/b2)**2)", parameters: ["b1", "b2", "b3"], θ: [100, 15, 110],
              variables: ["x"], data: [[80, 90, 100, 105, 110, 118, 132, 140]]) { t, v in
        let z = (v[0] - t[2]) / t[1], g = exp(-0.5 * z * z), f = (t[0] / t[1]) * g
        return (f, [g / t[1], f * (z * z - 1) / t[1], f * z / t[1]])
    },
]

/// Central differences of the values-only evaluation, relative step 1e-5.
private func checkAgainstFiniteDifferences(_ f: Formula, _ θ: [Double], _ vars: [[Double]],
                                           sourceLocation: SourceLocation = #_sourceLocation) {
    let n = vars.first?.count ?? 1, p = θ.count
    let (_, jacobian) = evaluateWithJacobian(f, θ, vars)
    for j in 0..<p {
        let h = 1e-5 * (θ[j] == 0 ? 1 : abs(θ[j]))
        var up = θ, down = θ
        up[j] += h
        down[j] -= h
        var fUp = [Double](repeating: 0, count: n), fDown = fUp
        f.evaluate(parameters: up, variables: vars, values: &fUp)
        f.evaluate(parameters: down, variables: vars, values: &fDown)
        for i in 0..<n {
            let fd = (fUp[i] - fDown[i]) / (up[j] - down[j])
            #expect(close(jacobian[i * p + j], fd, relative: 1e-6),
                    "\(f) ∂/∂\(f.parameterNames[j]) at \(i): \(jacobian[i * p + j]) vs \(fd)", sourceLocation: sourceLocation)
        }
    }
}

// MARK: - Error cases

struct FormulaErrorCase: Sendable, CustomTestStringConvertible {
    let formula: String
    var parameters: [String] = ["b1", "b2"]
    let column: Int
    let message: String  // the whole message, or a prefix ending in "…"
    var testDescription: String {
        let shown = formula.count > 40 ? formula.prefix(40) + "…" : formula
        return "\(String(reflecting: String(shown))) \(parameters)"
    }
}

private let errorCases: [FormulaErrorCase] = [
    .init(formula: "", column: 1, message: "the formula is empty"),
    .init(formula: "   ", column: 1, message: "the formula is empty"),
    .init(formula: "b1 $ x", column: 4, message: "unexpected character '$'"),
    .init(formula: "é*b1", column: 1, message: "unexpected character 'é' (write names…"),
    .init(formula: ".", column: 1, message: "unexpected character '.'"),
    .init(formula: "1.2.3", column: 1, message: "malformed number '1.2.3'"),
    .init(formula: "x + 1e", column: 5, message: "malformed number '1e'"),
    .init(formula: "1e+*x", column: 1, message: "malformed number '1e+'"),
    .init(formula: "b1*2x", column: 4, message: "malformed number '2x'"),
    .init(formula: "1..5", column: 1, message: "malformed number '1..5'"),
    .init(formula: "b1 *", column: 5, message: "expected a number, name or '(' but the formula ended"),
    .init(formula: "-", column: 2, message: "expected a number, name or '(' but the formula ended"),
    .init(formula: "2 ^", column: 4, message: "expected a number, name or '(' but the formula ended"),
    .init(formula: "b1 * * x", column: 6, message: "expected a number, name or '(' but found '*'"),
    .init(formula: "b1 * )", column: 6, message: "expected a number, name or '(' but found ')'"),
    .init(formula: "()", column: 2, message: "expected a number, name or '(' but found ')'"),
    .init(formula: "(b1 + x", column: 1, message: "'(' is never closed"),
    .init(formula: "b1*(x+(2)", column: 4, message: "'(' is never closed"),
    .init(formula: "exp(x", column: 4, message: "'(' is never closed"),
    .init(formula: "b1 + x)", column: 7, message: "')' has no matching '('"),
    .init(formula: ")", column: 1, message: "expected a number, name or '(' but found ')'"),
    .init(formula: "(b1 x)", column: 5, message: "expected an operator or ')' but found 'x'"),
    .init(formula: "b1 x", column: 4, message: "expected an operator but found 'x'"),
    .init(formula: "x y z", column: 3, message: "expected an operator but found 'y'"),
    .init(formula: "`b1` (x)", column: 6, message: "expected an operator but found '('"),
    .init(formula: "b1 (x)", column: 1, message: "unknown function 'b1' (known: abs, atan, cos, exp, log, sin, sqrt, tan)"),
    .init(formula: "foo(x)", column: 1, message: "unknown function 'foo' (known: abs, atan, cos, exp, log, sin, sqrt, tan)"),
    .init(formula: "b1 + Exp(x)", column: 6, message: "unknown function 'Exp' (known: abs, atan, cos, exp, log, sin, sqrt, tan)"),
    .init(formula: "exp + 1", column: 1, message: "function 'exp' must be followed by '(', e.g. exp(x)"),
    .init(formula: "2*sqrt", column: 3, message: "function 'sqrt' must be followed by '(', e.g. sqrt(x)"),
    .init(formula: "`jumlah", column: 1, message: "backquoted name is not closed with '`'"),
    .init(formula: "x + ``", column: 5, message: "backquoted name is empty"),
    .init(formula: "exp(x)*b1", parameters: ["b1", "exp"], column: 1, message: "'exp' cannot be a parameter name: it is a function"),
    .init(formula: "b1*x + pi", parameters: ["b1", "pi"], column: 8, message: "'pi' cannot be a parameter name: it is the constant pi"),
    .init(formula: "b1*x", parameters: ["sin"], column: 1, message: "'sin' cannot be a parameter name: it is a function"),
    .init(formula: "x + b1*b2", parameters: ["b1", "b2", "b1"], column: 5, message: "parameter 'b1' is listed twice"),
    .init(formula: "x", parameters: ["b1", "b1"], column: 1, message: "parameter 'b1' is listed twice"),
    .init(formula: "x", parameters: [""], column: 1, message: "a parameter name is empty"),
    .init(formula: String(repeating: "(", count: 300) + "x" + String(repeating: ")", count: 300),
          column: 201, message: "the formula is nested too deeply (more than 200 levels)"),
    .init(formula: Array(repeating: "x", count: 3000).joined(separator: "+"), column: 2000,
          message: "the formula is too long (more than 2000 operations and operands)"),
]

// MARK: - Tests

@Suite("Formula language")
struct FormulaTests {
    @Test("values match hand-written Swift", arguments: valueCases)
    func values(_ c: FormulaValueCase) throws {
        let f = try Formula(c.formula, parameters: ["b1", "b2"])
        let vars = columns(f, ["x": xs, "jumlah peserta": ys])
        var values = [Double](repeating: .nan, count: xs.count)
        f.evaluate(parameters: [b1, b2], variables: vars, values: &values)
        let (withJacobian, _) = evaluateWithJacobian(f, [b1, b2], vars, count: xs.count)
        for i in xs.indices {
            let expected = c.expected(xs[i], ys[i])
            #expect(close(values[i], expected, relative: 1e-15), "\(c.formula) at x=\(xs[i]): \(values[i]) vs \(expected)")
            #expect(close(withJacobian[i], expected, relative: 1e-15), "\(c.formula) with jacobian at x=\(xs[i])")
        }
    }

    @Test func integerPowersOfNegativeNumbersAreExact() throws {
        let f = try Formula("x^3 + b1*x^2 + (b1*x)**2", parameters: ["b1"])
        let (v, j) = evaluateWithJacobian(f, [1.5], [[-2]])
        let expectedValue: Double = -8 + 1.5 * 4 + 9      // x³ + b1·x² + (b1·x)²
        let expectedSlope: Double = 4 + 2 * (1.5 * -2) * -2  // x² + 2(b1·x)·x
        #expect(v == [expectedValue])
        #expect(j == [expectedSlope])
    }

    @Test("Jacobian matches hand-written derivatives (1e-13)", arguments: models)
    func analyticGradients(_ m: FormulaModelCase) throws {
        let f = try Formula(m.formula, parameters: m.parameters)
        #expect(f.parameterNames == m.parameters)
        #expect(f.variableNames == m.variables)
        let (values, jacobian) = evaluateWithJacobian(f, m.θ, m.data)
        let p = m.parameters.count
        for i in m.data[0].indices {
            let (value, gradient) = m.analytic(m.θ, m.data.map { $0[i] })
            #expect(close(values[i], value, relative: 1e-13), "value at observation \(i)")
            for j in 0..<p {
                #expect(close(jacobian[i * p + j], gradient[j], relative: 1e-13),
                        "∂f/∂\(m.parameters[j]) at observation \(i): \(jacobian[i * p + j]) vs \(gradient[j])")
            }
        }
    }

    @Test("Jacobian matches central differences (1e-6)", arguments: models)
    func finiteDifferenceGradients(_ m: FormulaModelCase) throws {
        checkAgainstFiniteDifferences(try Formula(m.formula, parameters: m.parameters), m.θ, m.data)
    }

    @Test("every derivative rule matches central differences", arguments: [
        "b1 + x*b2", "b1 - b2*x", "-b1*x - b2", "b1*b2*x", "b1/x + x/b2", "b1/b2", "x/(b1*b2)",
        "b1^2*b2^3", "b1^-1.5 + b2^0.5", "b1^b2", "b1^x", "x^b1", "(b1*x)^b2", "2^b1", "b1**(x/2)",
        "exp(b1*x)", "log(b1*x) + log(b2)", "sqrt(b1*x + b2)", "sin(b1*x)", "cos(b2*x)", "tan(b1*x/3)",
        "atan(b1*x - b2)", "abs(b1 - x)", "abs(b2*x)", "pi*b1 + sin(pi*b2)",
    ])
    func derivativeRules(_ source: String) throws {
        let f = try Formula(source, parameters: ["b1", "b2"])
        let x: [Double] = [0.3, 0.8, 1.6, 2.9, 4.2]
        checkAgainstFiniteDifferences(f, [0.7, 1.3], f.variableNames.isEmpty ? [] : [x])
    }

    @Test func parameterFreeSubexpressionsDoNotPoisonTheJacobian() throws {
        // sqrt'(0) and log'(0) are infinite, but these terms do not depend on the parameters.
        let f = try Formula("b1 + sqrt(x) + b2*x^0.5 + sqrt(b1*x)", parameters: ["b1", "b2"])
        let (v, j) = evaluateWithJacobian(f, [2, 3], [[0]])
        #expect(v == [2])
        #expect(j == [1, 0])
        let g = try Formula("(b1*x)^b2", parameters: ["b1", "b2"])
        #expect(evaluateWithJacobian(g, [2, 3], [[0]]).jacobian == [0, 0])
    }

    @Test func ieeeSemanticsNoTraps() throws {
        let f = try Formula("log(b1*x) + sqrt(b2*x) + 1/x", parameters: ["b1", "b2"])
        let (v, j) = evaluateWithJacobian(f, [1, 1], [[-1, 0]])
        #expect(v[0].isNaN)              // log and sqrt of a negative number
        #expect(j[0] == 1 && j[1].isNaN) // d/db1 log(b1·x) = 1/b1 is finite; sqrt′ of NaN is NaN
        #expect(v[1].isNaN)              // log(0) + sqrt(0) + 1/0 = −∞ + ∞
        #expect(j[2] == 0 && j[3] == 0)  // at x = 0, b1·x and b2·x do not vary: a zero partial stays zero
    }

    @Test func unusedParametersAndFormulasWithoutParameters() throws {
        let f = try Formula("b1*x", parameters: ["b1", "b2", "b3"])
        #expect(f.unusedParameterNames == ["b2", "b3"])
        #expect(evaluateWithJacobian(f, [2, 5, 7], [[3]]).jacobian == [3, 0, 0])
        let g = try Formula("x^2 + 1", parameters: [])
        let (v, j) = evaluateWithJacobian(g, [], [[1, 2]])
        #expect(v == [2, 5] && j.isEmpty)
        let h = try Formula("2*pi", parameters: ["b1"])
        #expect(h.variableNames.isEmpty)
        #expect(evaluateWithJacobian(h, [1], []) == ([2 * Double.pi], [0]))
        #expect(h.value(parameters: [1], variables: []) == 2 * Double.pi)
    }

    @Test func variableNamesInOrderOfFirstAppearance() throws {
        let f = try Formula("b1*y + x*y + b2*z + exp(x)", parameters: ["b1", "b2"])
        #expect(f.parameterNames == ["b1", "b2"])
        #expect(f.variableNames == ["y", "x", "z"])
        #expect(f.description == "b1*y + x*y + b2*z + exp(x)")
        #expect(f.source == f.description)

        let q = try Formula("`b1`*x + `exp`*`jumlah peserta` - pi", parameters: ["b1"])
        #expect(q.variableNames == ["x", "exp", "jumlah peserta"])
        #expect(q.unusedParameterNames.isEmpty)
        #expect(q.value(parameters: [2], variables: [3, 4, 5]) == 2 * 3 + 4 * 5 - Double.pi)

        let c = try Formula("B1*x + pi*r^2", parameters: ["b1"])  // names are case-sensitive
        #expect(c.variableNames == ["B1", "x", "r"])
        #expect(c.unusedParameterNames == ["b1"])
    }

    @Test func formulaIsSendable() throws {
        let f: any Sendable = try Formula("b1", parameters: ["b1"])
        #expect(f is Formula)
    }

    @Test func constantsAreFoldedAndPowersSpecialised() throws {
        let folded = try Formula("b1*(2^3^2 - 512 + 1)*x", parameters: ["b1"])
        #expect(folded.tape.instructions.map(\.operation) == [.parameter(0), .constant(1), .binary(.multiply), .variable(0), .binary(.multiply)])
        #expect(try Formula("2*pi*x", parameters: []).tape.instructions.map(\.operation) == [.constant(2 * .pi), .variable(0), .binary(.multiply)])
        #expect(try Formula("x^2", parameters: []).tape.instructions.last?.operation == .square)
        #expect(try Formula("x**3", parameters: []).tape.instructions.last?.operation == .cube)
        #expect(try Formula("x^-(1/2)", parameters: []).tape.instructions.last?.operation == .powerConstant(-0.5))
        let general = try Formula("x^b1", parameters: ["b1"]).tape.instructions.last
        #expect(general == .init(operation: .binary(.power), dependence: .right))
        #expect(try Formula("b1*(x+(b1*(x+1)))", parameters: ["b1"]).tape.maxDepth == 5)
    }

    @Test("errors carry the column of the problem", arguments: errorCases)
    func errors(_ c: FormulaErrorCase) {
        #expect {
            _ = try Formula(c.formula, parameters: c.parameters)
        } throws: { error in
            guard let error = error as? FormulaError else { return false }
            let matches = c.message.hasSuffix("…")
                ? error.message.hasPrefix(String(c.message.dropLast())) : error.message == c.message
            return error.column == c.column && matches && !error.message.contains("\n")
        }
    }

    @Test func errorDescription() {
        #expect(throws: FormulaError(column: 4, message: "unexpected character '$'")) {
            try Formula("b1 $ x", parameters: ["b1"])
        }
        #expect(FormulaError(column: 4, message: "unexpected character '$'").description == "column 4: unexpected character '$'")
    }
}

/// The seventh campaign's first survivors in Fitting: a parameter or variable named with an
/// underscore (as planners name columns, total_peserta) is a name; a share in a message has one
/// decimal at most (docs/messages.md): 0.1234 → 12,3% (id), 12.3% (en), 0.125 → 12,5%.
@Suite struct NamesAndPercentTests {
    @Test func underscoresAreNames() throws {
        let f = try Formula("total_peserta*x + b_0", parameters: ["total_peserta", "b_0"])
        let (v, _) = evaluateWithJacobian(f, [2, 3], [[5]])
        #expect(v == [13])
    }

    @Test func aShareHasOneDecimalAtMost() {
        let id = Phrase.Language(indonesian: true), en = Phrase.Language(indonesian: false)
        #expect(id.percent(0.1234) == "12,3%" && en.percent(0.1234) == "12.3%")
        #expect(id.percent(0.125) == "12,5%" && en.percent(0.5) == "50%")
    }
}
