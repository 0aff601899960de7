import TensorCore

/// Exercise 6.1 — a 1-D Gaussian kernel (used by 6.3 SSIM and 6.4 band split).
///
/// **What.** `w[i] = exp(-(i - radius)^2 / (2 sigma^2))` for i in 0...2*radius, divided by their
/// sum so that the weights add up to 1.
///
/// **Why.** Blurring with a Gaussian keeps the low spatial frequencies (broad colors, the big
/// picture) and removes the high ones (edges, blades, speckle). Because a 2-D Gaussian is the
/// product of two 1-D ones, a 2-D blur is a row blur followed by a column blur with this kernel.
///
/// **Shapes.** out `[2*radius + 1]`. Throw a `CourseError` for sigma <= 0 or radius < 0.
///
/// **Worked example.** sigma 1, radius 1: raw weights `[e^-0.5, 1, e^-0.5]` = `[0.6065, 1, 0.6065]`,
/// sum 2.2131 -> `[0.2741, 0.4519, 0.2741]`.
///
/// **Hint.** `exp` needs `import Foundation`. Don't forget to normalize.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`; `throw CourseError("…")` for bad input. All of it: the DocC page "The
/// API of the exercises" (`swift package generate-documentation --target TensorCore`).
public func gaussianKernel(sigma: Float, radius: Int) throws -> Tensor {
    throw ExerciseError.notStarted
}
