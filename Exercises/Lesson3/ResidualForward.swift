import TensorCore

/// Exercise 3.1 — a residual block, forward: `y = x + F(x)`.
///
/// **What.** Run the branch `F` (any layer, e.g. conv-ReLU-conv) on x and add x back.
///
/// **Why.** This is a *short* skip connection. The branch only has to learn a correction to its
/// input, and if it learns nothing the block is the identity, so stacking more blocks can never
/// make the net start worse. Lesson 3 compares a deep plain stack with the same stack built from
/// such blocks. (The *long* skips of the U-Net, lesson 5, are a different tool: they carry detail
/// past the bottleneck. Both are "skip connections"; the course's question is about both.)
///
/// **Shapes.** x `[N, C, H, W]`; the branch must return the same shape (throw a `CourseError` if
/// it does not — a residual needs matching shapes).
///
/// **Worked example.** x `[1, -2]`, branch doubles its input -> F(x) `[2, -4]`, y `[3, -6]`.
///
/// **Hint.** Call `branch.forward(x)` exactly once (it remembers its input for backward).
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`; `layer.forward(_:)`, `layer.backward(_:)`; `throw CourseError("…")` for
/// bad input. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func residualForward(_ x: Tensor, branch: Layer) throws -> Tensor {
    throw ExerciseError.notStarted
}
