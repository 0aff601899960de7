import TensorCore

/// Exercise 6.4 — splitting an image into its low and high bands.
///
/// **What.** `low` = the image blurred by a Gaussian of `sigma` (radius `Int(4*sigma + 0.5)`, your
/// `gaussianKernel`), applied along rows and then columns of every plane, with mirrored borders:
/// reading outside the image at index -1 gives index 0, -2 gives 1, ..., and W gives W - 1, W + 1
/// gives W - 2 (scipy's `mode="reflect"`; repeat the fold if still outside). `high = image - low`.
///
/// **Why.** This is how the course turns "skip connections recover fine-grained detail" into a
/// number. PSNR on the low bands of prediction and target measures the big picture (is the lake
/// teal?); PSNR on the high bands measures detail (are the blades and flowers there?). The plain
/// stack should score well on high and badly on low; the autoencoder the reverse; the U-Net both.
///
/// **Shapes.** image `[N, C, H, W]`; low and high the same shape; `low + high == image`.
///
/// **Worked example.** A constant image: low is the same constant (the weights sum to 1 and the
/// mirror keeps the border constant), high is all zeros. A single bright pixel in the middle of a
/// big dark image: low is a small Gaussian bump whose values sum to the pixel's value.
///
/// **Hint.** Write `mirror(i, n)` first. Blur rows into a temporary plane, then blur its columns.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func bandSplit(_ image: Tensor, sigma: Float) throws -> (low: Tensor, high: Tensor) {
    throw ExerciseError.notStarted
}
