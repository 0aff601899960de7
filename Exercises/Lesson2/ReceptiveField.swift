import TensorCore

/// Exercise 2.6 — how much of the picture can one output pixel see?
///
/// **What.** For a stack of convolutions (or pools) with the given kernel sizes and strides,
/// applied first to last, return the receptive field: the width in input pixels of the region
/// that one output pixel depends on.
///
/// **Why.** This is lesson 2's punch line. Seven 3x3 convolutions see only 15x15 pixels of a 64x64
/// scene. The lake and the sky have the same luminance and texture; only where they sit relative
/// to the horizon tells blue from teal — and a pixel in the middle of the lake cannot see the
/// horizon through a 15-pixel window. Pooling (lesson 4) multiplies the reach of every later layer.
///
/// **Shapes.** `kernels.count == strides.count` (throw a `CourseError` otherwise); answer >= 1.
///
/// **Worked example.** Start with a field of 1 pixel and a "jump" of 1 (how many input pixels one
/// step at the current layer spans). A layer with kernel k and stride s adds `(k - 1) * jump`,
/// then multiplies jump by s. kernels [3, 3], strides [1, 1]: 1 + 2 + 2 = 5.
/// kernels [3, 2, 3], strides [1, 2, 1] (conv, 2x2 pool, conv): 1 + 2*1 + 1*1 + 2*2 = 8.
///
/// **Hint.** Two variables, one loop. Forgetting the jump (adding k - 1 every time) is right for
/// stride-1 stacks only.
///
/// **API.** `throw CourseError("…")` for bad input. All of it: the DocC page "The API of the
/// exercises" (`swift package generate-documentation --target TensorCore`).
public func receptiveField(kernels: [Int], strides: [Int]) throws -> Int {
    throw ExerciseError.notStarted
}
