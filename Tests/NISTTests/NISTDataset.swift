import Foundation
import PlanIO

/// A NIST StRD dataset from its JSON sidecar (parsed from NIST's .dat file; see NIST/README.md).
struct NISTDataset: Decodable, Sendable, CustomStringConvertible {
    let name: String
    let kind: String
    let difficulty: String
    let formula_python: String?
    let response_transform: String?
    let parameter_names: [String]
    let start1: [Double]?
    let start2: [Double]?
    let certified_values: [Double]
    let certified_std_devs: [Double]
    let certified_rss: Double
    let data_columns: [String]
    let data: [String: [Double]]
    let design: Design?

    struct Design: Decodable, Sendable {
        let type: String
        let predictor: String?
        let predictors: [String]?
        let degree: Int?
        let intercept: Bool
    }

    var description: String { name }

    static let directory: URL = Bundle.module.resourceURL!.appendingPathComponent("NIST")

    static func load(_ name: String) -> NISTDataset {
        let url = directory.appendingPathComponent(name + ".json")
        return try! JSONDecoder().decode(NISTDataset.self, from: Data(contentsOf: url))
    }

    static func all(kind: String) -> [NISTDataset] {
        let names = try! FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") && $0 != "SOURCES.json" }
            .map { String($0.dropLast(5)) }
            .sorted()
        return names.map(load).filter { $0.kind == kind }
    }

    /// The formula in rkat's expression language (numpy's `np.exp` → `exp`).
    var formula: String { formula_python!.replacingOccurrences(of: "np.", with: "") }

    /// The response column: Nelson's model is for log(y), so its CSV carries a `log_y` column.
    var responseColumn: String { response_transform == "log" ? "log_y" : "y" }

    /// The data as CSV text, as a planner would hand it to `rkat fit` (Double descriptions round-trip).
    var csv: String {
        var columns = data_columns
        var values = data_columns.map { data[$0]! }
        if response_transform == "log" {
            columns.append("log_y")
            values.append(data["y"]!.map { Foundation.log($0) })
        }
        var lines = [columns.joined(separator: ",")]
        for i in values[0].indices { lines.append(values.map { "\($0[i])" }.joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    func table() throws -> CSVTable { try CSVTable.parse(csv, file: name + ".csv") }

    /// `--start b1=...,b2=...` as typed on the command line.
    func startArgument(_ start: [Double]) -> String {
        zip(parameter_names, start).map { "\($0)=\($1)" }.joined(separator: ",")
    }
}

/// Log relative error: the number of significant digits of `value` that agree with `certified`
/// (for certified 0: −log10|value|), capped at 15.
func lre(_ value: Double, _ certified: Double) -> Double {
    let err = certified == 0 ? abs(value) : abs(value - certified) / abs(certified)
    if err == 0 { return 15 }
    return min(15, max(0, -log10(err)))
}
