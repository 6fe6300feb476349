import CGSL
import Foundation

/// Gaussian draws for the Monte Carlo month loop, 10⁹ of them in the national benchmark: GSL's taus2
/// generator stepped inline on the stream's own state, and Marsaglia and Tsang's ziggurat (J. Stat.
/// Softw. 5(8), 2000) with 128 layers, inlined. Through GSL's calls (`gsl_rng_get` goes through a
/// function pointer, `gsl_ran_gaussian_ziggurat` is another call) a draw costs 10–20 ns on the
/// project's machines, the largest single cost of a simulation; inline it is about 5 ns
/// (`rkat bench gaussian`). The stream
/// stays GSL's: the same state, seeded by `gsl_rng_set`, and the same sequence as `gsl_rng_get`
/// (tested); only the Gaussian transform is ours, tested against GSL's normal CDF.
public struct GaussianSource {
    /// taus2's state (three unsigned longs, s1, s2, s3), inside the GSL stream.
    @usableFromInline let state: UnsafeMutablePointer<UInt>
    @usableFromInline let tables: Ziggurat

    init(rng: UnsafeMutablePointer<gsl_rng>) {
        precondition(gsl_rng_name(rng).map { String(cString: $0) } == "taus2", "GaussianSource steps taus2 only")
        state = rng.pointee.state.assumingMemoryBound(to: UInt.self)
        tables = Ziggurat.shared
    }

    /// out[i] = sd · Z for i in `range`, Z standard normal, in order along the stream. Bits 0–6 of a
    /// taus2 output pick the ziggurat's layer, bit 7 the sign, bits 8–31 the magnitude (so layer and
    /// magnitude never share bits).
    @inlinable
    public func fill(_ out: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, sd: Double) {
        var g = Taus2(s1: state[0], s2: state[1], s3: state[2])
        let k = tables.k, w = tables.w
        // Bit 7 becomes the sign bit by xor, not by a branch the CPU would mispredict half the time.
        @inline(__always) func signed(_ x: Double, _ bits: UInt32) -> Double {
            Double(bitPattern: x.bitPattern ^ (UInt64(bits & 0x80) << 56))
        }
        var i = range.lowerBound
        while i < range.upperBound {
            // The common case in a loop of its own, with no call in it, so everything stays in
            // registers; a draw that needs the rare path leaves it and is finished below.
            var bits: UInt32 = 0
            while i < range.upperBound {
                bits = g.next()
                let layer = Int(bits & 0x7f), u = bits >> 8
                guard u < k[layer] else { break }
                out[i] = sd * signed(Double(u) * w[layer], bits)
                i += 1
            }
            guard i < range.upperBound else { break }
            // The state goes to the rare path and back by value; a rejected point starts draw i over.
            let (x, next) = tables.edge(g, layer: Int(bits & 0x7f), magnitude: bits >> 8)
            g = next
            if let x {
                out[i] = sd * signed(x, bits)
                i += 1
            }
        }
        state[0] = g.s1
        state[1] = g.s2
        state[2] = g.s3
    }

    /// One draw of N(0, sd²).
    @inlinable
    public func next(sd: Double) -> Double {
        var z = 0.0
        withUnsafeMutablePointer(to: &z) { fill(UnsafeMutableBufferPointer(start: $0, count: 1), 0..<1, sd: sd) }
        return z
    }
}

/// L'Ecuyer's maximally equidistributed combined Tausworthe generator (Math. Comp. 65, 1996), as
/// GSL's taus2 steps it: 32-bit outputs kept in 64-bit words.
@usableFromInline
struct Taus2 {
    @usableFromInline var s1: UInt, s2: UInt, s3: UInt

    @inlinable init(s1: UInt, s2: UInt, s3: UInt) {
        self.s1 = s1
        self.s2 = s2
        self.s3 = s3
    }

    @inlinable @inline(__always)
    mutating func next() -> UInt32 {
        let mask: UInt = 0xffff_ffff
        s1 = (((s1 & 4_294_967_294) << 12) & mask) ^ ((((s1 << 13) & mask) ^ s1) >> 19)
        s2 = (((s2 & 4_294_967_288) << 4) & mask) ^ ((((s2 << 2) & mask) ^ s2) >> 25)
        s3 = (((s3 & 4_294_967_280) << 17) & mask) ^ ((((s3 << 3) & mask) ^ s3) >> 11)
        return UInt32(truncatingIfNeeded: s1 ^ s2 ^ s3)
    }

    /// Uniform on (0, 1).
    @inlinable mutating func uniform() -> Double { (Double(next()) + 0.5) * 0x1p-32 }
}

/// The ziggurat's tables (Marsaglia and Tsang's construction, with a 24-bit magnitude): layer i
/// spans [0, x_i]; a magnitude u below k[i] lies under the curve for sure (x = u·w[i] < x_(i−1)),
/// which is 98.8% of draws; f[i] = exp(−x_i²/2). Layer 0 is the base strip with the tail beyond r.
@usableFromInline
// Unchecked: the tables are written once, in init, and only read after.
final class Ziggurat: @unchecked Sendable {
    static let shared = Ziggurat()
    @usableFromInline static let r = 3.442619855899
    @usableFromInline let k: UnsafeMutablePointer<UInt32>
    @usableFromInline let w: UnsafeMutablePointer<Double>
    @usableFromInline let f: UnsafeMutablePointer<Double>

    private init() {
        k = .allocate(capacity: 128)
        w = .allocate(capacity: 128)
        f = .allocate(capacity: 128)
        let m = 16_777_216.0  // 2^24
        let v = 9.91256303526217e-3  // the area of each layer
        var dn = Self.r, tn = dn
        let q = v / exp(-0.5 * dn * dn)
        k[0] = UInt32(Whole.clamped(dn / q * m))  // below 2^31 by construction
        k[1] = 0
        w[0] = q / m
        w[127] = dn / m
        f[0] = 1
        f[127] = exp(-0.5 * dn * dn)
        for i in stride(from: 126, through: 1, by: -1) {
            dn = (-2 * log(v / dn + exp(-0.5 * dn * dn))).squareRoot()
            k[i + 1] = UInt32(Whole.clamped(dn / tn * m))
            tn = dn
            f[i] = exp(-0.5 * dn * dn)
            w[i] = dn / m
        }
    }

    deinit {
        k.deallocate()
        w.deallocate()
        f.deallocate()
    }

    /// The rare cases: the tail beyond r (Marsaglia's method), or a point near a layer's curved edge,
    /// accepted when under the curve; nil to start over.
    @usableFromInline @inline(never)
    func edge(_ state: Taus2, layer i: Int, magnitude u: UInt32) -> (Double?, Taus2) {
        var g = state
        if i == 0 {
            while true {
                let x = -log(g.uniform()) / Self.r, y = -log(g.uniform())
                if y + y >= x * x { return (Self.r + x, g) }
            }
        }
        let x = Double(u) * w[i]
        return (f[i] + g.uniform() * (f[i - 1] - f[i]) < exp(-0.5 * x * x) ? x : nil, g)
    }
}
