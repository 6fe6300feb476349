import ArgumentParser
import Fitting
import PlanIO

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a growth curve or a formula to two columns of a CSV file.",
        discussion: """
            Growth models: \(GrowthModel.allCases.map(\.rawValue).joined(separator: ", ")), or auto (rank all by AICc).
            A YYYY-MM column as --x is read as decimal years (end of month), so rates are per year.
            Example: rkat fit data.csv --x date --y active --model auto
                     rkat fit data.csv --x x --y y --formula "b1*(1-exp(-b2*x))" --start b1=500,b2=1e-4
            """)

    @Argument(help: "CSV file with a header row.") var data: String
    @Option(help: "Column of the predictor (time for growth models).") var x: String?
    @Option(help: "Column of the response.") var y: String
    @Option(help: "Growth model name, or auto.") var model: String?
    @Option(help: "Hold the ceiling (K, or m for Bass; κ with --potential) at this value.") var ceiling: Double?
    @Option(help: "Column with the potential L(t): fit coverage y/L with ceiling κ ≤ 1.") var potential: String?
    // `.unconditional`: the value may start with '-' (`--formula -a*x+b`), like any formula.
    @Option(parsing: .unconditional, help: "A formula of parameters and columns, e.g. \"b1*(1-exp(-b2*x))\" (may start with '-').") var formula: String?
    @Option(help: "Starting values for the formula's parameters: b1=500,b2=1e-4.") var start: String?
    @Option(help: "Column of weights (inverse variances).") var weights: String?
    @Flag(help: "Use finite differences instead of exact derivatives.") var finiteDifferences = false
    @Flag(help: "Do not retry from other starting points when a fit fails.") var noMultiStart = false
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let spec: FitRequest.Spec
        switch (model, formula) {
        case (nil, nil): throw InputError("give --model NAME|auto or --formula EXPR")
        case (.some, .some): throw InputError("give either --model or --formula, not both")
        case (.some(let m), nil):
            if start != nil { throw InputError("--start goes with --formula") }
            if m == "auto" {
                spec = .auto
            } else if let g = GrowthModel(rawValue: m.lowercased()) {
                spec = .model(g)
            } else {
                let names = GrowthModel.allCases.map(\.rawValue) + ["auto"]
                var message = "unknown model '\(m)'"
                if let guess = closestMatch(to: m, in: names) { message += " (did you mean '\(guess)'?)" }
                throw InputError(message + "; models: " + names.joined(separator: ", "))
            }
        case (nil, .some(let f)):
            if ceiling != nil || potential != nil { throw InputError("--ceiling and --potential go with --model") }
            spec = .formula(f, starts: try start.map { try FitRequest.parseStarts($0) } ?? [])
        }
        var options = FitOptions()
        options.solver.forceFiniteDifferences = finiteDifferences
        options.multiStart = !noMultiStart
        let table = try CSVTable.read(path: data)
        let request = FitRequest(
            x: x, y: y, spec: spec, ceiling: ceiling, potential: potential, weights: weights, options: options)
        let outcome = try FitJob.run(request, table: table)
        print(json ? FitReport.json(outcome) : FitReport.text(outcome), terminator: json ? "\n" : "")
    }
}

struct Regress: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Linear least squares (GSL SVD): coefficients, standard errors, t, p, R², F.",
        discussion: """
            Example: rkat regress data.csv --y y --x x1,x2
                     rkat regress data.csv --y y --x x --degree 3   (terms B1..B3, intercept B0)
            """)

    @Argument(help: "CSV file with a header row.") var data: String
    @Option(help: "Column of the response.") var y: String
    @Option(help: "Predictor column(s), comma separated.") var x: String
    @Option(help: "Polynomial degree in the single predictor.") var degree: Int?
    @Flag(help: "Fit without an intercept.") var noIntercept = false
    @Option(help: "Column of weights (inverse variances).") var weights: String?
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let xs = x.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let table = try CSVTable.read(path: data)
        let result = try RegressJob.run(
            RegressRequest(y: y, x: xs, degree: degree, intercept: !noIntercept, weights: weights), table: table)
        print(json ? FitReport.json(result) : FitReport.text(result), terminator: json ? "\n" : "")
    }
}
