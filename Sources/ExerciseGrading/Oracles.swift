import TensorCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The grader's own answers where TensorCore has no layer for them: naive loops written
/// independently of `Solutions` (2-D windows where the solutions go separable, Double where
/// they use Float), so a shared mistake is unlikely. The layers' answers (convolution, pooling,
/// transposed convolution, concat) are TensorCore's `Reference` loops, the same ones the
/// tests and `--reference-kernels` use. `Tests/ExerciseChecks/OracleTests.swift` checks them against the
/// worked examples in the stubs' doc comments and against finite differences.
public enum Oracle {
    typealias Grid = Reference.Grid

    public static func luminance(_ rgb: Tensor) -> Tensor {
        let x = Grid(rgb)
        var out = Grid(x.n, 1, x.h, x.w)
        for i in 0..<x.n { for y in 0..<x.h { for xx in 0..<x.w {
            out[i, 0, y, xx] = Float(0.299 * Double(x[i, 0, y, xx]) + 0.587 * Double(x[i, 1, y, xx]) + 0.114 * Double(x[i, 2, y, xx]))
        } } }
        return out.tensor
    }

    public static func gaussianKernel(sigma: Double, radius: Int) -> [Double] {
        let raw = (0...(2 * radius)).map { i in exp(-Double((i - radius) * (i - radius)) / (2 * sigma * sigma)) }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    public static func psnr(_ prediction: Tensor, _ target: Tensor) -> Float {
        var sum = 0.0
        for (p, t) in zip(prediction.values, target.values) { sum += (Double(p) - Double(t)) * (Double(p) - Double(t)) }
        return sum == 0 ? .infinity : Float(-10 * log10(sum / Double(prediction.count)))
    }

    /// SSIM with a full 2-D 11x11 Gaussian window at every position where it fits, in Double.
    public static func ssim(_ a: Tensor, _ b: Tensor) -> Float {
        ssim(a, b, kernel: gaussianKernel(sigma: 1.5, radius: 5))
    }

    /// SSIM over every window that fits, for any separable window `kernel` (odd length);
    /// `statisticsScale` multiplies the variances and the covariance (1 = population statistics).
    static func ssim(_ a: Tensor, _ b: Tensor, kernel k: [Double], statisticsScale s: Double = 1) -> Float {
        let ga = Grid(a), gb = Grid(b), r = k.count / 2
        let (c1, c2) = (1e-4, 9e-4)
        var total = 0.0, count = 0
        for i in 0..<ga.n { for ch in 0..<ga.c { for cy in r..<(ga.h - r) { for cx in r..<(ga.w - r) {
            var (ma, mb, saa, sbb, sab) = (0.0, 0.0, 0.0, 0.0, 0.0)
            for dy in -r...r { for dx in -r...r {
                let weight = k[dy + r] * k[dx + r]
                let (va, vb) = (Double(ga[i, ch, cy + dy, cx + dx]), Double(gb[i, ch, cy + dy, cx + dx]))
                ma += weight * va; mb += weight * vb
                saa += weight * va * va; sbb += weight * vb * vb; sab += weight * va * vb
            } }
            let (varA, varB, cov) = (s * (saa - ma * ma), s * (sbb - mb * mb), s * (sab - ma * mb))
            total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (varA + varB + c2))
            count += 1
        } } } }
        return Float(total / Double(count))
    }

    /// scipy's "reflect" boundary: the edge value repeats (d c b a | a b c d).
    static func reflect(_ i: Int, _ n: Int) -> Int {
        let period = 2 * n
        var m = i % period
        if m < 0 { m += period }
        return m < n ? m : period - 1 - m
    }

    /// The low band by a full 2-D Gaussian window (the outer product of the 1-D kernel), borders
    /// mirrored; high = image - low.
    public static func bandSplit(_ image: Tensor, sigma: Float) -> (low: Tensor, high: Tensor) {
        let low = blur(image, sigma: sigma, radius: Int(4 * sigma + 0.5), border: reflect)
        return (low, Tensor(shape: image.shape, values: zip(image.values, low.values).map { $0 - $1 }))
    }

    /// A 2-D Gaussian blur with a chosen radius and border rule (`border(i, n)` gives the index to
    /// read for position i of n, or nil to read zero).
    static func blur(_ image: Tensor, sigma: Float, radius: Int, border: (Int, Int) -> Int?) -> Tensor {
        let x = Grid(image), g = gaussianKernel(sigma: Double(sigma), radius: radius)
        var out = Grid(x.n, x.c, x.h, x.w)
        for i in 0..<x.n { for c in 0..<x.c { for y in 0..<x.h { for xx in 0..<x.w {
            var sum = 0.0
            for dy in -radius...radius { for dx in -radius...radius {
                if let sy = border(y + dy, x.h), let sx = border(xx + dx, x.w) { sum += g[dy + radius] * g[dx + radius] * Double(x[i, c, sy, sx]) }
            } }
            out[i, c, y, xx] = Float(sum)
        } } } }
        return out.tensor
    }
}
