import TensorCore

/// Exercise 2.4 — the loss: mean squared error and its gradient.
///
/// **What.** `loss = mean over all elements of (prediction - target)^2` and its gradient
/// `dL/dprediction = 2 * (prediction - target) / count`, where count is the number of elements
/// (N*C*H*W), not the batch size.
///
/// **Why.** MSE is the course's training signal: it says how far the predicted colors are from
/// the true ones, and its gradient is where backward starts. PSNR (exercise 6.2) is this same
/// number on a log scale. MSE is also why blurry outputs are "safe": when the network is unsure
/// between two colors, their average minimizes the squared error.
///
/// **Shapes.** prediction and target `[N, C, H, W]` (any equal shapes); gradient the same shape.
///
/// **Worked example.** prediction `[1, 2]`, target `[0, 0]`: loss = (1 + 4)/2 = 2.5,
/// gradient = `[2*1/2, 2*2/2]` = `[1, 2]`.
///
/// **Hint.** One loop computing `d = p - t`, summing `d*d`; the gradient is `2*d/count`. Throw a
/// `CourseError` for different shapes.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`; `throw CourseError("…")` for bad input. All of it: the DocC page "The
/// API of the exercises" (`swift package generate-documentation --target TensorCore`).
public func meanSquaredError(prediction: Tensor, target: Tensor) throws -> (loss: Float, gradient: Tensor) {
    throw ExerciseError.notStarted
}
