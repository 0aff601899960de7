import TensorCore

/// Exercise 5.1 — channel concatenation, forward: how a U-Net skip joins the decoder.
///
/// **What.** Stack the channels of `a` and then those of `b`, image by image:
/// out `[N, Ca + Cb, H, W]` with `out[n, c] = a[n, c]` for c < Ca and `b[n, c - Ca]` after.
///
/// **Why.** This is the long skip. The decoder at level i receives the upsampled bottleneck path
/// (`a`: what the network understood about the whole scene — which region is lake) *and* the
/// encoder's activations at the same resolution (`b`: where exactly each grass blade and flower
/// is). The next conv can mix both. Remove `b` and the decoder must invent the detail — it blurs.
/// The order matters only in that the next layer's weights were learned for it: swapping a and b
/// feeds each weight the wrong channel.
///
/// **Shapes.** a `[N, Ca, H, W]`, b `[N, Cb, H, W]` (same N, H, W — throw a `CourseError`
/// otherwise); out `[N, Ca + Cb, H, W]`.
///
/// **Worked example.** N = 2, H = W = 1: a = `[a0 | a1]` (1 channel), b = `[b0 b0' | b1 b1']`
/// (2 channels) -> out `[a0 b0 b0' | a1 b1 b1']`, shape `[2, 3, 1, 1]`. Appending all of b after
/// all of a would give `[a0 a1 b0 ...]` — wrong as soon as N > 1.
///
/// **Hint.** In NCHW one image's channels are one contiguous block: for each n, append a's block
/// (`Ca*H*W` values) then b's block.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`; `throw CourseError("…")` for bad input. All of it: the DocC page "The
/// API of the exercises" (`swift package generate-documentation --target TensorCore`).
public func concatForward(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    throw ExerciseError.notStarted
}
