import TensorCore

/// Exercise 7.1 — softmax cross-entropy, forward and backward.
///
/// **What.** `logits` is `[N, C, H, W]`: C scores per pixel, one per class. `labels` holds the
/// true class (0 ..< C) of every pixel, N*H*W of them in row-major order (image, row, column).
/// For each pixel, softmax turns its C scores into probabilities `p_k = exp(z_k) / Σ_j exp(z_j)`;
/// the loss is the mean over all N*H*W pixels of `-log p_label`. The gradient with respect to the
/// logits has the shape of `logits`: `(p_k - (k == label ? 1 : 0)) / (N*H*W)`.
///
/// **Why.** Lesson 7 trains the three models to *label* pixels (sky, lake, grass, dirt, flower,
/// horse) instead of painting them. Softmax minus one-hot is the simplest gradient of the course:
/// every pixel pushes its true class up and every other class down, in proportion to how sure it was.
///
/// **Shapes.** logits `[N, C, H, W]` (C ≥ 2), labels `N*H*W` values in `0 ..< C` (throw a
/// `CourseError` otherwise); gradient `[N, C, H, W]`. Channel k of pixel (n, y, x) is at offset
/// `((n*C + k)*H + y)*W + x` (exercise 1.1).
///
/// **Worked example.** one pixel, C = 2, logits (0, 0), label 1: p = (0.5, 0.5), loss = log 2 =
/// 0.6931, gradient (0.5, -0.5).
///
/// **Hint.** Subtract the pixel's largest logit m before `exp` (the softmax does not change, and
/// exp(1000) no longer overflows), and write the loss as `log Σ exp(z_j - m) - (z_label - m)`: a
/// probability that underflows to 0 would make `-log p` infinite. Accumulate the loss in a
/// `Double`. `exp`/`log` need `import Foundation`.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`; `throw CourseError("…")` for bad input. All of it: the DocC page "The
/// API of the exercises" (`swift package generate-documentation --target TensorCore`).
public func softmaxCrossEntropy(logits: Tensor, labels: [Int]) throws -> (loss: Float, gradient: Tensor) {
    throw ExerciseError.notStarted
}
