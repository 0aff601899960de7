import TensorCore

/// Exercise 1.2 — from color to gray: the course's input.
///
/// **What.** Turn a batch of RGB images `[N, 3, H, W]` into their luminance `[N, 1, H, W]`
/// with the ITU-R BT.601 weights: `Y = 0.299 R + 0.587 G + 0.114 B`.
///
/// **Why.** The course colorizes: the network sees only Y and must invent R, G and B. Y keeps
/// brightness (the eye is most sensitive to green, least to blue — hence the weights) and throws
/// away hue. Two very different colors can share one Y: the meadow scenes paint the sky (RGB
/// .40,.60,.95) and the lake (RGB .15,.62,.50) with gray levels drawn from the same range (0.35 to
/// 0.50 plus a small rise), so a gray value says nothing about which one a pixel is: only
/// *context* (above or below the horizon) can tell them apart.
///
/// **Shapes.** in `[N, 3, H, W]` (channels R, G, B), out `[N, 1, H, W]`.
///
/// **Worked example.** One 1x2 image, pixel 0 = (1, 0, 0) (red), pixel 1 = (0.5, 0.5, 0.5):
/// input values `[1, 0.5,  0, 0.5,  0, 0.5]` (plane R, then G, then B), output
/// `[0.299, 0.5]` (0.299+0.587+0.114 = 1, so a gray pixel keeps its value).
///
/// **Hint.** In NCHW the three color planes of image n are consecutive blocks of H*W values:
/// R at `(n*3 + 0)*H*W`, G at `(n*3 + 1)*H*W`, B at `(n*3 + 2)*H*W`.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func luminance(_ rgb: Tensor) throws -> Tensor {
    throw ExerciseError.notStarted
}
