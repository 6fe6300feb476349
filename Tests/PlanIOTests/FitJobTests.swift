import Fitting
import Foundation
import Testing

@testable import PlanIO

@Suite struct FitJobTests {
    static let misra = """
        pressure,volume
        77.6,10.07
        114.9,14.73
        141.1,17.94
        190.8,23.93
        239.9,29.61
        289.0,35.18
        332.8,40.02
        378.4,44.82
        434.8,50.76
        477.3,55.05
        536.8,61.01
        593.1,66.4
        689.1,75.47
        760.0,81.78
        """

    @Test func formulaVariablesAreColumnsAndXIsAnAlias() throws {
        let t = try CSVTable.parse(Self.misra, file: "m.csv")
        for (x, formula) in [("pressure", "b1*(1-exp(-b2*x))"), ("ignored", "b1*(1-exp(-b2*pressure))")] {
            let r = try FitJob.run(
                FitRequest(x: x, y: "volume", spec: .formula(formula, starts: try FitRequest.parseStarts("b1=500, b2=1e-4"))),
                table: t
            ).result!
            #expect(abs(r.parameters[0].estimate / 238.94212918 - 1) < 1e-8)
        }
    }

    @Test(arguments: [
        ("b1*(1-foo(-b2*x))", "b1=500,b2=1e-4", "--formula:1:7: unknown function 'foo' (known: abs, atan, cos, exp, log, sin, sqrt, tan)"),
        ("b1*(1-exp(-b2*x))", "b1=500", "--formula:1:12: 'b2' in the formula is neither a parameter (no --start value) nor a column of m.csv (did you mean 'b1'?); give a start value (--start b2=...) if it is a parameter"),
        ("b1*(1-exp(-b2*x))", "b1=500,b2=1e-4,b3=1", "--start: 'b3' has a start value but does not occur in the formula"),
        ("b1*(1-exp(-b2*x)", "b1=500,b2=1e-4", "--formula:1:4: '(' is never closed"),
    ])
    func formulaErrors(formula: String, starts: String, message: String) throws {
        let t = try CSVTable.parse(Self.misra, file: "m.csv")
        do {
            _ = try FitJob.run(FitRequest(x: "pressure", y: "volume", spec: .formula(formula, starts: try FitRequest.parseStarts(starts))), table: t)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.description == message)
        }
    }

    @Test(arguments: [
        ("b1=500,b2", "--start:1:8: expected NAME=VALUE, got 'b2'"),
        ("b1=abc", "--start:1:1: start value of 'b1' is not a number: 'abc'"),
        ("b1=1,b1=2", "--start:1:6: 'b1' is given twice"),
    ])
    func startErrors(text: String, message: String) {
        do {
            _ = try FitRequest.parseStarts(text)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func tooFewPointsForTheModelIsBadInput() throws {
        let t = try CSVTable.parse("date,active\n2017-09,726119\n2018-09,800000\n", file: "a.csv")
        do {
            _ = try FitJob.run(FitRequest(x: "date", y: "active", spec: .model(.logistic)), table: t)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.description.hasPrefix("a.csv: too few points for a logistic curve"))
        }
    }

    /// The limits are inclusive: a logistic has 3 parameters and fits exactly 3 points (no standard
    /// errors), so 3 are not "too few"; on coverage, κ = 1 (the whole potential) is a ceiling one may
    /// fix, 1.2 is not. Points on K 1000, r 0.8, t₀ 2017 (python3): 310.0255, 500, 689.9745.
    @Test func theMinimumPointsAndTheWholePotentialAreAccepted() throws {
        let three = try CSVTable.parse("t,active\n2016,310.0255188723875\n2017,500\n2018,689.9744811276124\n", file: "a.csv")
        do {
            let r = try FitJob.run(FitRequest(x: "t", y: "active", spec: .model(.logistic)), table: three).result
            if let r { #expect(abs(r.parameters[0].estimate / 1000 - 1) < 1e-4, "\(r.parameters)") }
        } catch let error as InputError {
            #expect(!error.description.contains("too few points"), "\(error.description)")
        }
        let t = (0..<12).map { 2015.0 + Double($0) / 2 }
        var csv = "t,active,potential\n"
        for x in t { csv += "\(x),\(1_000_000 / (1 + exp(-0.8 * (x - 2018)))),1000000\n" }
        let table = try CSVTable.parse(csv, file: "c.csv")
        let whole = try FitJob.run(FitRequest(x: "t", y: "active", spec: .model(.logistic), ceiling: 1, potential: "potential"), table: table).result!
        #expect(abs(whole.parameters[1].estimate - 0.8) < 1e-6, "\(whole.parameters)")
        #expect(throws: InputError.self) { try FitJob.run(FitRequest(x: "t", y: "active", spec: .model(.logistic), ceiling: 1.2, potential: "potential"), table: table) }
    }

    @Test func potentialColumnFitsCoverage() throws {
        // Coverage c = A/L follows a logistic with κ = 0.6 while the potential grows 2% a year.
        let t = (0..<24).map { 2015.0 + Double($0) / 4 }
        let l = t.map { 6_900_000 * pow(1.02, $0 - 2015) }
        let c = t.map { 0.6 / (1 + exp(-0.8 * ($0 - 2018))) }
        var csv = "t,active,potential\n"
        for i in t.indices { csv += "\(t[i]),\(c[i] * l[i]),\(l[i])\n" }
        let r = try FitJob.run(
            FitRequest(x: "t", y: "active", spec: .model(.logistic), potential: "potential"),
            table: try CSVTable.parse(csv, file: "c.csv")
        ).result!
        #expect(abs(r.parameters[0].estimate - 0.6) < 1e-7)
        #expect(abs(r.parameters[1].estimate - 0.8) < 1e-7)
    }
}
