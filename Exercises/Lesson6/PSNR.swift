import TensorCore

/// Exercise 6.2 — peak signal-to-noise ratio.
///
/// **What.** `PSNR = 10 * log10(range^2 / MSE)` with range 1 (our pixels are in [0, 1]) and MSE
/// the mean of (prediction - target)^2 over *all* values. Equal tensors: `+infinity`.
///
/// **Why.** The course's headline number, in decibels: +3 dB halves the squared error, +10 dB
/// divides it by 10. Every lesson prints it for each model it trains, next to the reference
/// run's (Reference/lessonN/metrics.json). PSNR on the low and high bands (6.4) splits it into
/// "big picture" and "detail".
///
/// **Shapes.** equal shapes (throw a `CourseError` otherwise); returns a Float.
///
/// **Worked example.** every value off by 0.1: MSE 0.01, PSNR = 10 * log10(100) = 20 dB.
///
/// **Hint.** Accumulate the squared error in a `Double`. `log10` needs `import Foundation`.
/// The log of the mean, not the mean of per-pixel logs.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`; `throw CourseError("…")` for bad input. All of it: the DocC page "The
/// API of the exercises" (`swift package generate-documentation --target TensorCore`).
public func psnr(prediction: Tensor, target: Tensor) throws -> Float {
    throw ExerciseError.notStarted
}
