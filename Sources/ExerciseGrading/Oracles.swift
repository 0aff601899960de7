import TensorCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The grader's own answers: naive loops written independently of `Solutions` (gather where the
/// solutions scatter, 2-D windows where they go separable, Double where they use Float), so a
/// shared mistake is unlikely. `Tests/ExerciseChecks/OracleTests.swift` checks them against the
/// worked examples in the stubs' doc comments and against finite differences.
public enum Oracle {
    /// A 4-D view for readable loops.
    struct Grid {
        let n: Int, c: Int, h: Int, w: Int
        var v: [Float]
        init(_ t: Tensor) { (n, c, h, w) = (t.shape[0], t.shape[1], t.shape[2], t.shape[3]); v = t.values }
        init(_ n: Int, _ c: Int, _ h: Int, _ w: Int) { (self.n, self.c, self.h, self.w) = (n, c, h, w); v = Array(repeating: 0, count: n * c * h * w) }
        subscript(_ i: Int, _ ch: Int, _ y: Int, _ x: Int) -> Float {
            get { v[((i * c + ch) * h + y) * w + x] }
            set { v[((i * c + ch) * h + y) * w + x] = newValue }
        }
        var tensor: Tensor { Tensor(shape: [n, c, h, w], values: v) }
    }

    public static func luminance(_ rgb: Tensor) -> Tensor {
        let x = Grid(rgb)
        var out = Grid(x.n, 1, x.h, x.w)
        for i in 0..<x.n { for y in 0..<x.h { for xx in 0..<x.w {
            out[i, 0, y, xx] = Float(0.299 * Double(x[i, 0, y, xx]) + 0.587 * Double(x[i, 1, y, xx]) + 0.114 * Double(x[i, 2, y, xx]))
        } } }
        return out.tensor
    }

    public static func conv2dForward(_ input: Tensor, _ weight: Tensor, _ bias: Tensor, stride s: Int, padding p: Int) -> Tensor {
        let x = Grid(input), w = Grid(weight), k = weight.shape[2]
        var out = Grid(x.n, w.n, (x.h + 2 * p - k) / s + 1, (x.w + 2 * p - k) / s + 1)
        for i in 0..<out.n { for o in 0..<out.c { for oy in 0..<out.h { for ox in 0..<out.w {
            var sum = Double(bias.values[o])
            for ch in 0..<x.c { for ky in 0..<k { for kx in 0..<k {
                let (iy, ix) = (oy * s + ky - p, ox * s + kx - p)
                if (0..<x.h).contains(iy) && (0..<x.w).contains(ix) { sum += Double(w[o, ch, ky, kx]) * Double(x[i, ch, iy, ix]) }
            } } }
            out[i, o, oy, ox] = Float(sum)
        } } } }
        return out.tensor
    }

    /// dInput by gathering, for each input pixel, every output tap that read it.
    public static func conv2dBackward(_ input: Tensor, _ weight: Tensor, _ gradOutput: Tensor, stride s: Int, padding p: Int)
        -> (input: Tensor, weight: Tensor, bias: Tensor)
    {
        let x = Grid(input), w = Grid(weight), dy = Grid(gradOutput), k = weight.shape[2]
        var dx = Grid(x.n, x.c, x.h, x.w), dw = Grid(w.n, w.c, k, k)
        for i in 0..<x.n { for ch in 0..<x.c { for iy in 0..<x.h { for ix in 0..<x.w {
            var sum = 0.0
            for o in 0..<dy.c { for ky in 0..<k { for kx in 0..<k {
                let (ty, tx) = (iy + p - ky, ix + p - kx)
                guard ty >= 0, tx >= 0, ty % s == 0, tx % s == 0, ty / s < dy.h, tx / s < dy.w else { continue }
                sum += Double(w[o, ch, ky, kx]) * Double(dy[i, o, ty / s, tx / s])
            } } }
            dx[i, ch, iy, ix] = Float(sum)
        } } } }
        for o in 0..<w.n { for ch in 0..<w.c { for ky in 0..<k { for kx in 0..<k {
            var sum = 0.0
            for i in 0..<x.n { for oy in 0..<dy.h { for ox in 0..<dy.w {
                let (iy, ix) = (oy * s + ky - p, ox * s + kx - p)
                if (0..<x.h).contains(iy) && (0..<x.w).contains(ix) { sum += Double(x[i, ch, iy, ix]) * Double(dy[i, o, oy, ox]) }
            } } }
            dw[o, ch, ky, kx] = Float(sum)
        } } } }
        let db = (0..<dy.c).map { o -> Float in
            var sum = 0.0
            for i in 0..<dy.n { for oy in 0..<dy.h { for ox in 0..<dy.w { sum += Double(dy[i, o, oy, ox]) } } }
            return Float(sum)
        }
        return (dx.tensor, dw.tensor, Tensor(shape: [dy.c], values: db))
    }

