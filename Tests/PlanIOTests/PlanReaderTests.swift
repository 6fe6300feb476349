import Foundation
import Testing

@testable import PlanIO
@testable import Planning

/// An approved plan as `rkat track` reads it: a target of zero is a plan (nothing planned, as for a
/// segment being wound down), a negative one is refused with the rule.
@Suite struct PlanReaderTests {
    static func plan(target: Double) -> String {
        let months = Array(repeating: "0", count: 12).joined(separator: ", ")
        return """
            {"plan_year": 2018, "scenario": "x", "targets": [
              {"region": "R", "segment": "PU", "metric": "acquisitions", "basis": "projection", "target": \(target), "monthly": [\(months)]}
            ]}
            """
    }

    @Test func aZeroTargetIsAPlanANegativeOneIsRefused() throws {
        let dir = ScenarioTempDir().write(["zero.json": Self.plan(target: 0), "negative.json": Self.plan(target: -1)])
        let plan = try PlanReader.read(path: dir.file("zero.json"))
        #expect(plan.targets.count == 1 && plan.targets[0].annual == 0 && plan.targets[0].months == Array(repeating: 0, count: 12))
        #expect(throws: InputError.self) { try PlanReader.read(path: dir.file("negative.json")) }
        do {
            _ = try PlanReader.read(path: dir.file("negative.json"))
        } catch {
            #expect(error.description.hasSuffix("targets[0] (R PU acquisitions): expected an annual target ≥ 0"), "\(error.description)")
        }
    }

    /// targets.json version 2 (rows with `level`) reads as version 1 (no field) did; a version this
    /// rkat does not know is refused with both numbers, not guessed at.
    @Test func oldAndNewPlansReadAlikeALaterVersionIsRefused() throws {
        let old = Self.plan(metric: "acquisitions", annual: "1200")
        let new = old.replacingOccurrences(of: "{\"plan_year\"", with: "{\"schema_version\": 2, \"plan_year\"")
            .replacingOccurrences(of: "\"basis\": \"projection\"", with: "\"basis\": \"projection\", \"level\": \"kanwil\"")
        let later = new.replacingOccurrences(of: "\"schema_version\": 2", with: "\"schema_version\": 3")
        var odd: [String: String] = [:]
        for (name, v) in [("text", "\"2\""), ("bool", "true"), ("zero", "0"), ("fraction", "2.5")] {
            odd["\(name).json"] = new.replacingOccurrences(of: "\"schema_version\": 2", with: "\"schema_version\": \(v)")
        }
        let dir = ScenarioTempDir().write(["old.json": old, "new.json": new, "later.json": later].merging(odd) { a, _ in a })
        for name in odd.keys.sorted() {
            do {
                _ = try PlanReader.read(path: dir.file(name))
                Issue.record("\(name): read")
            } catch {
                #expect(error.description.contains("unknown schema_version") && !error.description.contains("newer rkat"), "\(name): \(error.description)")
            }
        }
        let a = try PlanReader.read(path: dir.file("old.json")), b = try PlanReader.read(path: dir.file("new.json"))
        #expect(new.contains("\"level\": \"kanwil\"") && new.contains("\"schema_version\": 2"))
        #expect(a.targets.count == 1 && a.targets.map(\.annual) == b.targets.map(\.annual) && a.targets.map(\.months) == b.targets.map(\.months))
        do {
            _ = try PlanReader.read(path: dir.file("later.json"))
            Issue.record("a version-3 plan was read")
        } catch {
            #expect(error.description.hasSuffix("unknown schema_version 3: this rkat reads plans of version 1 to 2 (a plan from a newer rkat?)"), "\(error.description)")
        }
    }

    /// A flow target of `annual` with all of it in January (the months sum to it).
    static func plan(metric: String, annual: String) -> String {
        let months = ([annual] + Array(repeating: "0", count: 11)).joined(separator: ", ")
        return """
            {"plan_year": 2018, "scenario": "x", "targets": [
              {"region": "R", "segment": "PU", "metric": "\(metric)", "basis": "projection", "target": \(annual), "monthly": [\(months)]}
            ]}
            """
    }

    /// The stated maximum is a target (checkRange: "from 0 to" 10⁹ persons, Rp 10¹⁵): exactly it is read,
    /// one above is refused with the rule (both below 2⁵³, so exact in a double).
    @Test func aTargetAtTheMaximumIsReadOneAboveIsRefused() throws {
        let dir = ScenarioTempDir().write([
            "persons.json": Self.plan(metric: "acquisitions", annual: "1000000000"),
            "persons-over.json": Self.plan(metric: "acquisitions", annual: "1000000001"),
            "rupiah.json": Self.plan(metric: "iuran", annual: "1000000000000000"),
            "rupiah-over.json": Self.plan(metric: "iuran", annual: "1000000000000001"),
        ])
        #expect(try PlanReader.read(path: dir.file("persons.json")).targets[0].annual == 1_000_000_000)
        #expect(try PlanReader.read(path: dir.file("rupiah.json")).targets[0].annual == 1_000_000_000_000_000)
        for (file, rule) in [("persons-over.json", "a whole number from 0 to 1,000,000,000"), ("rupiah-over.json", "whole rupiah from 0 to 1,000,000,000,000,000")] {
            do {
                _ = try PlanReader.read(path: dir.file(file))
                Issue.record("\(file) was read")
            } catch {
                #expect(error.description.hasSuffix(rule), "\(error.description)")
            }
        }
    }

