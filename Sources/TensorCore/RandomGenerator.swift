#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small, fast, seeded generator (SplitMix64): the same seed gives the same numbers on every
/// machine and every Swift version, which `SystemRandomNumberGenerator` cannot promise.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), built from the top 24 bits so every value is exactly representable.
    public mutating func uniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// Uniform in [lo, hi).
    public mutating func uniform(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * uniform() }

    /// Standard normal (Box-Muller); deterministic because it never depends on libm's rounding of
    /// anything but `log`, `sqrt` and `cos`, which are correctly rounded enough to repeat exactly.
    public mutating func normal() -> Float {
        let u1 = max(Double(next() >> 11) * 0x1.0p-53, 1e-300)
        let u2 = Double(next() >> 11) * 0x1.0p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
    }

    /// A generator for an independent stream, e.g. one per worker or per scene.
    public mutating func split() -> SeededGenerator { SeededGenerator(seed: next()) }
}

extension Tensor {
    /// A tensor of `shape` with values uniform in [lo, hi), drawn in row-major order.
    public static func uniform(_ shape: [Int], _ lo: Float, _ hi: Float, using rng: inout SeededGenerator) -> Tensor {
        var t = Tensor(shape: shape)
        t.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = rng.uniform(lo, hi) } }
        return t
    }

    /// A tensor of `shape` with values normal(0, std²), drawn in row-major order.
    public static func normal(_ shape: [Int], std: Float = 1, using rng: inout SeededGenerator) -> Tensor {
        var t = Tensor(shape: shape)
        t.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = std * rng.normal() } }
        return t
    }
}
