// rkat — syntax tree and recursive-descent parser of the formula language.
// SPDX-License-Identifier: GPL-3.0-or-later

/// The one-argument functions of the formula language (`log` is the natural logarithm).
enum FormulaFunction: String, CaseIterable, Sendable {
    case abs, atan, cos, exp, log, sin, sqrt, tan

    /// "abs, atan, cos, exp, log, sin, sqrt, tan", for error messages.
    static let knownList = allCases.map(\.rawValue).sorted().joined(separator: ", ")
}

enum FormulaBinaryOperator: Sendable, Equatable {
    case add, subtract, multiply, divide, power
}

/// Syntax tree of a formula. Names are already resolved to parameter or variable indices.
indirect enum FormulaExpression: Sendable, Equatable {
    case number(Double)
    case parameter(Int)
    case variable(Int)
    case negate(FormulaExpression)
    case binary(FormulaBinaryOperator, FormulaExpression, FormulaExpression)
    case call(FormulaFunction, FormulaExpression)
}

/// Recursive descent over the grammar
///
///     expr    := term (('+'|'-') term)*
///     term    := unary (('*'|'/') unary)*
///     unary   := ('-'|'+') unary | power
///     power   := primary (('^'|'**') unary)?
///     primary := number | name | function '(' expr ')' | '(' expr ')'
///
/// so powers are right-associative, bind tighter than unary minus (`-x^2` is `-(x^2)`), and
/// the exponent may carry its own sign (`x^-2`).
struct FormulaParser {
    /// Limits keep the recursion of parser and compiler far from the end of a thread's stack.
    static let maxNesting = 200
    static let maxNodes = 2000

    private let tokens: [FormulaToken]
    private var position = 0
    private let parameterIndex: [String: Int]
    private(set) var variableNames: [String] = []
    private var variableIndex: [String: Int] = [:]
    private var nesting = 0
    private var nodeCount = 0

    /// `parameters` must be free of duplicates (`Formula.init` checks that first).
    init(tokens: [FormulaToken], parameters: [String]) {
        precondition(tokens.last?.kind == .end, "token list must end with .end")
        self.tokens = tokens
        parameterIndex = Dictionary(uniqueKeysWithValues: parameters.enumerated().map { ($1, $0) })
    }

    /// Parses the whole token list; variables are numbered in order of first appearance.
    mutating func parse() throws(FormulaError) -> FormulaExpression {
        let tree = try expression()
        let next = current
        switch next.kind {
        case .end:
            return tree
        case .rightParen:
            throw FormulaError(column: next.column, message: "')' has no matching '('")
        default:
            throw FormulaError(column: next.column, message: "expected an operator but \(next.found)")
        }
    }

    private var current: FormulaToken { tokens[position] }

    @discardableResult
    private mutating func advance() -> FormulaToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    /// Counts nodes so that an absurdly long formula is an error rather than a stack overflow.
    private mutating func node(_ e: FormulaExpression, at token: FormulaToken) throws(FormulaError) -> FormulaExpression {
        nodeCount += 1
        guard nodeCount <= Self.maxNodes else {
            throw FormulaError(column: token.column,
                               message: "the formula is too long (more than \(Self.maxNodes) operations and operands)")
        }
        return e
    }

    private mutating func expression() throws(FormulaError) -> FormulaExpression {
        var lhs = try term()
        while true {
            let op: FormulaBinaryOperator
            switch current.kind {
            case .plus: op = .add
            case .minus: op = .subtract
            default: return lhs
            }
            let opToken = advance()
            let rhs = try term()
            lhs = try node(.binary(op, lhs, rhs), at: opToken)
        }
    }

    private mutating func term() throws(FormulaError) -> FormulaExpression {
        var lhs = try unary()
        while true {
            let op: FormulaBinaryOperator
            switch current.kind {
            case .times: op = .multiply
            case .divide: op = .divide
            default: return lhs
            }
            let opToken = advance()
            let rhs = try unary()
            lhs = try node(.binary(op, lhs, rhs), at: opToken)
        }
    }

    /// Every recursion (parentheses, function arguments, signs, exponents) passes through here.
    private mutating func unary() throws(FormulaError) -> FormulaExpression {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maxNesting else {
            throw FormulaError(column: current.column,
                               message: "the formula is nested too deeply (more than \(Self.maxNesting) levels)")
        }
        switch current.kind {
        case .minus:
            let sign = advance()
            let operand = try unary()
            return try node(.negate(operand), at: sign)
        case .plus:
            advance()
            return try unary()
        default:
            return try power()
        }
    }

    private mutating func power() throws(FormulaError) -> FormulaExpression {
        let base = try primary()
        guard current.kind == .power else { return base }
        let opToken = advance()
        let exponent = try unary()
        return try node(.binary(.power, base, exponent), at: opToken)
    }

    private mutating func primary() throws(FormulaError) -> FormulaExpression {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return try node(.number(value), at: token)
        case .name(let name, let quoted):
            advance()
            if !quoted {
                let function = FormulaFunction(rawValue: name)
                if current.kind == .leftParen {
                    guard let function else {
                        throw FormulaError(column: token.column,
                                           message: "unknown function '\(name)' (known: \(FormulaFunction.knownList))")
                    }
                    let open = advance()
                    let argument = try expression()
                    try close(open)
                    return try node(.call(function, argument), at: token)
                }
                if function != nil {
                    throw FormulaError(column: token.column,
                                       message: "function '\(name)' must be followed by '(', e.g. \(name)(x)")
                }
                if name == "pi" { return try node(.number(Double.pi), at: token) }
            }
            return try node(reference(to: name), at: token)
        case .leftParen:
            let open = advance()
            let inner = try expression()
            try close(open)
            return inner
        default:
            throw FormulaError(column: token.column, message: "expected a number, name or '(' but \(token.found)")
        }
    }

    private mutating func close(_ open: FormulaToken) throws(FormulaError) {
        let token = current
        switch token.kind {
        case .rightParen:
            advance()
        case .end:
            throw FormulaError(column: open.column, message: "'(' is never closed")
        default:
            throw FormulaError(column: token.column, message: "expected an operator or ')' but \(token.found)")
        }
    }

    private mutating func reference(to name: String) -> FormulaExpression {
        if let j = parameterIndex[name] { return .parameter(j) }
        if let k = variableIndex[name] { return .variable(k) }
        variableIndex[name] = variableNames.count
        variableNames.append(name)
        return .variable(variableNames.count - 1)
    }
}
