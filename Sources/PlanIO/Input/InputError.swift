import Fitting

/// A place in an input file: 1-based line and column; in a workbook, the sheet's row and column,
/// written as Excel names a cell (`FILE.xlsx!Realisasi!F12`).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// The worksheet, for a cell of a workbook.
    public var sheet: String?

    public init(file: String, line: Int, column: Int, sheet: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.sheet = sheet
    }

    public var description: String {
        if let sheet { return "\(file)!\(sheet)!\(Self.columnName(column))\(line)" }
        return "\(file):\(line):\(column)"
    }

    /// A column's letters as Excel writes them: 1 → A, 26 → Z, 27 → AA.
    public static func columnName(_ column: Int) -> String {
        var n = max(column, 1), letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }
}

/// Bad input: rendered as one line, `FILE:LINE:COL: message` where there is a location (exit code 2),
/// in the reader's language (`phrase`, rendered by the command line).
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation?
    /// The file (or pseudo-file such as "--formula") when there is no line/column.
    public var file: String?
    public var phrase: Phrase

    /// The message in English (tests and scripts match on it).
    public var message: String { phrase.english }

    public init(_ phrase: Phrase, at location: SourceLocation) {
        self.location = location
        self.file = location.file
        self.phrase = phrase
    }

    public init(_ phrase: Phrase, file: String? = nil) {
        self.location = nil
        self.file = file
        self.phrase = phrase
    }

    /// A message not yet in the catalogue: both languages read the English.
    public init(_ message: String, at location: SourceLocation) { self.init(Phrase(english: message), at: location) }

    /// A message not yet in the catalogue, without a line.
    public init(_ message: String, file: String? = nil) { self.init(Phrase(english: message), file: file) }

    /// The one line, location first, in the reader's language.
    public func line(indonesian: Bool) -> String {
        let text = phrase.text(indonesian: indonesian)
        if let location { return "\(location): \(text)" }
        if let file { return "\(file): \(text)" }
        return text
    }

    public var description: String { line(indonesian: false) }
}

/// "did you mean" for a misspelt name: the closest candidate by edit distance, if close enough.
/// `maxDistance` overrides the default closeness, max(2, a third of the candidate's length).
public func closestMatch(to name: String, in candidates: [String], maxDistance: ((String) -> Int)? = nil) -> String? {
    let lower = name.lowercased()
    var best: (String, Double)? = nil
    for c in candidates {
        let cl = c.lowercased()
        let d = editDistance(lower, cl)
        guard d <= (maxDistance?(c) ?? max(2, c.count / 3)) else { continue }
        // On equal distance prefer a candidate that extends the name or is extended by it ("y" → "yy").
        let score = Double(d) - (cl.hasPrefix(lower) || lower.hasPrefix(cl) ? 0.5 : 0)
        if best == nil || score < best!.1 { best = (c, score) }
    }
    return best?.0
}

/// Edits from `a` to `b`: insertions, deletions, substitutions and swaps of two neighbours ("Bantne"
/// is one edit from "Banten"): the optimal string alignment distance.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var before = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { cur[j] = min(cur[j], before[j - 2] + 1) }
        }
        (before, prev, cur) = (prev, cur, before)
    }
    return prev[b.count]
}