    public static func maxPool2dForward(_ input: Tensor) -> Tensor {
        let x = Grid(input)
        var out = Grid(x.n, x.c, x.h / 2, x.w / 2)
        for i in 0..<x.n { for ch in 0..<x.c { for oy in 0..<out.h { for ox in 0..<out.w {
            out[i, ch, oy, ox] = [x[i, ch, 2 * oy, 2 * ox], x[i, ch, 2 * oy, 2 * ox + 1],
                                  x[i, ch, 2 * oy + 1, 2 * ox], x[i, ch, 2 * oy + 1, 2 * ox + 1]].max()!
        } } } }
        return out.tensor
    }

    public static func maxPool2dBackward(_ input: Tensor, _ gradOutput: Tensor) -> Tensor {
        let x = Grid(input), dy = Grid(gradOutput)
        var dx = Grid(x.n, x.c, x.h, x.w)
        for i in 0..<x.n { for ch in 0..<x.c { for oy in 0..<dy.h { for ox in 0..<dy.w {
            let taps = [(0, 0), (0, 1), (1, 0), (1, 1)]
            let values = taps.map { x[i, ch, 2 * oy + $0.0, 2 * ox + $0.1] }
            let winner = taps[values.firstIndex(of: values.max()!)!]
            dx[i, ch, 2 * oy + winner.0, 2 * ox + winner.1] = dy[i, ch, oy, ox]
        } } } }
        return dx.tensor
    }

    /// Gather form: each output pixel sums the input pixels whose stamp covers it.
    public static func convTranspose2dForward(_ input: Tensor, _ weight: Tensor, _ bias: Tensor, stride s: Int) -> Tensor {
        let x = Grid(input), w = Grid(weight), k = weight.shape[2]
        var out = Grid(x.n, w.c, (x.h - 1) * s + k, (x.w - 1) * s + k)
        for i in 0..<out.n { for o in 0..<out.c { for oy in 0..<out.h { for ox in 0..<out.w {
            var sum = Double(bias.values[o])
            for ch in 0..<x.c { for ky in 0..<k { for kx in 0..<k {
                let (ty, tx) = (oy - ky, ox - kx)
                guard ty >= 0, tx >= 0, ty % s == 0, tx % s == 0, ty / s < x.h, tx / s < x.w else { continue }
                sum += Double(x[i, ch, ty / s, tx / s]) * Double(w[ch, o, ky, kx])
            } } }
            out[i, o, oy, ox] = Float(sum)
        } } } }
        return out.tensor
    }

    public static func concat(_ a: Tensor, _ b: Tensor) -> Tensor {
        let ga = Grid(a), gb = Grid(b)
        var out = Grid(ga.n, ga.c + gb.c, ga.h, ga.w)
        for i in 0..<out.n { for ch in 0..<out.c { for y in 0..<out.h { for x in 0..<out.w {
            out[i, ch, y, x] = ch < ga.c ? ga[i, ch, y, x] : gb[i, ch - ga.c, y, x]
        } } } }
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
