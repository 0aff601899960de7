import Foundation

/// The learning rate of every step of a run, as a value: a linear warmup to `peak`, then a half
/// cosine down to `finalFraction` of it. Big steps early, fine ones at the end.
///
/// `Trainer` sets its optimizer's `learningRate` from it before each update.
public struct LearningRateSchedule: Sendable, Equatable {
    public var peak: Double
    public var steps: Int
    /// Where the cosine ends, as a fraction of `peak`.
    public var finalFraction = 0.05

    public init(peak: Double, steps: Int, finalFraction: Double = 0.05) {
        self.peak = peak
        self.steps = steps
        self.finalFraction = finalFraction
    }

    /// Steps over which the rate climbs linearly from almost 0 to `peak`: Adam's first steps move
    /// every weight by about the full learning rate at once, which can throw a freshly initialised
    /// network into a state it never leaves (every ReLU of a layer dead, one flat color out).
    /// Measured with `tools/check-claims.sh 1 ... 10`: with 30 warmup steps the autoencoder of
    /// seed 2 collapsed at step ~107 of 2000 (loss stuck at 0.03, the predict-the-mean level); a
    /// tenth of the run fixes it (see ColorizerSteps for the sweep).
    public var warmupSteps: Int { steps / 10 }

    /// The rate for `step` (0-based).
    public func rate(at step: Int) -> Double {
        if step < warmupSteps { return peak * Double(step + 1) / Double(warmupSteps) }
        let span = steps - warmupSteps
        let progress = span > 1 ? Double(step - warmupSteps) / Double(span - 1) : 1
        let cosine = 0.5 * (1 + cos(Double.pi * progress))
        return peak * (finalFraction + (1 - finalFraction) * cosine)
    }
}
