import Foundation
import TensorCore

/// Seeded draws from an exercise's whole input domain, for the sweep that ends each check: the
/// answer against the solution on `trials` random cases — odd and degenerate shapes (sides 1 to
/// 9), every parameter and hyper-parameter drawn, values from 1e-3 to 1e4 in size. The worked
/// cases before it were chosen by hand, and share the blind spots of whoever chose them.
struct Domain {
    static let trials = 20
    private var rng: SeededGenerator

    /// Runs `trial` `trials` times on fresh draws (the same draws every run); a mismatch names
    /// the trial, and its context the case.
    static func sweep(seed: UInt64, _ trial: (inout Domain) throws -> Void) throws {
        var domain = Domain(rng: SeededGenerator(seed: seed))
        for i in 1...trials {
            do { try trial(&domain) } catch var mismatch as Mismatch {
                mismatch.context = "random case \(i) of \(trials), \(mismatch.context)"
                throw mismatch
            }
        }
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(rng.next() % UInt64(range.count)) }
    mutating func float(_ lo: Float, _ hi: Float) -> Float { rng.uniform(lo, hi) }
    mutating func bool() -> Bool { rng.next() % 2 == 0 }
    /// 10^k, k drawn from `exponents`: values far from the unit range of the worked cases.
    mutating func magnitude(_ exponents: ClosedRange<Int> = -3...4) -> Float { Float(pow(10, Double(int(exponents)))) }
    /// [N, C, H, W] with every side drawn.
    mutating func shape(batch: ClosedRange<Int> = 1...3, channels: ClosedRange<Int> = 1...5,
                        height: ClosedRange<Int> = 1...9, width: ClosedRange<Int> = 1...9) -> [Int] {
        [int(batch), int(channels), int(height), int(width)]
    }
    /// Uniform in [-magnitude, magnitude] (or [0, magnitude]).
    mutating func tensor(_ shape: [Int], _ magnitude: Float, nonNegative: Bool = false) -> Tensor {
        Tensor.uniform(shape, nonNegative ? 0 : -magnitude, magnitude, using: &rng)
    }
    /// `shape` with one entry one larger, each entry in turn: for refusals tested once per dimension.
    static func oneDimensionOff(_ shape: [Int]) -> [[Int]] {
        shape.indices.map { dimension in
            var changed = shape
            changed[dimension] += 1
            return changed
        }
    }
}
