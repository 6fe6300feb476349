/// `--model auto`: fit every growth curve and rank them by AICc.
public struct ModelChoice: Sendable {
    public struct Candidate: Sendable {
        public var model: GrowthModel
        /// Nil when the model could not be fitted; `failure` then says why.
        public var result: FitResult?
        public var failure: String?
    }

    /// Best first: fitted models by AICc (those without AICc, as with n ≤ p + 2, after them by AIC),
    /// then the ones that failed.
    public var candidates: [Candidate]

    /// The chosen model: the first fitted candidate.
    public var chosen: Candidate? { candidates.first { $0.result != nil } }

    public static func rank(
        times: [Double], values: [Double], weights: [Double]? = nil, ceiling: CeilingSpec = .free,
        models: [GrowthModel] = GrowthModel.allCases, options: FitOptions = FitOptions()
    ) throws(FitError) -> ModelChoice {
        var out: [Candidate] = []
        // A model that cannot take the data (a logistic curve and negative values) is skipped with its
        // reason, like a model that fails to converge; only when no model can take them is it an error.
        var inputErrors: [FitError] = []
        for model in models {
            do {
                let r = try GrowthFitting.fit(
                    model, times: times, values: values, weights: weights, ceiling: ceiling, options: options)
                out.append(Candidate(model: model, result: r, failure: nil))
            } catch {
                if error.isInputError && !isTooFew(error) { inputErrors.append(error) }
                out.append(Candidate(model: model, result: nil, failure: error.description))
            }
        }
        if inputErrors.count == models.count, let first = inputErrors.first { throw first }
        func key(_ c: Candidate) -> (Int, Double) {
            guard let r = c.result else { return (2, 0) }
            if let a = r.aicc { return (0, a) }
            return (1, r.aic ?? .infinity)
        }
        // Stable order on ties: the order of `models` (simpler first).
        let sorted = out.enumerated().sorted { a, b in
            let ka = key(a.element), kb = key(b.element)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
        guard sorted.contains(where: { $0.result != nil }) else {
            throw .didNotConverge("no growth model could be fitted: " + out.compactMap { c in c.failure.map { "\(c.model.rawValue): \($0)" } }.joined(separator: "; "))
        }
        return ModelChoice(candidates: sorted)
    }

    private static func isTooFew(_ e: FitError) -> Bool {
        if case .tooFewObservations = e { return true }
        return false
    }
}
