import TensorCore

/// Exercise 1.3 — from PNG pixels to a tensor.
///
/// **What.** A decoded PNG gives pixels *interleaved*, row by row: `R G B R G B ...` (layout
/// HWC). Return the same picture as a planar tensor `[1, C, H, W]` (layout NCHW): all R values,
/// then all G, then all B.
///
/// **Why.** Convolutions read one channel's plane at a time, so planar (NCHW) keeps their inner
/// loops on consecutive memory. Images on disk are interleaved. This conversion is the bridge
/// between PixelIO and TensorCore — and a favorite place for a silent bug: a tensor with x and y
/// swapped still has the right number of values, it just shows a transposed picture.
///
/// **Shapes.** `pixels.count == height * width * channels`; out `[1, channels, height, width]`.
///
/// **Worked example.** width 2, height 1, channels 3, pixels `[r0, g0, b0, r1, g1, b1]` ->
/// values `[r0, r1, g0, g1, b0, b1]` with shape `[1, 3, 1, 2]`.
///
/// **Hint.** The value for (c, y, x) is at `(y*width + x)*channels + c` in `pixels` and goes to
/// `(c*height + y)*width + x` in the tensor. Throw a `CourseError` when the count does not match.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`; `throw CourseError("…")` for bad input. All of it: the DocC page "The
/// API of the exercises" (`swift package generate-documentation --target TensorCore`).
public func tensorFromPixels(_ pixels: [Float], width: Int, height: Int, channels: Int) throws -> Tensor {
    throw ExerciseError.notStarted
}
