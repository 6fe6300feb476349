import Foundation
import Testing

@testable import PlanIO

/// One schema (issue 28): the reader's keys come from ScenarioKeys, and the docs name every one.
@Suite struct ScenarioKeysTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs")

    /// Every key of every table is named (in backticks) in the docs file that documents it.
    @Test func theDocsNameEveryKey() throws {
        for (table, file) in ScenarioKeys.all {
            let text = try String(contentsOf: Self.docs.appendingPathComponent(file), encoding: .utf8)
            for key in table.keys {
                #expect(text.contains("`\(key.name)`") || text.contains("`\(key.name):") || text.contains("{\(key.name)") || text.contains(", \(key.name)"),
                    "\(file) does not name '\(key.name)' of \(table.what) {\(table.names.joined(separator: ", "))}")
                #expect(!key.doc.isEmpty)
            }
            #expect(Set(table.names).count == table.names.count, "a key twice in \(table.what)")
        }
    }

    /// The expected text comes from the table: alternatives joined with |, examples after a colon.
    @Test func theExpectedTextComesFromTheTable() {
        #expect(ScenarioKeys.potential.expected.english == "a mapping {total, basis, as_of, growth_per_year, shares | values | series, allow_below_history}")
        #expect(ScenarioKeys.potential.expected.indonesian == "pemetaan {total, basis, as_of, growth_per_year, shares | values | series, allow_below_history}")
        #expect(ScenarioKeys.rampPoint.expected.english == "a ramp point {month: YYYY-MM, share: …}")
        #expect(ScenarioKeys.iuran.expected.english.hasPrefix("a mapping {package_rp | wages | projects | stated_rp, workers_per_project,"))
        #expect(ScenarioKeys.iuran.expected.english.hasSuffix("} (docs/iuran.md)"))
    }

    /// An unknown key is refused with the table's keys (the reader reads the same list).
    @Test func anUnknownKeyListsTheTablesKeys() throws {
        let root = Self.docs.deletingLastPathComponent()
        do {
            _ = try ScenarioReader.read(path: root.appendingPathComponent("scenarios/sumbagut-2018.yaml").path, overrides: ["targets.zzz=1"])
            Issue.record("accepted an unknown key")
        } catch {
            #expect(error.message.contains("unknown key 'zzz'; allowed keys: " + ScenarioKeys.targets.names.joined(separator: ", ")), "\(error.message)")
        }
    }
}
