/// Why a fit could not be made. `isInputError` separates bad input (exit 2) from a fit that failed (exit 1).
public enum FitError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidInput(String)
    case tooFewObservations(needed: Int, got: Int)
    case notFiniteAtStart
    case didNotConverge(String)
    case gsl(GSLError)

    public var isInputError: Bool {
        switch self {
        case .invalidInput, .tooFewObservations: return true
        case .notFiniteAtStart, .didNotConverge, .gsl: return false
        }
    }

    public var description: String {
        switch self {
        case .invalidInput(let m): return m
        case .tooFewObservations(let needed, let got):
            return "too few observations: the model has \(needed) parameters and needs at least \(needed) points (got \(got))"
        case .notFiniteAtStart:
            return "the model is not finite at the starting values (check the start, e.g. log or sqrt of a negative, division by zero)"
        case .didNotConverge(let m): return "the fit did not converge: \(m)"
        case .gsl(let e): return e.description
        }
    }

    /// Why, in the planner's language: Indonesian says what failed without the solver's English detail
    /// (`description`, which `rkat fit` and the English keep whole).
    public var phrase: Phrase {
        switch self {
        case .invalidInput: return Phrase("masukan pencocokan tidak sah", description)
        case .gsl: return Phrase("galat GSL", description)
        case .tooFewObservations(let needed, let got):
            return Phrase("terlalu sedikit titik: model ini memiliki \(needed) parameter dan memerlukan sedikitnya \(needed) titik (ada \(got))", description)
        case .notFiniteAtStart:
            return Phrase("nilai model tidak hingga atau tidak terdefinisi pada nilai awal", description)
        case .didNotConverge:
            return Phrase("tidak konvergen", description)
        }
    }

    public static func == (a: FitError, b: FitError) -> Bool { a.description == b.description }
}
