import TensorCore

/// Exercise 6.3 — structural similarity (SSIM, Wang et al. 2004).
///
/// **What.** For every 11x11 window that lies fully inside a plane, with Gaussian weights
/// (sigma 1.5, your `gaussianKernel(sigma: 1.5, radius: 5)` along rows and columns), compute the
/// weighted means mu_a, mu_b, *population* variances s_a^2 = E[a^2] - mu_a^2, s_b^2, and covariance
/// s_ab = E[ab] - mu_a mu_b, then
/// `SSIM = (2 mu_a mu_b + C1)(2 s_ab + C2) / ((mu_a^2 + mu_b^2 + C1)(s_a^2 + s_b^2 + C2))`
/// with C1 = 0.01^2, C2 = 0.03^2. Return the mean over all windows of all planes (all n and c).
/// This equals scikit-image's `structural_similarity(gaussian_weights=True,
/// use_sample_covariance=False, data_range=1)` averaged over channels.
///
/// **Why.** PSNR counts squared error pixel by pixel; a slightly blurred image and one with
/// sharp but slightly-off colors can have the same PSNR. SSIM compares local structure (contrast
/// and correlation in each window), so it punishes blur — the autoencoder's signature — more.
///
/// **Shapes.** a and b equal `[N, C, H, W]` with H, W >= 11; returns a Float (1 = identical).
///
/// **Worked example.** a == b: every window gives exactly 1, so SSIM = 1. a constant 0.5 and
/// b constant 0.6 (no structure in either): only the luminance term differs:
/// (2*0.3 + 1e-4)/(0.25 + 0.36 + 1e-4) ≈ 0.98361.
///
/// **Hint.** Compute five blurred planes (of a, b, a*a, b*b, a*b) with a separable "valid" blur —
/// rows first into a (H - 10) x W array, then columns — and combine them pixel by pixel.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func ssim(_ a: Tensor, _ b: Tensor) throws -> Float {
    throw ExerciseError.notStarted
}
