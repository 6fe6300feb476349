// rkat — lexer for the formula language of user models in nonlinear least squares.
// SPDX-License-Identifier: GPL-3.0-or-later

/// One token of a formula, with the 1-based character column where it starts.
struct FormulaToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case number(Double)
        /// An identifier; `quoted` is true for a backquoted name such as `` `jumlah peserta` ``,
        /// which is always a parameter or a variable, never a function or `pi`.
        case name(String, quoted: Bool)
        case plus, minus, times, divide
        /// `^` or `**`.
        case power
        case leftParen, rightParen
        /// After the last token; its column is `source.count + 1`.
        case end
    }

    var kind: Kind
    var column: Int
    /// The token as written in the source.
    var text: String

    /// How error messages report meeting this token: "found 'x'", or "the formula ended".
    var found: String { kind == .end ? "the formula ended" : "found '\(text)'" }
}

/// Splits a formula into tokens. Columns count `Character`s, so they match what a user sees.
enum FormulaLexer {
    static func tokenize(_ source: String) throws(FormulaError) -> [FormulaToken] {
        let chars = Array(source)
        var tokens: [FormulaToken] = []
        var i = 0
        func add(_ kind: FormulaToken.Kind, length: Int) {
            tokens.append(FormulaToken(kind: kind, column: i + 1, text: String(chars[i..<(i + length)])))
            i += length
        }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case _ where c.isWhitespace:
                i += 1
            case _ where isDigit(c) || (c == "." && i + 1 < chars.count && isDigit(chars[i + 1])):
                tokens.append(try number(chars, &i))
            case _ where isNameStart(c):
                var end = i
                while end < chars.count && isNameCharacter(chars[end]) { end += 1 }
                add(.name(String(chars[i..<end]), quoted: false), length: end - i)
            case "`":
                tokens.append(try quotedName(chars, &i))
            case "+": add(.plus, length: 1)
            case "-": add(.minus, length: 1)
            case "*" where i + 1 < chars.count && chars[i + 1] == "*": add(.power, length: 2)
            case "*": add(.times, length: 1)
            case "/": add(.divide, length: 1)
            case "^": add(.power, length: 1)
            case "(": add(.leftParen, length: 1)
            case ")": add(.rightParen, length: 1)
            default:
                let hint = c.isLetter ? " (write names with other characters in backquotes, e.g. `jumlah peserta`)" : ""
                throw FormulaError(column: i + 1, message: "unexpected character '\(c)'\(hint)")
            }
        }
        tokens.append(FormulaToken(kind: .end, column: chars.count + 1, text: ""))
        return tokens
    }

    /// `digits [. digits] [(e|E) [+|-] digits]` or `. digits ...`. A number running straight into a
    /// letter, digit, `_` or another `.` (`1.2.3`, `2x`) is malformed, as is an exponent without digits (`1e`).
    private static func number(_ chars: [Character], _ i: inout Int) throws(FormulaError) -> FormulaToken {
        let start = i
        func skipDigits() -> Int {
            let from = i
            while i < chars.count && isDigit(chars[i]) { i += 1 }
            return i - from
        }
        var wellFormed = true
        _ = skipDigits()
        if i < chars.count && chars[i] == "." {
            i += 1
            _ = skipDigits()
        }
        if i < chars.count && (chars[i] == "e" || chars[i] == "E") {
            i += 1
            if i < chars.count && (chars[i] == "+" || chars[i] == "-") { i += 1 }
            if skipDigits() == 0 { wellFormed = false }
        }
        if i < chars.count && (isNameCharacter(chars[i]) || chars[i] == ".") {
            wellFormed = false
            while i < chars.count && (isNameCharacter(chars[i]) || chars[i] == ".") { i += 1 }
        }
        let text = String(chars[start..<i])
        guard wellFormed, let value = Double(text) else {
            throw FormulaError(column: start + 1, message: "malformed number '\(text)'")
        }
        return FormulaToken(kind: .number(value), column: start + 1, text: text)
    }

    /// `` `any characters but a backquote` ``.
    private static func quotedName(_ chars: [Character], _ i: inout Int) throws(FormulaError) -> FormulaToken {
        let start = i
        var end = i + 1
        while end < chars.count && chars[end] != "`" { end += 1 }
        guard end < chars.count else {
            throw FormulaError(column: start + 1, message: "backquoted name is not closed with '`'")
        }
        let name = String(chars[(start + 1)..<end])
        guard !name.isEmpty else {
            throw FormulaError(column: start + 1, message: "backquoted name is empty")
        }
        i = end + 1
        return FormulaToken(kind: .name(name, quoted: true), column: start + 1, text: String(chars[start...end]))
    }

    static func isDigit(_ c: Character) -> Bool {
        guard let a = c.asciiValue else { return false }
        return a >= 48 && a <= 57
    }

    static func isNameStart(_ c: Character) -> Bool {
        guard let a = c.asciiValue else { return false }
        return (a >= 65 && a <= 90) || (a >= 97 && a <= 122) || a == 95
    }

    static func isNameCharacter(_ c: Character) -> Bool { isNameStart(c) || isDigit(c) }
}
