import TensorCore

/// Exercise 2.5 — one Adam step.
///
/// **What.** For every element, with t = `step` (counting from 1):
/// ```
/// m = beta1 * m + (1 - beta1) * g
/// v = beta2 * v + (1 - beta2) * g * g
/// mHat = m / (1 - beta1^t)           // bias correction: m and v start at 0
/// vHat = v / (1 - beta2^t)
/// value = value - learningRate * mHat / (sqrt(vHat) + epsilon)
/// ```
/// Return the new value, m and v.
///
/// **Why.** Adam gives every weight its own step size: roughly `learningRate` in the direction of
/// the recent average gradient, whatever the gradient's scale. That is why one learning rate
/// (3e-3) trains every model of the course. Without bias correction the first steps are far too
/// small (m is 10x too small at t = 1 with beta1 = 0.9). The flip side: v remembers about 1000
/// steps, so a gradient suddenly 100x the recent ones is divided by a sqrt(v) that has not caught
/// up, and the step comes out up to (1 - beta1) / sqrt(1 - beta2) = 3.2x learningRate, repeated
/// by the momentum — the course's trainer scales such gradients down first (`GradientClip`).
/// It remembers a huge start just as long: a seed whose first loss is large trains at a fraction
/// of the rate for most of its run (docs/STABILITY.md, "the init lottery").
///
/// **Shapes.** value, gradient, m, v all the same shape; results the same.
///
/// **Worked example.** value 1, g 0.5, m 0, v 0, t 1, lr 0.1, betas 0.9/0.999, eps 1e-8:
/// m = 0.05, v = 0.00025, mHat = 0.5, vHat = 0.25, value = 1 - 0.1 * 0.5/0.5 = 0.9.
/// (The first step always moves each weight by about lr, in the direction of -g.)
///
/// **Hint.** `pow(beta1, Float(step))` needs `import Foundation`. Epsilon is added
/// *after* the square root.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func adamStep(value: Tensor, gradient: Tensor, m: Tensor, v: Tensor, step: Int,
                     learningRate: Float, beta1: Float, beta2: Float, epsilon: Float) throws
    -> (value: Tensor, m: Tensor, v: Tensor)
{
    throw ExerciseError.notStarted
}
