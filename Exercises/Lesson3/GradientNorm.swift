import TensorCore

/// Exercise 3.3 — the size of a gradient.
///
/// **What.** The Euclidean (L2) norm of all values: `sqrt(sum of t[i]^2)`.
///
/// **Why.** Lesson 3 measures, after one backward pass, the norm of each layer's weight gradient,
/// from the loss down to the input. In a deep plain stack these can shrink layer by layer (the
/// vanishing gradient); with residual skips they should stay level. This one number per layer is
/// how we look — and report what we actually see.
///
/// **Shapes.** any tensor; returns a Float >= 0.
///
/// **Worked example.** `[3, 4]` -> 5; `[1, 1, 1, 1]` -> 2.
///
/// **Hint.** Sum the squares in a `Double` (a million Float32 squares lose digits, and an exploding
/// gradient's 1e20 squared overflows a Float), then take the square root. Not the mean, not the
/// sum of squares.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func gradientNorm(_ t: Tensor) throws -> Float {
    throw ExerciseError.notStarted
}
