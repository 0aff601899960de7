import TensorCore

/// Exercise 4.2 — 2x2 max pooling, backward.
///
/// **What.** Each output was one input (the block's maximum), so its gradient goes to that input
/// alone; the other three inputs of the block get 0. On a tie, the first maximum in reading order
/// (top-left, top-right, bottom-left, bottom-right) wins. Dropped odd rows/columns get 0.
///
/// **Why.** This "routing" is why max pooling keeps the *strongest* detail but forgets *where*
/// inside the block it was — the decoder has to guess the position back, one source of the
/// autoencoder's blur.
///
/// **Shapes.** input `[N, C, H, W]` (the forward's input), gradOutput `[N, C, H/2, W/2]`;
/// result `[N, C, H, W]`.
///
/// **Worked example.** input plane `[1 5; 3 4]`, gradOutput `[10]` -> `[0 10; 0 0]`.
/// Spreading 10/4 to all four (average pooling's backward) is the classic wrong answer.
///
/// **Hint.** Recompute the argmax of each block from `input`, then add the gradient there.
/// Use `>` (not `>=`) when comparing, so the first maximum stays the winner.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func maxPool2dBackward(input: Tensor, gradOutput: Tensor) throws -> Tensor {
    throw ExerciseError.notStarted
}
