import TensorCore

/// Image-quality metrics on batches of images: tensors [N, C, H, W] in [0, 1].
///
/// Every function returns one value per image; a set's score is the mean of its images' scores
/// (so a set's PSNR is the mean of per-image PSNRs, not the PSNR of the pooled error).
/// Arithmetic is in Double so the numbers match scikit-image (float64) to ~1e-6.
public enum Metrics {
    /// The peak of the signal: images are in [0, 1].
    public static let dataRange: Double = 1

    /// Peak signal-to-noise ratio per image, in dB: 10 log10(1 / MSE) with the MSE over all
    /// C*H*W values of the image (channels pooled, like `skimage.metrics.peak_signal_noise_ratio`).
    /// Identical images give +infinity.
    public static func psnr(_ prediction: Tensor, _ target: Tensor) throws -> [Double] {
        try checkImagePair("PSNR", prediction, target)
        let n = target.shape[0], size = target.count / max(n, 1)
        return prediction.withUnsafeBufferPointer { p in
            target.withUnsafeBufferPointer { t in
                (0..<n).map { b in
                    var sum: Double = 0
                    for i in (b * size)..<((b + 1) * size) {
                        let d = Double(p[i]) - Double(t[i])
                        sum += d * d
                    }
                    return psnr(mse: sum / Double(size))
                }
            }
        }
    }

    /// 10 log10(range² / mse).
    @inlinable public static func psnr(mse: Double) -> Double {
        10 * log10(dataRange * dataRange / mse)
    }

    /// Throws unless `a` and `b` are image batches of the same shape.
    static func checkImagePair(_ metric: String, _ a: Tensor, _ b: Tensor) throws {
        guard a.rank == 4, b.rank == 4 else {
            throw CourseError("\(metric): expected image batches [N, C, H, W], got shapes \(a.shape) and \(b.shape)")
        }
        guard a.shape == b.shape else {
            throw CourseError("\(metric): prediction shape \(a.shape) differs from target shape \(b.shape)")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
