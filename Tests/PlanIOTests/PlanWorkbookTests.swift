import Foundation
import Testing

@testable import Fitting

@testable import PlanIO
@testable import Planning

/// Issue 33: the approved plan from targets.xlsx as the planners edited it. The fixture (scripts/
/// make_xlsx_fixtures.py --rkat) is the mid-year plan as rkat wrote it (original/) and edited alike by
/// scripts/edit_plan.py: the workbook through openpyxl (months only, the summary untouched), targets.json
/// by hand with every annual figure and TOTAL it then needs. The JSON is the oracle.
@Suite struct PlanWorkbookTests {
    static let dir = HistoryWorkbookTests.fixtures.appendingPathComponent("plan-edited")
    static let workbook = dir.appendingPathComponent("targets.xlsx").path
    static let json = dir.appendingPathComponent("targets.json").path

    static func figures(_ plan: ApprovedPlan) -> [String] {
        plan.targets.map { t in
            "\(t.region) \(t.branch ?? "-") \(t.segment) \(t.metric.rawValue) \(t.annual) " + t.months.map { $0.map { "\($0)" } ?? "nil" }.joined(separator: ",")
        }.sorted()
    }

    @Test func anEditedWorkbookReadsToTheMatchingJSON() throws {
        let fromWorkbook = try PlanReader.read(path: Self.workbook)
        let fromJSON = try PlanReader.read(path: Self.json)
        #expect(Self.figures(fromWorkbook) == Self.figures(fromJSON))
        #expect(fromWorkbook.year == 2018 && fromWorkbook.scenario == fromJSON.scenario)
        #expect(fromWorkbook.fromWorkbook && !fromJSON.fromWorkbook)
        // The unedited pair reads alike too, with no edit listed.
        let original = try PlanReader.read(path: Self.dir.appendingPathComponent("original/targets.xlsx").path)
        #expect(Self.figures(original) == Self.figures(try PlanReader.read(path: Self.dir.appendingPathComponent("original/targets.json").path)))
        #expect(original.edits.isEmpty)
        #expect(Self.figures(original) != Self.figures(fromWorkbook))
    }

