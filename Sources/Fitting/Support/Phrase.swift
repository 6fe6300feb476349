import Foundation

/// A sentence a planner reads, in both of rkat's languages: Indonesian (the default) and English
/// (`--lang en`). Messages are made where the fact is known, deep in a reader or a calibration that
/// does not know the reader's language, and are rendered at the edge (the command line, a page); so
/// each carries both texts, numbers formatted for each (1.699.046 / 1,699,046).
///
/// The catalogue is the set of `Phrase { l in l.t("…", "…") }` sites: every message that reaches a
/// planner is written once in both languages, where it is made.
public struct Phrase: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let indonesian: String
    public let english: String

    /// The two texts of one message, the builder run once per language.
    public init(_ build: (Language) -> String) {
        indonesian = build(Language(indonesian: true))
        english = build(Language(indonesian: false))
    }

    /// A fixed text in both languages.
    public init(_ indonesian: String, _ english: String) {
        self.indonesian = indonesian
        self.english = english
    }

    /// Whether the two texts differ: a message built around an untranslated part stays English
    /// whole rather than mixing the languages.
    public var isTranslated: Bool { indonesian != english }

    /// A message not yet in the catalogue: both languages read the English (the language scan lists
    /// such messages when they reach a planner).
    public init(english: String) {
        indonesian = english
        self.english = english
    }

    /// `self` followed by `other` in each language.
    public static func + (a: Phrase, b: Phrase) -> Phrase {
        Phrase { l in a.text(indonesian: l.indonesian) + b.text(indonesian: l.indonesian) }
    }

    /// The text in the reader's language.
    public func text(indonesian id: Bool) -> String { id ? indonesian : english }

    /// English, for logs, tests and scripts that read messages as codes.
    public var description: String { english }

    /// `self` with `prefix` before it in both languages (a location, a segment's name).
    public func prefixed(_ prefix: String) -> Phrase {
        Phrase { l in prefix + self.text(indonesian: l.indonesian) }
    }

    /// One language's words and number formats, as a message builder sees them.
    public struct Language: Sendable {
        public let indonesian: Bool

        public init(indonesian: Bool) { self.indonesian = indonesian }

        /// The Indonesian or the English text.
        public func t(_ id: String, _ en: String) -> String { indonesian ? id : en }

        /// A whole number with its thousands grouped: 1.699.046 (id), 1,699,046 (en); "−" before a
        /// negative one.
        public func n(_ v: Double) -> String { NumberText.grouped(v, separator: indonesian ? "." : ",", minus: "−") }

        /// A whole number written as it was counted (an Int).
        public func n(_ v: Int) -> String { n(Double(v)) }

        /// A figure as a history states it: grouped, up to two decimals (1.699.046, 12.345,67 in
        /// Indonesian; 1,699,046, 12,345.67 in English); "−" before a negative one.
        public func figure(_ v: Double) -> String {
            let rounded = (abs(v) * 100).rounded() / 100
            let whole = rounded.rounded(.down)
            let hundredths = Whole.clamped((rounded - whole) * 100, .toNearestOrAwayFromZero)
            var text = NumberText.grouped(whole, separator: indonesian ? "." : ",")
            if hundredths != 0 {
                text += (indonesian ? "," : ".") + (hundredths % 10 == 0 ? "\(hundredths / 10)" : (hundredths < 10 ? "0\(hundredths)" : "\(hundredths)"))
            }
            return (v < 0 && text != "0" ? "−" : "") + text
        }

        /// A difference with its sign: "−40", "+40".
        public func signed(_ v: Double) -> String { v < 0 ? figure(v) : "+" + figure(v) }

        /// A figure with up to `digits` decimals, the decimal mark of the language: 0,25 (id), 0.25 (en).
        public func decimal(_ v: Double, _ digits: Int = 2) -> String {
            var s = NumberText.fixed(v, digits)
            if s.contains(".") {
                while s.hasSuffix("0") { s.removeLast() }
                if s.hasSuffix(".") { s.removeLast() }
            }
            return indonesian ? s.replacingOccurrences(of: ".", with: ",") : s
        }

        /// `digits` significant digits (printf's %g), the decimal mark of the language.
        public func significant(_ v: Double, _ digits: Int) -> String {
            let s = NumberText.significant(v, digits)
            return indonesian ? s.replacingOccurrences(of: ".", with: ",") : s
        }

        /// A calibration figure: a whole number grouped from 100 up (1.574.099, 1,574,099), three
        /// significant digits below.
        public func short(_ v: Double) -> String { abs(v) >= 100 ? n(v.rounded()) : significant(v, 3) }

        /// A share as a percentage with up to one decimal: 12,5% (id), 12.5% (en).
        public func percent(_ share: Double) -> String { decimal(share * 100, 1) + "%" }
    }
}
