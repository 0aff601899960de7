import TensorCore

/// Exercise 5.2 — channel concatenation, backward: where the gradient splits.
///
/// **What.** Split dL/dout `[N, Ca + Cb, H, W]` back into dL/da (the first `channelsOfA` channels
/// of each image) and dL/db (the rest).
///
/// **Why.** Concatenation only moves values, so its backward only moves gradients. The part for b
/// flows straight back into the encoder level that made it — a short route from the loss to the
/// early layers that bypasses the bottleneck (compare the residual's backward, exercise 3.2, where
/// gradients *add*; here they *split*). The encoder's output then receives gradient from two
/// consumers — its skip and its pool — and those two add.
///
/// **Shapes.** gradOutput `[N, C, H, W]`, 0 <= channelsOfA <= C; returns
/// `(a: [N, channelsOfA, H, W], b: [N, C - channelsOfA, H, W])`.
///
/// **Worked example.** gradOutput `[g0 g1 g2 | h0 h1 h2]` (N = 2, C = 3, H = W = 1),
/// channelsOfA 1 -> a `[g0 | h0]`, b `[g1 g2 | h1 h2]`.
///
/// **Hint.** The mirror image of 5.1: for each n, the first `channelsOfA*H*W` values of the
/// image's block go to a, the rest to b.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func concatBackward(_ gradOutput: Tensor, channelsOfA: Int) throws -> (a: Tensor, b: Tensor) {
    throw ExerciseError.notStarted
}
