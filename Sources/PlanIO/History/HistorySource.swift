/// Where a scenario's history comes from (`history:`): a CSV or .xlsx file and, for a workbook or a
/// wide table, how to read it (docs/scenario-format.md, "History from a workbook").
public struct HistorySource: Sendable, Equatable {
    /// Long: one row per month × region × segment × metric (the documented CSV). Wide: a row per
    /// region (or branch) × segment × metric, the months as columns. Auto: told apart by the header.
    public enum Layout: String, Sendable, CaseIterable {
        case auto, long, wide
    }

    /// A key column of the wide layout.
    public enum Role: String, Sendable, CaseIterable {
        case region, branch, segment, metric
    }

    /// The file, resolved against the scenario's folder.
    public var path: String
    /// The workbook's sheet; nil takes the first visible one.
    public var sheet: String?
    public var layout: Layout
    /// Headings the planner's wide sheet uses for the key columns, beside the accepted names.
    public var columns: [Role: String]

    public init(path: String, sheet: String? = nil, layout: Layout = .auto, columns: [Role: String] = [:]) {
        self.path = path
        self.sheet = sheet
        self.layout = layout
        self.columns = columns
    }
}
