/// A scenario that cannot be calibrated or projected as written (bad input: exit code 2).
/// Located errors are the readers' business; these are about the content as a whole.
public struct PlanningError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The message in both languages (rendered by the command line).
    public var phrase: Phrase
    /// The segment the problem is about, when there is one (the reader locates it at its key).
    public var segment: String?

    /// A message not yet in the catalogue (English).
    public init(_ message: String, segment: String? = nil) {
        self.init(Phrase(english: message), segment: segment)
    }

    public init(_ phrase: Phrase, segment: String? = nil) {
        self.phrase = phrase
        self.segment = segment
    }

    /// English, as tests and scripts read it.
    public var message: String { phrase.english }

    public var description: String { message }
}
