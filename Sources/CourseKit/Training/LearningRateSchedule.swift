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

    /// Steps over which the rate climbs linearly from almost 0 to `peak`: a tenth of the run. The
    /// first gradients are about 100 times their size at the peak (U-Net: norm 5.3 at step 1, 0.04
    /// at step 150), and Adam's first steps move every weight by about the full rate at once.
    /// The warmup does not make a too-high peak safe: at 8e-3, 7 of 50 U-Nets still collapsed or
    /// died in part right after it, and a warmup of 30% of the run saved 2 of those 7 (see
    /// docs/STABILITY.md).
    /// What keeps runs stable is the peak rate and `GradientClip`.
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
