/// A user formula as a regression function: variables bound to data columns, exact derivatives
/// by forward-mode automatic differentiation (so it counts as an analytic Jacobian).
public struct FormulaModel: RegressionFunction, Sendable {
    public let formula: Formula
    /// One column per `formula.variableNames`, each with n values.
    public let variables: [[Double]]
    public let observationCount: Int
    /// False forces GSL's finite differences (for comparison and tests).
    public let hasJacobian: Bool

    public init(formula: Formula, variables: [[Double]], observations n: Int, exactDerivatives: Bool = true) {
        precondition(variables.count == formula.variableNames.count && variables.allSatisfy { $0.count == n })
        self.formula = formula
        self.variables = variables
        self.observationCount = n
        self.hasJacobian = exactDerivatives
    }

    public var parameterNames: [String] { formula.parameterNames }

    public func evaluate(
        _ theta: UnsafeBufferPointer<Double>, values: UnsafeMutableBufferPointer<Double>,
        jacobian: UnsafeMutableBufferPointer<Double>?
    ) {
        let th = Array(theta)
        var v = [Double](repeating: 0, count: observationCount)
        if let jacobian {
            var j = [Double](repeating: 0, count: observationCount * th.count)
            formula.evaluate(parameters: th, variables: variables, values: &v, jacobian: &j)
            for k in 0..<j.count { jacobian[k] = j[k] }
        } else {
            formula.evaluate(parameters: th, variables: variables, values: &v)
        }
        for i in 0..<observationCount { values[i] = v[i] }
    }
}
