import TensorCore

/// Exercise 6.3 — solution. Gaussian-weighted local means, variances and covariance (population
/// statistics) over every 11x11 window that lies fully inside the image; SSIM per window; mean.
public func ssim(_ a: Tensor, _ b: Tensor) throws -> Float {
    let radius = 5
    guard a.shape == b.shape, a.rank == 4, a.shape[2] > 2 * radius, a.shape[3] > 2 * radius else {
        throw CourseError("ssim: need two equal [N, C, H, W] shapes with H, W >= 11, got \(a.shape) and \(b.shape)")
    }
    let kernel = try gaussianKernel(sigma: 1.5, radius: radius).values
    let (planes, h, w) = (a.shape[0] * a.shape[1], a.shape[2], a.shape[3])
    let (c1, c2): (Float, Float) = (0.01 * 0.01, 0.03 * 0.03)
    let av = a.values, bv = b.values
    var total = 0.0, windows = 0
    for p in 0..<planes {
        let x = Array(av[(p * h * w)..<((p + 1) * h * w)]), y = Array(bv[(p * h * w)..<((p + 1) * h * w)])
        /// The weighted mean of `f` over each window fully inside the plane.
        func local(_ f: [Float]) -> [Float] {
            let outH = h - 2 * radius, outW = w - 2 * radius
            var rows = [Float](repeating: 0, count: outH * w)
            for oy in 0..<outH { for xx in 0..<w { for (i, k) in kernel.enumerated() { rows[oy * w + xx] += k * f[(oy + i) * w + xx] } } }
            var out = [Float](repeating: 0, count: outH * outW)
            for oy in 0..<outH { for ox in 0..<outW { for (i, k) in kernel.enumerated() { out[oy * outW + ox] += k * rows[oy * w + ox + i] } } }
            return out
        }
        let mx = local(x), my = local(y)
        let xx = local(zip(x, x).map(*)), yy = local(zip(y, y).map(*)), xy = local(zip(x, y).map(*))
        for i in 0..<mx.count {
            let varX = xx[i] - mx[i] * mx[i], varY = yy[i] - my[i] * my[i], cov = xy[i] - mx[i] * my[i]
            let s = ((2 * mx[i] * my[i] + c1) * (2 * cov + c2)) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (varX + varY + c2))
            total += Double(s)
            windows += 1
        }
    }
    return Float(total / Double(windows))
}
