/// A scenario that cannot be calibrated or projected as written (bad input: exit code 2).
/// Located errors are the readers' business; these are about the content as a whole.
public struct PlanningError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
