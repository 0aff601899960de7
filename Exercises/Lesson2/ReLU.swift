import TensorCore

/// Exercise 2.3 (part 1 of 2) — ReLU, forward: `max(0, x)` for every value.
///
/// **Why.** Without a non-linearity between them, 7 convolutions collapse into one big linear
/// filter. ReLU is the cheapest non-linearity, and its gradient is 0 or 1 — it neither shrinks nor
/// grows gradients where it is active, which matters for deep stacks (lesson 3).
///
/// **Shapes.** out has the input's shape.
///
/// **Worked example.** `[-2, 0, 3]` -> `[0, 0, 3]`.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func reluForward(_ x: Tensor) throws -> Tensor {
    throw ExerciseError.notStarted
}

/// Exercise 2.3 (part 2 of 2) — ReLU, backward.
///
/// **What.** dL/dx = dL/dy where the forward *input* was positive, else 0. At exactly x == 0 the
/// gradient is 0 (PyTorch's convention, and the one the check uses).
///
/// **Shapes.** input and gradOutput have the same shape; so does the result.
///
/// **Worked example.** input `[-2, 0, 3]`, gradOutput `[5, 6, 7]` -> `[0, 0, 7]`.
///
/// **Hint.** `zip(input.values, gradOutput.values).map { ... }`. Passing the gradient
/// unchanged (forgetting the mask) or returning the 0/1 mask itself are the two usual slips.
public func reluBackward(input: Tensor, gradOutput: Tensor) throws -> Tensor {
    throw ExerciseError.notStarted
}