    /// The five cells edit_plan.py changed, and the annual targets and TOTALs they carry along.
    @Test func theEditsAreListed() throws {
        let plan = try PlanReader.read(path: Self.workbook)
        let edited = plan.edits.filter { !$0.derived }.map { "\($0.cell) \($0.approved - $0.original)" }
        #expect(edited == ["PU!M2 2000.0", "PU!B3 -1000.0", "PU!C3 1000.0", "JAKON!D2 5000.0", "Cabang!G6 100.0"])
        let derived = plan.edits.filter(\.derived).map { "\($0.cell) \($0.segment) \($0.metric.rawValue) \($0.approved - $0.original)" }
        #expect(derived == [
            "Ringkasan!G2 PU active 2000.0", "Ringkasan!G5 JAKON acquisitions 5000.0", "Cabang!E6 PU acquisitions 100.0",
            "Ringkasan!G6 TOTAL active 2000.0", "Ringkasan!G7 TOTAL acquisitions 5000.0", "Cabang!E10 TOTAL acquisitions 100.0",
        ])
    }

    static func error(_ edit: (String) -> String, part: String) throws -> String {
        let path = try HistoryWorkbookTests.edited("plan-edited/targets.xlsx", part: part, edit)
        do {
            _ = try PlanReader.read(path: path)
            return "no error"
        } catch { return error.description }
    }

    /// Sheet parts in the workbook's order: Ringkasan, PU, JAKON, Iuran, Cabang, Asal Data, rkat_plan.
    static let summaryPart = "xl/worksheets/sheet1.xml", puPart = "xl/worksheets/sheet2.xml"

    @Test func aTextOrAnEmptyTargetIsLocated() throws {
        let text = try Self.error({ $0.replacingOccurrences(of: #"<c r="B3"( s="\d+")?( t="n")?><v>10619</v></c>"#, with: "<c r=\"B3\" t=\"inlineStr\"><is><t>10.619</t></is></c>", options: .regularExpression) }, part: Self.puPart)
        #expect(text.hasSuffix("targets.xlsx!PU!B3: the target of Synthetica PU acquisitions 2018-01: a text cell '10.619' where a number belongs"))
        let empty = try Self.error({ $0.replacingOccurrences(of: #"<c r="B3"( s="\d+")?( t="n")?><v>10619</v></c>"#, with: "", options: .regularExpression) }, part: Self.puPart)
        #expect(empty.hasSuffix("targets.xlsx!PU!B3: the target of Synthetica PU acquisitions 2018-01 is empty (write 0 for a month without a target)"))
    }

    /// An annual flow target edited alone: its months no longer sum to it (the rule of targets.json),
    /// located at the summary cell.
    @Test func anAnnualTargetEditedAloneMustMatchItsMonths() throws {
        let message = try Self.error({ $0.replacingOccurrences(of: #"<c r="G3"( s="\d+")?( t="n")?><v>137820</v></c>"#, with: "<c r=\"G3\" t=\"n\"><v>140000</v></c>", options: .regularExpression) }, part: Self.summaryPart)
        #expect(message.hasSuffix("targets.xlsx!Ringkasan!G3: Synthetica PU acquisitions: the months sum to 137,820, not the annual target 140,000; correct a month or the annual figure"))
    }

    @Test func anEditedTotalThatIsNotTheSumIsRefused() throws {
        let message = try Self.error({ $0.replacingOccurrences(of: #"<c r="G7"( s="\d+")?( t="n")?><v>421576</v></c>"#, with: "<c r=\"G7\" t=\"n\"><v>430000</v></c>", options: .regularExpression) }, part: Self.summaryPart)
        #expect(message.contains("targets.xlsx!Ringkasan!G"))
        #expect(message.hasSuffix("TOTAL of Synthetica acquisitions: 430,000, but its segments sum to 426,576 (PU 137,820 + JAKON 288,756); a TOTAL is the sum of its segments: correct the TOTAL or a segment"))
    }

    /// Rows sorted or moved: the plan is read by place, so a row that no longer reads as rkat wrote it is refused.
    @Test func aSortedWorkbookIsRefused() throws {
        let message = try Self.error({
            $0.replacingOccurrences(of: "<c r=\"C2\" s=\"3\" t=\"inlineStr\"><is><t>Peserta aktif akhir tahun</t>", with: "<c r=\"C2\" s=\"3\" t=\"inlineStr\"><is><t>Akuisisi</t>")
        }, part: Self.summaryPart)
        #expect(message.hasSuffix("targets.xlsx!Ringkasan!A2: the row reads 'Synthetica | PU | Akuisisi | proyeksi' where rkat wrote 'Synthetica | PU | Peserta aktif akhir tahun | proyeksi': rows were moved or sorted; the plan is read by place, so restore rkat's order (or use targets.json)"), "\(message)")
    }

    /// A month's figure out of range is said where it stands, not at the annual cell.
    @Test func aFigureOutOfRangeIsLocatedWhereItStands() throws {
        let message = try Self.error({ $0.replacingOccurrences(of: #"<c r="B3"( s="\d+")?( t="n")?><v>10619</v></c>"#, with: "<c r=\"B3\" t=\"n\"><v>10619.5</v></c>", options: .regularExpression) }, part: Self.puPart)
        #expect(message.hasSuffix("targets.xlsx!PU!B3: the target of Synthetica PU acquisitions 2018-01 is 10619.5; a target is a whole number from 0 to 1,000,000,000"), "\(message)")
    }

    @Test func aWorkbookWithoutTheAnchorIsNotAPlan() throws {
        let path = HistoryWorkbookTests.fixtures.appendingPathComponent("wide-openpyxl.xlsx").path
        #expect(throws: InputError(
            Phrase(
                "bukan rencana: buku kerja ini tidak memuat lembar tersembunyi 'rkat_plan' yang ditulis rkat run ke targets.xlsx",
                "not a plan: the workbook has no hidden 'rkat_plan' sheet, which rkat run writes into targets.xlsx"), file: path)) {
            _ = try PlanReader.read(path: path)
        }
    }

    /// The anchor rkat writes: hidden, last, and naming each projection figure where it stands.
    @Test func theWriterAnchorsEveryPlanFigure() throws {
        let plan = try PlanReader.read(path: Self.dir.appendingPathComponent("original/targets.xlsx").path)
        let book = try Workbook.open(path: Self.dir.appendingPathComponent("original/targets.xlsx").path)
        #expect(book.sheets.last?.name == "rkat_plan" && book.sheets.last?.hidden == true)
        #expect(book.sheets.dropLast().allSatisfy { !$0.hidden })
        // As many as targets.json has projection rows and branch rows.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.dir.appendingPathComponent("original/targets.json"))) as! [String: Any]
        let projections = (json["targets"] as! [[String: Any]]).filter { $0["basis"] as? String == "projection" }.count
        #expect(plan.targets.filter { $0.branch == nil }.count == projections)
        #expect(plan.targets.filter { $0.branch != nil }.count == (json["branches"] as! [Any]).count)
        #expect(projections == 7)
    }
}
