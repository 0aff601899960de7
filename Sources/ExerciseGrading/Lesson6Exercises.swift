import TensorCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The image split with a given low band (for the wrong band splits below).
func splitWith(_ image: Tensor, low: Tensor) -> (low: Tensor, high: Tensor) {
    (low, Tensor(shape: image.shape, values: zip(image.values, low.values).map { $0 - $1 }))
}

extension Catalog {
    static let lesson6: [Exercise] = [
        Exercise(
            "6.1", "Gaussian kernel",
            hints: [
                "2*radius + 1 weights, the middle one for offset 0.",
                "Weight for offset d = i - radius is exp(-d*d / (2*sigma*sigma)).",
                "Divide every weight by their sum so the kernel adds up to 1.",
            ],
            check: { impl in
                try Expect.tensor(try impl.gaussianKernel(1, 1), Tensor(shape: [3], values: [0.27407, 0.45186, 0.27407]), "the worked example (sigma 1, radius 1)")
                for (sigma, radius) in [(Float(1.5), 5), (2, 8), (0.5, 3), (3, 0)] {
                    try Expect.tensor(try impl.gaussianKernel(sigma, radius),
                                      Tensor(shape: [2 * radius + 1], values: Oracle.gaussianKernel(sigma: Double(sigma), radius: radius).map(Float.init)),
                                      "gaussianKernel(sigma: \(sigma), radius: \(radius))", absolute: 1e-6)
                }
                try Expect.refuses("gaussianKernel(sigma: 0, radius: 2)") { _ = try impl.gaussianKernel(0, 2) }
                try Expect.refuses("gaussianKernel(sigma: -1, radius: 2)") { _ = try impl.gaussianKernel(-1, 2) }
                try Expect.refuses("gaussianKernel(sigma: 1, radius: -1)") { _ = try impl.gaussianKernel(1, -1) }
                try Domain.sweep(seed: 6101) { d in
                    let sigma = Float(pow(10, Double(d.float(-1, 1.5)))), radius = d.int(0...20)
                    try Expect.tensor(try impl.gaussianKernel(sigma, radius), try Implementation.solutions.gaussianKernel(sigma, radius),
                                      "gaussianKernel(sigma: \(sigma), radius: \(radius))", absolute: 1e-6)
                }
            },
            wrong: [
                ("no check on sigma (sigma 0 gives NaNs)", .solutions { $0.gaussianKernel = { s, r in
                    r >= 0 && s <= 0 ? Tensor(shape: [2 * r + 1], repeating: .nan) : try Implementation.solutions.gaussianKernel(s, r) } }),
                ("sigma checked as != 0, so a negative sigma passes", .solutions { $0.gaussianKernel = { s, r in
                    try Implementation.solutions.gaussianKernel(s == 0 ? 0 : abs(s), r) } }),
                ("not normalized", .solutions { $0.gaussianKernel = { s, r in
                    Tensor(shape: [2 * r + 1], values: (-r...r).map { exp(-Float($0 * $0) / (2 * s * s)) }) } }),
                ("sigma used as the variance: exp(-d^2 / (2 sigma))", .solutions { $0.gaussianKernel = { s, r in
                    try Implementation.solutions.gaussianKernel(s.squareRoot(), r) } }),
            ]),
        Exercise(
            "6.2", "PSNR",
            hints: [
                "First the MSE over all values (as in 2.4, without the gradient).",
                "PSNR = 10 * log10(1 / MSE) for pixel values in [0, 1]; return .infinity when MSE is 0.",
                "One MSE over the whole batch, then one log — not one PSNR per image averaged.",
            ],
            check: { impl in
                let target = Tensor(shape: [1, 1, 2, 2], values: [0.2, 0.4, 0.6, 0.8])
                try Expect.scalar(try impl.psnr(Tensor(shape: [1, 1, 2, 2], values: target.values.map { $0 + 0.1 }), target), 20,
                                  "the worked example (every value off by 0.1)", absolute: 1e-3)
                try Expect.scalar(try impl.psnr(target, target), .infinity, "identical tensors")
                var rng = SeededGenerator(seed: 62)
                let t = Tensor.uniform([2, 3, 8, 8], 0, 1, using: &rng)
                // Image 0 nearly right, image 1 far off: averaging per-image PSNRs gives a different answer.
                var p = t
                p.withUnsafeMutableBufferPointer { for i in 0..<$0.count { $0[i] += (i < 192 ? 0.01 : 0.3) * rng.uniform(-1, 1) } }
                try Expect.scalar(try impl.psnr(p, t), Oracle.psnr(p, t), "psnr on [2, 3, 8, 8], one good and one bad image", absolute: 1e-3)
                try Expect.refuses("psnr of [1, 1, 2, 2] against [1, 1, 4, 1] (same count, different shapes)") {
                    _ = try impl.psnr(Tensor(shape: [1, 1, 2, 2], repeating: 0.5), Tensor(shape: [1, 1, 4, 1], repeating: 0.25)) }
                try Domain.sweep(seed: 6201) { d in
                    let shape = d.shape(), noise = d.magnitude(-4...0)
                    let t = d.tensor(shape, 1, nonNegative: true)
                    let p = Tensor(shape: shape, values: t.values.map { $0 + noise * d.float(-1, 1) })
                    try Expect.scalar(try impl.psnr(p, t), try Implementation.solutions.psnr(p, t),
                                      "psnr on \(shape), prediction = target + U(-\(noise), \(noise))", absolute: 1e-3)
                }
                let shape = [2, 3, 4, 5]
                for other in Domain.oneDimensionOff(shape) {
                    try Expect.refuses("psnr of \(shape) against \(other)") {
                        _ = try impl.psnr(Tensor(shape: shape, repeating: 0.5), Tensor(shape: other, repeating: 0.25)) }
                }
            },
            wrong: [
                ("checks the value count, not the shape", .solutions { $0.psnr = { p, t in
                    try Implementation.solutions.psnr(p, Tensor(shape: p.shape, values: t.values)) } }),
                ("20 log10 (the RMSE formula applied to the MSE)", .solutions { $0.psnr = { p, t in 2 * (try Implementation.solutions.psnr(p, t)) } }),
                ("mean of per-image PSNRs", .solutions { $0.psnr = { p, t in
                    let n = p.shape[0]
                    var sum: Float = 0
                    for i in 0..<n {
                        let per = p.count / n
                        let pi = Tensor(shape: [per], values: Array(p.values[(i * per)..<((i + 1) * per)]))
                        let ti = Tensor(shape: [per], values: Array(t.values[(i * per)..<((i + 1) * per)]))
                        sum += try Implementation.solutions.psnr(pi, ti)
                    }
                    return sum / Float(n) } }),
            ]),
        Exercise(
            "6.3", "SSIM", needs: ["6.1"],
            hints: [
                "Only windows fully inside the image count: centers from 5 to H - 6 (and W - 6).",
                "Blur a, b, a*a, b*b and a*b with the 11x11 Gaussian (gaussianKernel(sigma: 1.5, radius: 5) along rows, then columns, 'valid' only).",
                "varA = E[a^2] - muA^2 (population: no n - 1), cov = E[ab] - muA*muB; SSIM = (2 muA muB + C1)(2 cov + C2) / ((muA^2 + muB^2 + C1)(varA + varB + C2)); average over all windows, channels and images.",
            ],
            check: { impl in
                try Expect.scalar(try impl.ssim(Tensor(shape: [1, 1, 11, 11], repeating: 0.5), Tensor(shape: [1, 1, 11, 11], repeating: 0.6)),
                                  0.98361, "the worked example (constant 0.5 vs constant 0.6)", absolute: 1e-4)
                var rng = SeededGenerator(seed: 63)
                for shape in [[1, 2, 16, 14], [2, 1, 11, 11], [1, 3, 12, 20]] {
                    let a = Tensor.uniform(shape, 0, 1, using: &rng)
                    let b = Tensor(shape: shape, values: a.values.map { min(1, max(0, $0 + rng.uniform(-0.2, 0.2))) })
                    try Expect.scalar(try impl.ssim(a, a), 1, "ssim of \(shape) with itself", absolute: 1e-4)
                    try Expect.scalar(try impl.ssim(a, b), Oracle.ssim(a, b), "ssim of \(shape) noise vs noise + U(-0.2, 0.2)", absolute: 2e-4)
                }
                // Faint, unrelated textures: variances near C2, where every detail of the formula shows.
                let faintA = Tensor(shape: [1, 1, 14, 13], values: (0..<182).map { _ in 0.5 + rng.uniform(-0.04, 0.04) })
                let faintB = Tensor(shape: [1, 1, 14, 13], values: (0..<182).map { _ in 0.5 + rng.uniform(-0.04, 0.04) })
                try Expect.scalar(try impl.ssim(faintA, faintB), Oracle.ssim(faintA, faintB), "ssim of two faint independent textures (0.5 + U(-0.04, 0.04))", absolute: 2e-4)
                try Domain.sweep(seed: 6301) { d in
                    let shape = d.shape(batch: 1...2, channels: 1...3, height: 11...20, width: 11...20), noise = d.magnitude(-3...0)
                    let a = d.tensor(shape, 1, nonNegative: true)
                    let b = Tensor(shape: shape, values: a.values.map { min(1, max(0, $0 + noise * d.float(-1, 1))) })
                    try Expect.scalar(try impl.ssim(a, b), try Implementation.solutions.ssim(a, b),
                                      "ssim of \(shape) noise vs noise + U(-\(noise), \(noise))", absolute: 2e-4)
                }
            },
            wrong: [
                ("uniform 11x11 window instead of Gaussian", .solutions { $0.ssim = { a, b in
                    Oracle.ssim(a, b, kernel: Array(repeating: 1.0 / 11, count: 11)) } }),
                ("sample statistics (n - 1 = 120 instead of 121)", .solutions { $0.ssim = { a, b in
                    Oracle.ssim(a, b, kernel: Oracle.gaussianKernel(sigma: 1.5, radius: 5), statisticsScale: 121.0 / 120) } }),
            ]),
        Exercise(
            "6.4", "low/high band split", needs: ["6.1"],
            hints: [
                "low is a 2-D Gaussian blur done as a row blur then a column blur with gaussianKernel(sigma, radius: Int(4*sigma + 0.5)); high = image - low.",
                "Borders mirror with the edge repeated: index -1 reads 0, -2 reads 1; index W reads W - 1, W + 1 reads W - 2.",
                "Write mirror(i, n) with a loop: while i < 0 || i >= n { i = i < 0 ? -i - 1 : 2*n - i - 1 } — the loop matters when the radius exceeds the image.",
            ],
            check: { impl in
                var rng = SeededGenerator(seed: 64)
                // Sigmas 1.2 and 2.1: 4*sigma is not whole, so the radius Int(4*sigma + 0.5) differs from
                // truncating (1.2: 5, not 4) and from rounding up (2.1: 8, not 9). A tap that far out weighs
                // about 2e-5, so those cases use two bright columns 2*(radius + 1) apart: the column midway
                // is exactly 0 with the right radius and gets both lines' extra taps with one too many.
                for (shape, sigma) in [([1, 1, 20, 17], Float(2)), ([2, 3, 6, 5], 1), ([1, 1, 5, 4], 2), ([1, 1, 4, 48], 1.2), ([1, 1, 4, 48], 2.1)] {
                    var x = Tensor.uniform(shape, 0, 1, using: &rng)
                    if sigma != sigma.rounded() {
                        let lines = [10, 10 + 2 * (Int(4 * sigma + 0.5) + 1)]
                        x = Tensor(shape: shape, values: (0..<x.count).map { lines.contains($0 % shape[3]) ? 1 : 0 })
                    }
                    let expected = Oracle.bandSplit(x, sigma: sigma)
                    let got = try impl.bandSplit(x, sigma)
                    try Expect.tensor(got.low, expected.low, "bandSplit(\(shape), sigma: \(sigma)): low band", absolute: 1e-5)
                    try Expect.tensor(got.high, expected.high, "bandSplit(\(shape), sigma: \(sigma)): high band", absolute: 1e-5)
                }
                try Domain.sweep(seed: 6401) { d in
                    let shape = d.shape(height: 1...12, width: 1...12), sigma = d.float(0.3, 3), m = d.magnitude()
                    let x = d.tensor(shape, m)
                    let got = try impl.bandSplit(x, sigma), expected = try Implementation.solutions.bandSplit(x, sigma)
                    let context = "bandSplit(\(shape), sigma: \(sigma)), values up to \(m)"
                    try Expect.tensor(got.low, expected.low, context + ": low band", absolute: 1e-5 * m)
                    try Expect.tensor(got.high, expected.high, context + ": high band", absolute: 1e-5 * m)
                }
            },
            wrong: [
                ("zero padding at the borders", .solutions { $0.bandSplit = { x, s in
                    splitWith(x, low: Oracle.blur(x, sigma: s, radius: Int(4 * s + 0.5)) { i, n in (0..<n).contains(i) ? i : nil }) } }),
                ("edge pixel repeated (clamp) instead of mirrored", .solutions { $0.bandSplit = { x, s in
                    splitWith(x, low: Oracle.blur(x, sigma: s, radius: Int(4 * s + 0.5)) { i, n in min(max(i, 0), n - 1) }) } }),
                ("radius truncated: Int(4 * sigma)", .solutions { $0.bandSplit = { x, s in
                    splitWith(x, low: Oracle.blur(x, sigma: s, radius: Int(4 * s)) { i, n in Oracle.reflect(i, n) }) } }),
                ("radius rounded up: Int((4 * sigma).rounded(.up))", .solutions { $0.bandSplit = { x, s in
                    splitWith(x, low: Oracle.blur(x, sigma: s, radius: Int((4 * s).rounded(.up))) { i, n in Oracle.reflect(i, n) }) } }),
                ("radius 3 sigma instead of 4 sigma", .solutions { $0.bandSplit = { x, s in
                    splitWith(x, low: Oracle.blur(x, sigma: s, radius: Int(3 * s + 0.5)) { i, n in Oracle.reflect(i, n) }) } }),
            ]),
        Exercise(
            "6.5", "experiment: keep only the finest skip",
            hints: [
                "One Bool per level, in order from level 0 (full resolution) to the coarsest.",
                "Level 0 is kept, every other level is not: (0..<levels).map { $0 == 0 }, after refusing levels < 1.",
            ],
            check: { impl in
                let three = try impl.skipPlan(3)
                try Expect.that(three == [true, false, false], "skipPlan(levels: 3) (the worked example)", "expected [true, false, false], got \(three)")
                for levels in [0, -2] {
                    try Expect.refuses("skipPlan(levels: \(levels))") { _ = try impl.skipPlan(levels) }
                }
                for levels in 1...12 {
                    let got = try impl.skipPlan(levels), expected = try Implementation.solutions.skipPlan(levels)
                    try Expect.that(got == expected, "skipPlan(levels: \(levels))", "expected \(expected), got \(got)")
                }
            },
            wrong: [
                ("the coarsest skip kept instead of the finest", .solutions { $0.skipPlan = { levels in
                    try Implementation.solutions.skipPlan(levels).reversed() } }),
                ("every skip kept", .solutions { $0.skipPlan = { levels in
                    try Implementation.solutions.skipPlan(levels).map { _ in true } } }),
                ("lesson 6's three levels written out: [true, false, false] for any depth", .solutions { $0.skipPlan = { levels in
                    _ = try Implementation.solutions.skipPlan(levels)
                    return [true, false, false] } }),
            ]),
    ]
}
