import TensorCore

/// Splitting an image into a low band (the big picture) and a high band (the detail), to score
/// them separately: PSNR_low says whether the broad colors are right (sky vs lake), PSNR_high
/// whether the blades, speckle and flowers are.
///
/// low = Gaussian blur with sigma 2; high = image - low. The blur is scipy.ndimage's default
/// `gaussian_filter(sigma=2)`: radius 8 (truncate 4 sigma), boundary mode "reflect"
/// (half-sample symmetric: d c b a | a b c d | d c b a), so the fixture script checks it directly.
extension Metrics {
    public static let bandSigma: Double = 2
    public static let bandRadius = 8

    /// PSNR of the low bands and of the high bands, per image:
    /// PSNR(blur(p), blur(t)) and PSNR(p - blur(p), t - blur(t)), channels pooled as in `psnr`.
    ///
    /// The blur is linear, so both only need the blurred difference d = p - t:
    /// blur(p) - blur(t) = blur(d) and (p - blur(p)) - (t - blur(t)) = d - blur(d).
    public static func bandPSNR(_ prediction: Tensor, _ target: Tensor) throws -> (low: [Double], high: [Double]) {
        try checkImagePair("band PSNR", prediction, target)
        let (n, c, h, w) = (target.shape[0], target.shape[1], target.shape[2], target.shape[3])
        let plane = h * w
        var low = [Double](repeating: 0, count: n), high = [Double](repeating: 0, count: n)
        let taps = gaussianTaps(sigma: bandSigma, radius: bandRadius)
        low.withUnsafeMutableBufferPointer { lowOut in
        high.withUnsafeMutableBufferPointer { highOut in
            prediction.withUnsafeBufferPointer { p in
                target.withUnsafeBufferPointer { t in
                    Parallel.forEach(n) { b in
                        let d = UnsafeMutablePointer<Double>.allocate(capacity: plane)
                        let blurred = UnsafeMutablePointer<Double>.allocate(capacity: plane)
                        defer { d.deallocate(); blurred.deallocate() }
                        var lowSum: Double = 0, highSum: Double = 0
                        for ch in 0..<c {
                            let offset = (b * c + ch) * plane
                            for i in 0..<plane { d[i] = Double(p[offset + i]) - Double(t[offset + i]) }
                            gaussianBlurReflect(d, into: blurred, height: h, width: w, taps: taps)
                            for i in 0..<plane {
                                lowSum += blurred[i] * blurred[i]
                                let r = d[i] - blurred[i]
                                highSum += r * r
                            }
                        }
                        let count = Double(c * plane)
                        lowOut[b] = psnr(mse: lowSum / count)
                        highOut[b] = psnr(mse: highSum / count)
                    }
                }
            }
        }
        }
        return (low, high)
    }

    /// The low band of every image (Gaussian blur, sigma 2, reflect), e.g. to show it in a picture.
    /// The high band is `image - lowBand(image)`.
    public static func lowBand(_ images: Tensor) throws -> Tensor {
        guard images.rank == 4 else {
            throw CourseError("lowBand: expected image batches [N, C, H, W], got shape \(images.shape)")
        }
        let (h, w) = (images.shape[2], images.shape[3]), plane = h * w
        let taps = gaussianTaps(sigma: bandSigma, radius: bandRadius)
        var out = Tensor(shape: images.shape)
        out.withUnsafeMutableBufferPointer { o in
            images.withUnsafeBufferPointer { src in
                let source = UnsafeMutablePointer<Double>.allocate(capacity: plane)
                let blurred = UnsafeMutablePointer<Double>.allocate(capacity: plane)
                defer { source.deallocate(); blurred.deallocate() }
                for p in 0..<(images.count / max(plane, 1)) {
                    for i in 0..<plane { source[i] = Double(src[p * plane + i]) }
                    gaussianBlurReflect(source, into: blurred, height: h, width: w, taps: taps)
                    for i in 0..<plane { o[p * plane + i] = Float(blurred[i]) }
                }
            }
        }
        return out
    }

    /// Index `i` mirrored into 0..<n the way scipy's "reflect" mode does (period 2n, edge repeated).
    @inline(__always) static func reflect(_ i: Int, _ n: Int) -> Int {
        var m = i % (2 * n)
        if m < 0 { m += 2 * n }
        return m < n ? m : 2 * n - 1 - m
    }

    /// Separable Gaussian blur of one plane, columns (axis 0) then rows (axis 1), reflect boundary.
    static func gaussianBlurReflect(_ image: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>,
                                    height h: Int, width w: Int, taps: [Double]) {
        let r = taps.count / 2
        let temp = UnsafeMutablePointer<Double>.allocate(capacity: h * w)
        let padded = UnsafeMutablePointer<Double>.allocate(capacity: w + 2 * r)
        defer { temp.deallocate(); padded.deallocate() }
        taps.withUnsafeBufferPointer { k in
            // Columns: whole rows at a time, mirrored row indices at the top and bottom.
            for y in 0..<h {
                let dst = temp + y * w
                for x in 0..<w { dst[x] = 0 }
                for j in -r...r {
                    let kj = k[j + r], src = image + reflect(y + j, h) * w
                    for x in 0..<w { dst[x] += kj * src[x] }
                }
            }
            // Rows: copy each row into a buffer with mirrored margins, then a plain dot product.
            for y in 0..<h {
                let row = temp + y * w
                for x in 0..<(w + 2 * r) { padded[x] = row[reflect(x - r, w)] }
                let dst = out + y * w
                for x in 0..<w { dst[x] = 0 }
                for j in 0...(2 * r) {
                    let kj = k[j], src = padded + j
                    for x in 0..<w { dst[x] += kj * src[x] }
                }
            }
        }
    }
}
