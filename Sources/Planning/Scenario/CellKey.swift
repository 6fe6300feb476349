/// A region × segment, the cell of a plan: the one key for every lookup by the pair (dictionaries,
/// never a string built from the two or a linear search).
public struct CellKey: Hashable, Sendable {
    public var region: String
    public var segment: String

    public init(_ region: String, _ segment: String) {
        self.region = region
        self.segment = segment
    }
}