    static func plan(rows: [String]) -> String {
        #"{"plan_year": 2018, "scenario": "x", "targets": ["# + rows.joined(separator: ", ") + "]}"
    }

    /// Several rows for one region × segment × indicator: the projection row is the approved one; a
    /// lone rule row is read as the plan; two rule rows and no projection are refused, naming both.
    @Test func ofSeveralRowsTheProjectionIsChosenAndRuleRowsAloneAreAmbiguous() throws {
        let rule20 = #"{"region": "R", "segment": "PU", "metric": "acquisitions", "basis": "rule+20%", "target": 120}"#
        let rule30 = #"{"region": "R", "segment": "PU", "metric": "acquisitions", "basis": "rule+30%", "target": 130}"#
        let projection = #"{"region": "R", "segment": "PU", "metric": "acquisitions", "basis": "projection", "target": 110}"#
        let dir = ScenarioTempDir().write([
            "chosen.json": Self.plan(rows: [rule20, projection, rule30]),
            "one-rule.json": Self.plan(rows: [rule30]),
            "two-rules.json": Self.plan(rows: [rule20, rule30]),
        ])
        #expect(try PlanReader.read(path: dir.file("chosen.json")).targets.map(\.annual) == [110])
        #expect(try PlanReader.read(path: dir.file("one-rule.json")).targets.map(\.annual) == [130])
        do {
            _ = try PlanReader.read(path: dir.file("two-rules.json"))
            Issue.record("two rule rows without a projection were read")
        } catch {
            #expect(error.description.hasSuffix("R PU acquisitions: 2 rows ('rule+20%', 'rule+30%') and none is the projection; keep the approved one"), "\(error.description)")
        }
    }

    /// A TOTAL sums the persons segments only: a company segment (unit companies) beside them does not
    /// make a consistent TOTAL inconsistent, and a TOTAL off its persons segments by one is refused.
    @Test func aTotalSumsPersonsSegmentsNeverCompanies() throws {
        func row(_ segment: String, _ target: Int, unit: String? = nil) -> String {
            let u = unit.map { #", "unit": "\#($0)""# } ?? ""
            return #"{"region": "R", "segment": "\#(segment)", "metric": "active", "basis": "projection", "target": \#(target)\#(u)}"#
        }
        let dir = ScenarioTempDir().write([
            "consistent.json": Self.plan(rows: [row("PU", 1000), row("BPU", 500), row("PK", 40, unit: "companies"), row("TOTAL", 1500)]),
            "off-by-one.json": Self.plan(rows: [row("PU", 1000), row("BPU", 500), row("PK", 40, unit: "companies"), row("TOTAL", 1501)]),
        ])
        let plan = try PlanReader.read(path: dir.file("consistent.json"))
        #expect(plan.targets.first { $0.segment == "TOTAL" }?.annual == 1500)
        #expect(throws: InputError.self) { try PlanReader.read(path: dir.file("off-by-one.json")) }
    }

    /// docs/tracking.md: "a stock target's December is its annual target". The rule names December,
    /// the twelfth month, and no other: a stock ramp 1,010 … 1,110 with December 1,200 and an annual
    /// 1,200 is a consistent plan (November 1,110 differs, as any growing stock's does); a plan whose
    /// December is 1,190 under an annual 1,200 is refused naming both figures, even when its November
    /// happens to be 1,200.
    @Test func aStockPlanIsCheckedOnItsDecemberNotAnotherMonth() throws {
        func row(_ months: [Int]) -> String {
            let list = months.map(String.init).joined(separator: ", ")
            return #"{"region": "R", "segment": "PU", "metric": "active", "basis": "projection", "target": 1200, "monthly": [\#(list)]}"#
        }
        let ramp = (1...11).map { 1000 + 10 * $0 }  // Jan 1,010 … Nov 1,110
        let dir = ScenarioTempDir().write([
            "consistent.json": Self.plan(rows: [row(ramp + [1200])]),
            "december-off.json": Self.plan(rows: [row(Array(ramp.dropLast()) + [1200, 1190])]),
        ])
        let plan = try PlanReader.read(path: dir.file("consistent.json"))
        #expect(plan.targets.count == 1 && plan.targets[0].annual == 1200 && plan.targets[0].months[11] == 1200 && plan.targets[0].months[10] == 1110)
        do {
            _ = try PlanReader.read(path: dir.file("december-off.json"))
            Issue.record("a stock plan whose December is not its annual target was read")
        } catch {
            #expect(error.description.hasSuffix("December's stock target 1,190 is not the annual target 1,200"), "\(error.description)")
        }
    }
}
