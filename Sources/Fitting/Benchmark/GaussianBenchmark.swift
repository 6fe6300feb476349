import CGSL
import Foundation

/// `rkat bench gaussian`: nanoseconds per N(0, 1) draw, GSL's `gsl_ran_gaussian_ziggurat` on taus2
/// against the inline taus2 + ziggurat of `GaussianSource` that the Monte Carlo month loop uses.
public enum GaussianBenchmark {
    public struct Figures: Sendable {
        public var draws: Int
        public var gslNanoseconds: Double
        public var inlineNanoseconds: Double
    }

    public static func run(draws: Int = 50_000_000) -> Figures {
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1024)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0)
        var sink = 0.0

        let gsl = RandomStream(seed: 1)
        var t = clock.now
        for start in stride(from: 0, to: draws, by: 1024) {
            for i in 0..<min(1024, draws - start) { buffer[i] = gsl.gaussian(sd: 1) }
            sink += buffer[0]
        }
        let gslSeconds = seconds(clock.now - t)

        let inline = RandomStream(seed: 1)
        t = clock.now
        withExtendedLifetime(inline) {
            let source = inline.gaussians
            for start in stride(from: 0, to: draws, by: 1024) {
                source.fill(buffer, 0..<min(1024, draws - start), sd: 1)
                sink += buffer[0]
            }
        }
        let inlineSeconds = seconds(clock.now - t)
        // Keeps the loops from being optimised away.
        if sink.isNaN { print(sink) }
        return Figures(draws: draws, gslNanoseconds: gslSeconds / Double(draws) * 1e9, inlineNanoseconds: inlineSeconds / Double(draws) * 1e9)
    }
}
