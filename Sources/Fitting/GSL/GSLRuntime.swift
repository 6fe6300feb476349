import CGSL

/// A GSL call that returned a non-zero status, with GSL's own message.
public struct GSLError: Error, Sendable, CustomStringConvertible {
    public let status: Int32
    public let message: String
    /// What rkat was doing when GSL complained, e.g. "nonlinear least squares".
    public let context: String

    public init(status: Int32, context: String) {
        self.status = status
        self.context = context
        self.message = String(cString: gsl_strerror(status))
    }

    public var description: String { "\(context): \(message) (GSL status \(status))" }
}

/// Process-wide GSL set-up. GSL's default error handler calls abort(); rkat turns it off once,
/// before its first GSL call, so every failure comes back as a status that becomes a `GSLError`.
enum GSLRuntime {
    /// Swift initialises a global `let` exactly once, thread-safely, on first use.
    private static let handlerOff: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    /// Call before any GSL function. Cheap after the first call.
    @inline(__always)
    static func ensureReady() {
        _ = handlerOff
    }

    /// Throws a `GSLError` for any status other than success.
    @inline(__always)
    static func check(_ status: Int32, _ context: @autoclosure () -> String) throws(GSLError) {
        if status != Int32(GSL_SUCCESS) { throw GSLError(status: status, context: context()) }
    }
}

/// Versions for provenance (run.json, the xlsx "Provenance" sheet).
public enum GSLVersion {
    public static var string: String {
        GSLRuntime.ensureReady()
        return String(cString: cgsl_version())
    }
}

/// The standard normal distribution's quantiles (Φ⁻¹), for assumption quantiles.
public enum StandardNormal {
    /// The q-quantile of N(0, 1), 0 < q < 1.
    public static func quantile(_ q: Double) -> Double {
        GSLRuntime.ensureReady()
        return gsl_cdf_ugaussian_Pinv(q)
    }
}

/// Student-t quantiles and tail probabilities, used for confidence intervals and p-values.
public enum StudentT {
    /// The q-quantile of the t distribution with `dof` degrees of freedom.
    public static func quantile(_ q: Double, dof: Double) -> Double {
        GSLRuntime.ensureReady()
        return gsl_cdf_tdist_Pinv(q, dof)
    }

    /// Two-sided p-value for a t statistic.
    static func twoSidedP(_ t: Double, dof: Double) -> Double {
        GSLRuntime.ensureReady()
        return 2 * gsl_cdf_tdist_Q(abs(t), dof)
    }
}

/// Upper tail of the F distribution, for the regression F test and the seasonality test of calibration.
public enum FisherF {
    public static func upperTail(_ f: Double, dof1: Double, dof2: Double) -> Double {
        GSLRuntime.ensureReady()
        return gsl_cdf_fdist_Q(f, dof1, dof2)
    }
}

/// The exact (Clopper–Pearson) interval of a binomial proportion, from GSL's beta quantiles: for k
/// successes of n, [B⁻¹(α/2; k, n − k + 1), B⁻¹(1 − α/2; k + 1, n − k)], 0 and 1 at the ends.
/// At k = n the lower end is (α/2)^(1/n) and at k = 0 the upper end 1 − (α/2)^(1/n) (the beta
/// quantile with a parameter 1 in closed form), so GSL's quantile is never asked for a parameter of
/// 0, where it does not return.
public enum BinomialInterval {
    public static func clopperPearson(successes k: Int, trials n: Int, confidence: Double = 0.95) -> (low: Double, high: Double) {
        precondition(n > 0 && k >= 0 && k <= n && confidence > 0 && confidence < 1)
        GSLRuntime.ensureReady()
        let alpha = 1 - confidence
        let edge = pow(alpha / 2, 1 / Double(n))
        if k == 0 { return (0, 1 - edge) }
        if k == n { return (edge, 1) }
        let low = gsl_cdf_beta_Pinv(alpha / 2, Double(k), Double(n - k + 1))
        let high = gsl_cdf_beta_Pinv(1 - alpha / 2, Double(k + 1), Double(n - k))
        return (low, high)
    }
}
