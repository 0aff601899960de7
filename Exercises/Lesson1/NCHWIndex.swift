import TensorCore

/// Exercise 1.1 — where does pixel (n, c, y, x) live in memory?
///
/// **What.** Return the position ("flat offset") of element `[n, c, y, x]` inside a tensor of
/// shape `[N, C, H, W]` stored contiguously in row-major order.
///
/// **Why.** Every tensor in this course is one flat `[Float]` buffer. Convolution, pooling and
/// concatenation are all loops that turn (n, c, y, x) into an offset; get this right once and
/// every later exercise is "just loops". NCHW means: all of image 0 first; inside an image, all of
/// channel 0 (a whole H x W plane) before channel 1; inside a plane, row by row.
///
/// **Shapes.** `shape` is `[N, C, H, W]`; the answer is in `0 ..< N*C*H*W`.
///
/// **Worked example.** shape `[2, 3, 4, 5]`: one plane holds 4*5 = 20 values, one image 3*20 = 60.
/// Element `[1, 2, 3, 4]` is after 1 image (60), 2 planes (40), 3 rows (15) and 4 values:
/// 60 + 40 + 15 + 4 = 119. The last element `[1, 2, 3, 4]` of this shape is indeed 2*60 - 1.
///
/// **Hint.** Start with n, then "multiply by the size of the next dimension and add the next
/// index", four times (Horner's rule). Throw a `CourseError` if `shape` does not have 4 entries.
///
/// **API.** `throw CourseError("…")` for bad input. All of it: the DocC page "The API of the
/// exercises" (`swift package generate-documentation --target TensorCore`).
public func nchwOffset(n: Int, c: Int, y: Int, x: Int, shape: [Int]) throws -> Int {
    throw ExerciseError.notStarted
}
