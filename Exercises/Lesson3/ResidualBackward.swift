import TensorCore

/// Exercise 3.2 — a residual block, backward: where the gradients add.
///
/// **What.** Given dL/dy for `y = x + F(x)` (and a branch whose forward has already run), return
/// dL/dx = dL/dy + F'(x)^T dL/dy — that is `gradOutput + branch.backward(gradOutput)`.
///
/// **Why.** x reaches y along two paths: straight through the skip, and through the branch. The
/// chain rule sums the gradients of all paths. The skip's term is dL/dy *unchanged*: however
/// small the branch's gradient gets (many layers of small weights multiply it down), the skip
/// hands every block the full gradient of the block above. That uninterrupted path is what
/// "residual connections stabilise deep stacks" means; lesson 3 plots per-layer gradient norms to
/// see whether it matters for our nets.
///
/// **Shapes.** gradOutput `[N, C, H, W]`; result the same.
///
/// **Worked example.** branch doubles its input (F'(x) = 2): gradOutput `[1, 1]` -> `[1 + 2, 1 + 2]`
/// = `[3, 3]`. Returning only the branch's `[2, 2]` forgets the skip; returning only `[1, 1]`
/// forgets the branch (and its weights never receive a gradient).
///
/// **Hint.** Call `branch.backward(gradOutput)` exactly once: it *adds* into its parameters'
/// gradients, so calling it twice would double them.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`; `layer.forward(_:)`, `layer.backward(_:)`. All of it: the DocC page
/// "The API of the exercises" (`swift package generate-documentation --target TensorCore`).
public func residualBackward(_ gradOutput: Tensor, branch: Layer) throws -> Tensor {
    throw ExerciseError.notStarted
}
