import TensorCore

extension Metrics {
    /// The SSIM window (Wang et al. 2004): an 11x11 Gaussian of sigma 1.5 (radius 5).
    public static let ssimSigma: Double = 1.5
    public static let ssimRadius = 5

    /// Structural similarity per image (Wang et al. 2004): Gaussian-weighted local means,
    /// population variances and covariance, K1 = 0.01, K2 = 0.03, data range 1; each channel's
    /// SSIM map is averaged, then the channels are averaged (scikit-image's
    /// `structural_similarity(..., gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
    /// data_range=1, channel_axis=...)`).
    ///
    /// Like scikit-image, the map is averaged only where the whole window fits in the image (a
    /// 5-pixel border is ignored), so no boundary rule is involved: the filter is computed "valid".
    /// Images must be at least 11x11.
    public static func ssim(_ prediction: Tensor, _ target: Tensor) throws -> [Double] {
        try checkImagePair("SSIM", prediction, target)
        let (n, c, h, w) = (target.shape[0], target.shape[1], target.shape[2], target.shape[3])
        let window = 2 * ssimRadius + 1
        guard h >= window, w >= window else {
            throw CourseError("SSIM: images of \(h)x\(w) are smaller than the \(window)x\(window) window")
        }
        let taps = gaussianTaps(sigma: ssimSigma, radius: ssimRadius)
        let plane = h * w
        let c1 = (0.01 * dataRange) * (0.01 * dataRange), c2 = (0.03 * dataRange) * (0.03 * dataRange)
        var scores = [Double](repeating: 0, count: n)
        scores.withUnsafeMutableBufferPointer { scoreBuffer in
            let out = scoreBuffer.baseAddress!
            prediction.withUnsafeBufferPointer { p in
                target.withUnsafeBufferPointer { t in
                    // Images are independent: one chunk per image keeps results thread-count free.
                    Parallel.forEach(n) { b in
                        var channelSum: Double = 0
                        for ch in 0..<c {
                            let offset = (b * c + ch) * plane
                            channelSum += ssimPlane(p.baseAddress! + offset, t.baseAddress! + offset,
                                                    height: h, width: w, taps: taps, c1: c1, c2: c2)
                        }
                        out[b] = channelSum / Double(c)
                    }
                }
            }
        }
        return scores
    }

    /// The mean SSIM of one channel plane (see `ssim`).
    private static func ssimPlane(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, height h: Int, width w: Int,
                                  taps: [Double], c1: Double, c2: Double) -> Double {
        let plane = h * w, k = taps.count, oh = h - k + 1, ow = w - k + 1
        // The five products x, y, x², y², xy (one plane each), then the five filtered planes
        // E[x], E[y], E[x²], E[y²], E[xy] (oh x ow each), plus scratch for the row pass.
        let products = UnsafeMutablePointer<Double>.allocate(capacity: 5 * plane)
        let stats = UnsafeMutablePointer<Double>.allocate(capacity: 5 * oh * ow)
        let rows = UnsafeMutablePointer<Double>.allocate(capacity: h * ow)
        defer { products.deallocate(); stats.deallocate(); rows.deallocate() }
        for i in 0..<plane {
            let xi = Double(x[i]), yi = Double(y[i])
            products[i] = xi
            products[plane + i] = yi
            products[2 * plane + i] = xi * xi
            products[3 * plane + i] = yi * yi
            products[4 * plane + i] = xi * yi
        }
        taps.withUnsafeBufferPointer { tp in
            for s in 0..<5 {
                filterValid(products + s * plane, height: h, width: w, taps: tp.baseAddress!, count: k,
                            rows: rows, into: stats + s * oh * ow)
            }
        }
        let ux = stats, uy = stats + oh * ow, uxx = stats + 2 * oh * ow, uyy = stats + 3 * oh * ow
        let uxy = stats + 4 * oh * ow
        var sum: Double = 0
        for i in 0..<(oh * ow) {
            let vx = uxx[i] - ux[i] * ux[i], vy = uyy[i] - uy[i] * uy[i], vxy = uxy[i] - ux[i] * uy[i]
            sum += ((2 * ux[i] * uy[i] + c1) * (2 * vxy + c2))
                / ((ux[i] * ux[i] + uy[i] * uy[i] + c1) * (vx + vy + c2))
        }
        return sum / Double(oh * ow)
    }

    /// Normalized Gaussian taps exp(-x²/2σ²) for x in -radius...radius (as scipy.ndimage builds them).
    static func gaussianTaps(sigma: Double, radius: Int) -> [Double] {
        let raw = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    /// Separable correlation with `taps`, only where the kernel fits: along rows first (h x ow),
    /// then along columns (oh x ow).
    private static func filterValid(_ image: UnsafePointer<Double>, height h: Int, width w: Int,
                                    taps: UnsafePointer<Double>, count k: Int,
                                    rows: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let ow = w - k + 1, oh = h - k + 1
        // Loops ordered so the innermost one runs along x over contiguous memory (vectorizes).
        for i in 0..<(h * ow) { rows[i] = 0 }
        for y in 0..<h {
            let dst = rows + y * ow
            for j in 0..<k {
                let tj = taps[j], src = image + y * w + j
                for x in 0..<ow { dst[x] += tj * src[x] }
            }
        }
        for i in 0..<(oh * ow) { out[i] = 0 }
        for y in 0..<oh {
            for j in 0..<k {
                let tj = taps[j], src = rows + (y + j) * ow, dst = out + y * ow
                for x in 0..<ow { dst[x] += tj * src[x] }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
