/// A scenario that cannot be calibrated or projected as written (bad input: exit code 2).
/// Located errors are the readers' business; these are about the content as a whole.
public struct PlanningError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    /// The segment the problem is about, when there is one (the reader locates it at its key).
    public var segment: String?

    public init(_ message: String, segment: String? = nil) {
        self.message = message
        self.segment = segment
    }

    public var description: String { message }
}
