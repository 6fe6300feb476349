// rkat — a formula compiled to a flat postfix tape, evaluated with forward-mode derivatives.
// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Postfix program for one formula. Each instruction pops its operands from a value stack and
/// pushes its result; in gradient mode a parallel stack holds, per value, its p partial
/// derivatives with respect to the parameters. Which operands depend on the parameters is known at
/// compile time, so gradients of parameter-free values (constants, data, `sqrt(x)`) are never
/// touched or read: `b1 + sqrt(x)` has a clean derivative even where `sqrt'(x)` is infinite.
struct FormulaTape: Sendable {
    enum Operation: Sendable, Equatable {
        case constant(Double), parameter(Int), variable(Int)
        case binary(FormulaBinaryOperator)
        case negate
        /// `u^2`, `u^3` and `u^c`: powers whose exponent is a compile-time constant.
        case square, cube, powerConstant(Double)
        case function(FormulaFunction)
    }

    /// Which operands carry a gradient; unary operations use `.none` or `.left`.
    enum Dependence: Sendable, Equatable { case none, left, right, both }

    struct Instruction: Sendable, Equatable {
        var operation: Operation
        var dependence: Dependence = .none
    }

    let instructions: [Instruction]
    let parameterCount: Int
    /// Largest number of values on the stack at any point.
    let maxDepth: Int
    let resultDependsOnParameters: Bool

    init(compiling tree: FormulaExpression, parameterCount: Int) {
        var compiler = Compiler()
        let info = compiler.emit(tree)
        instructions = compiler.code
        self.parameterCount = parameterCount
        resultDependsOnParameters = info.dependsOnParameters
        var depth = 0, deepest = 0
        for instruction in instructions {
            switch instruction.operation {
            case .constant, .parameter, .variable: depth += 1
            case .binary: depth -= 1
            case .negate, .square, .cube, .powerConstant, .function: break
            }
            deepest = max(deepest, depth)
        }
        precondition(depth == 1, "formula tape must leave exactly one value")
        maxDepth = deepest
    }

    /// Post-order emission with constant folding: an operation whose operands are all constants
    /// becomes a constant, and a constant exponent turns `^` into a unary power.
    private struct Compiler {
        var code: [Instruction] = []

        struct Info {
            var constant: Double?
            var dependsOnParameters: Bool
        }

        private mutating func fold(replacingLast count: Int, with value: Double) -> Info {
            code.removeLast(count)
            code.append(Instruction(operation: .constant(value)))
            return Info(constant: value, dependsOnParameters: false)
        }

        mutating func emit(_ e: FormulaExpression) -> Info {
            switch e {
            case .number(let v):
                code.append(Instruction(operation: .constant(v)))
                return Info(constant: v, dependsOnParameters: false)
            case .parameter(let j):
                code.append(Instruction(operation: .parameter(j)))
                return Info(constant: nil, dependsOnParameters: true)
            case .variable(let k):
                code.append(Instruction(operation: .variable(k)))
                return Info(constant: nil, dependsOnParameters: false)
            case .negate(let u):
                let a = emit(u)
                if let c = a.constant { return fold(replacingLast: 1, with: -c) }
                code.append(Instruction(operation: .negate, dependence: a.dependsOnParameters ? .left : .none))
                return Info(constant: nil, dependsOnParameters: a.dependsOnParameters)
            case .call(let f, let u):
                let a = emit(u)
                if let c = a.constant { return fold(replacingLast: 1, with: f.value(c)) }
                code.append(Instruction(operation: .function(f), dependence: a.dependsOnParameters ? .left : .none))
                return Info(constant: nil, dependsOnParameters: a.dependsOnParameters)
            case .binary(let op, let l, let r):
                let a = emit(l), b = emit(r)
                if let x = a.constant, let y = b.constant { return fold(replacingLast: 2, with: op.value(x, y)) }
                let depends = a.dependsOnParameters || b.dependsOnParameters
                if op == .power, let c = b.constant {
                    code.removeLast()
                    let operation: Operation = c == 2 ? .square : c == 3 ? .cube : .powerConstant(c)
                    code.append(Instruction(operation: operation, dependence: depends ? .left : .none))
                    return Info(constant: nil, dependsOnParameters: depends)
                }
                let dependence: Dependence
                switch (a.dependsOnParameters, b.dependsOnParameters) {
                case (false, false): dependence = .none
                case (true, false): dependence = .left
                case (false, true): dependence = .right
                case (true, true): dependence = .both
                }
                code.append(Instruction(operation: .binary(op), dependence: dependence))
                return Info(constant: nil, dependsOnParameters: depends)
            }
        }
    }
}

// MARK: - Scalar semantics shared by constant folding and evaluation (IEEE: no traps, NaN propagates)

extension FormulaFunction {
    @inline(__always)
    func value(_ u: Double) -> Double {
        switch self {
        case .abs: Swift.abs(u)
        case .atan: Foundation.atan(u)
        case .cos: Foundation.cos(u)
        case .exp: Foundation.exp(u)
        case .log: Foundation.log(u)
        case .sin: Foundation.sin(u)
        case .sqrt: u.squareRoot()
        case .tan: Foundation.tan(u)
        }
    }

    /// f′(u), given w = f(u).
    @inline(__always)
    func derivative(_ u: Double, value w: Double) -> Double {
        switch self {
        case .abs: u > 0 ? 1 : u < 0 ? -1 : u.isNaN ? .nan : 0
        case .atan: 1 / (1 + u * u)
        case .cos: -Foundation.sin(u)
        case .exp: w
        case .log: 1 / u
        case .sin: Foundation.cos(u)
        case .sqrt: 0.5 / w
        case .tan: { let c = Foundation.cos(u); return 1 / (c * c) }()
        }
    }
}

extension FormulaBinaryOperator {
    func value(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .add: x + y
        case .subtract: x - y
        case .multiply: x * y
        case .divide: x / y
        case .power: Foundation.pow(x, y)
        }
    }
}

extension FormulaTape {
    /// ∂(x^y)/∂x = y·x^(y−1), taken as 0 when y = 0 (x^0 is constant even at x = 0).
    @inline(__always)
    static func powerBaseDerivative(_ x: Double, _ y: Double) -> Double {
        y == 0 ? 0 : y * Foundation.pow(x, y - 1)
    }

    /// ∂(x^y)/∂y = x^y·log x, taken as 0 when x^y = 0 (so 0^y, y > 0, has slope 0, not NaN).
    @inline(__always)
    static func powerExponentDerivative(_ x: Double, value w: Double) -> Double {
        w == 0 ? 0 : w * Foundation.log(x)
    }
}
