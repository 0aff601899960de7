import TensorCore

/// Exercise 4.1 — 2x2 max pooling, forward.
///
/// **What.** `out[n, c, oy, ox] = max of input[n, c, 2oy + dy, 2ox + dx]` for dy, dx in {0, 1}.
/// If H or W is odd, the last row/column is dropped (like PyTorch's `max_pool2d(x, 2)`).
///
/// **Why.** Pooling halves the resolution; three of them take the autoencoder of lesson 4 from
/// 64x64 to an 8x8 bottleneck. Every later 3x3 conv then covers 8x more of the scene (its receptive
/// field grows fast — it can see the horizon), but fine detail that does not survive the
/// downsampling is gone from this path. The U-Net's skips (lesson 5) bring it back.
///
/// **Shapes.** in `[N, C, H, W]`, out `[N, C, H/2, W/2]` (integer division).
///
/// **Worked example.** one 2x4 plane `[1 5 2 0; 3 4 8 7]` -> `[5 8]`.
///
/// **Hint.** The top-left of block (oy, ox) in plane p is at `(p*H + 2*oy)*W + 2*ox`; the other
/// three are +1, +W, +W+1.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func maxPool2dForward(_ x: Tensor) throws -> Tensor {
    throw ExerciseError.notStarted
}
