// rkat — evaluation of a compiled formula tape, with or without the Jacobian.
// SPDX-License-Identifier: GPL-3.0-or-later

extension FormulaTape.Operation {
    /// Result of a unary operation (not `.constant`, `.parameter`, `.variable` or `.binary`).
    @inline(__always)
    func unaryValue(_ u: Double) -> Double {
        switch self {
        case .negate: -u
        case .square: u * u
        case .cube: u * u * u
        case .powerConstant(let c): FormulaBinaryOperator.power.value(u, c)
        case .function(let f): f.value(u)
        case .constant, .parameter, .variable, .binary: preconditionFailure("not a unary operation")
        }
    }

    /// Derivative of a unary operation at u, given w = its value.
    @inline(__always)
    func unaryDerivative(_ u: Double, value w: Double) -> Double {
        switch self {
        case .negate: -1
        case .square: 2 * u
        case .cube: 3 * (u * u)
        case .powerConstant(let c): FormulaTape.powerBaseDerivative(u, c)
        case .function(let f): f.derivative(u, value: w)
        case .constant, .parameter, .variable, .binary: preconditionFailure("not a unary operation")
        }
    }
}

extension FormulaTape {
    /// values[i] = f(θ; variables[·][i]). Allocates one stack per call, nothing per observation.
    func evaluate(parameters θ: [Double], variables: [[Double]], values: inout [Double]) {
        let n = values.count
        var stack = [Double](repeating: 0, count: maxDepth)
        stack.withUnsafeMutableBufferPointer { v in
            values.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    var top = -1
                    for instruction in instructions {
                        switch instruction.operation {
                        case .constant(let c): top += 1; v[top] = c
                        case .parameter(let j): top += 1; v[top] = θ[j]
                        case .variable(let k): top += 1; v[top] = variables[k][i]
                        case .binary(let op):
                            top -= 1
                            v[top] = op.value(v[top], v[top + 1])
                        default:
                            v[top] = instruction.operation.unaryValue(v[top])
                        }
                    }
                    out[i] = v[0]
                }
            }
        }
    }

    /// As above, plus jacobian[i*p + j] = ∂f/∂θ_j at observation i (row-major n × p).
    func evaluate(parameters θ: [Double], variables: [[Double]], values: inout [Double], jacobian: inout [Double]) {
        let n = values.count, p = parameterCount
        var stack = [Double](repeating: 0, count: maxDepth)
        var gradients = [Double](repeating: 0, count: maxDepth * p)
        let resultDepends = resultDependsOnParameters
        stack.withUnsafeMutableBufferPointer { v in
            gradients.withUnsafeMutableBufferPointer { g in
                values.withUnsafeMutableBufferPointer { out in
                    jacobian.withUnsafeMutableBufferPointer { jac in
                        for i in 0..<n {
                            evaluateWithGradient(θ, variables, observation: i, v, g)
                            out[i] = v[0]
                            for j in 0..<p { jac[i * p + j] = resultDepends ? g[j] : 0 }
                        }
                    }
                }
            }
        }
    }

    /// Runs the tape for one observation, leaving the value in v[0] and its gradient in g[0..<p]
    /// (the gradient only when the result depends on the parameters).
    @inline(__always)
    private func evaluateWithGradient(_ θ: [Double], _ variables: [[Double]], observation i: Int,
                                      _ v: UnsafeMutableBufferPointer<Double>,
                                      _ g: UnsafeMutableBufferPointer<Double>) {
        let p = parameterCount
        var top = -1
        for instruction in instructions {
            switch instruction.operation {
            case .constant(let c):
                top += 1
                v[top] = c
            case .parameter(let j):
                top += 1
                v[top] = θ[j]
                let base = top * p
                for k in base..<(base + p) { g[k] = 0 }
                g[base + j] = 1
            case .variable(let k):
                top += 1
                v[top] = variables[k][i]
            case .binary(let op):
                let x = v[top - 1], y = v[top]
                top -= 1
                let w = op.value(x, y)
                v[top] = w
                let dependence = instruction.dependence
                if dependence == .none { continue }
                let dl: Double, dr: Double
                switch op {
                case .add: (dl, dr) = (1, 1)
                case .subtract: (dl, dr) = (1, -1)
                case .multiply: (dl, dr) = (y, x)
                case .divide: (dl, dr) = (1 / y, -w / y)
                case .power:
                    dl = dependence == .right ? 0 : Self.powerBaseDerivative(x, y)
                    dr = dependence == .left ? 0 : Self.powerExponentDerivative(x, value: w)
                }
                Self.chain(g, into: top * p, from: (top + 1) * p, count: p, dl, dr, dependence)
            default:
                let u = v[top]
                let w = instruction.operation.unaryValue(u)
                v[top] = w
                if instruction.dependence == .none { continue }
                let d = instruction.operation.unaryDerivative(u, value: w)
                let base = top * p
                for k in base..<(base + p) { g[k] = Self.times(g[k], d) }
            }
        }
    }

    /// g[a..] = dl·g[a..] + dr·g[b..], using only the operands that carry a gradient.
    @inline(__always)
    private static func chain(_ g: UnsafeMutableBufferPointer<Double>, into a: Int, from b: Int, count p: Int,
                              _ dl: Double, _ dr: Double, _ dependence: Dependence) {
        switch dependence {
        case .none: break
        case .left: for k in 0..<p { g[a + k] = times(g[a + k], dl) }
        case .right: for k in 0..<p { g[a + k] = times(g[b + k], dr) }
        case .both: for k in 0..<p { g[a + k] = times(g[a + k], dl) + times(g[b + k], dr) }
        }
    }

    /// A zero partial derivative stays zero whatever it is multiplied by, so that an infinite
    /// local slope (sqrt at 0, log at 0) does not turn an exact 0 into NaN.
    @inline(__always)
    private static func times(_ partial: Double, _ slope: Double) -> Double {
        partial == 0 ? 0 : partial * slope
    }
}
