import TensorCore

/// The convolution cases every conv check runs: odd sizes, batches, strides, paddings, k = 1...5.
let convCases: [(input: [Int], out: Int, k: Int, stride: Int, padding: Int)] = [
    ([2, 3, 5, 6], 4, 3, 1, 1),
    ([1, 2, 7, 7], 3, 3, 2, 0),
    ([2, 1, 4, 4], 2, 2, 2, 0),
    ([1, 2, 6, 5], 2, 5, 1, 2),
    ([2, 3, 5, 4], 2, 3, 2, 1),
    ([1, 4, 3, 3], 2, 1, 1, 0),
]

/// Seeded input, weight and bias for one conv case.
func convFixture(_ c: (input: [Int], out: Int, k: Int, stride: Int, padding: Int), seed: UInt64) -> (Tensor, Tensor, Tensor) {
    var rng = SeededGenerator(seed: seed)
    return (Tensor.uniform(c.input, -1, 1, using: &rng),
            Tensor.uniform([c.out, c.input[1], c.k, c.k], -1, 1, using: &rng),
            Tensor.uniform([c.out], -1, 1, using: &rng))
}

/// The kernel rotated by 180 degrees (a "true" convolution's kernel).
func flippedKernel(_ w: Tensor) -> Tensor {
    let g = Reference.Grid(w)
    var out = g
    for o in 0..<g.n { for c in 0..<g.c { for y in 0..<g.h { for x in 0..<g.w { out[o, c, y, x] = g[o, c, g.h - 1 - y, g.w - 1 - x] } } } }
    return out.tensor
}

extension Domain {
    /// A conv drawn from the whole domain: kernel 1-5, stride 1-3, padding 0 to k - 1, 1-4 output
    /// channels, and an input [N 1-3, C 1-4, H, W up to 9] the padded kernel fits.
    mutating func convCase() -> (k: Int, stride: Int, padding: Int, out: Int, input: [Int]) {
        let k = int(1...5), stride = int(1...3), padding = int(0...k - 1), out = int(1...4)
        let smallest = max(1, k - 2 * padding)
        return (k, stride, padding, out, shape(channels: 1...4, height: smallest...9, width: smallest...9))
    }
}

func describe(_ c: (input: [Int], out: Int, k: Int, stride: Int, padding: Int)) -> String {
    "input \(c.input), \(c.out) output channels, kernel \(c.k), stride \(c.stride), padding \(c.padding)"
}

extension Catalog {
    static let lesson2: [Exercise] = [
        Exercise(
            "2.1", "conv2d forward",
            hints: [
                "First get the output shape right: [N, O, (H + 2p - k)/s + 1, (W + 2p - k)/s + 1].",
                "For output (n, o, oy, ox), tap (c, ky, kx) reads input row oy*stride + ky - padding and column ox*stride + kx - padding; skip it when that is outside the image.",
                "Start the sum at bias[o]; weight index ((o*C + c)*k + ky)*k + kx; no kernel flip.",
            ],
            check: { impl in
                let example = try impl.conv2dForward(Tensor(shape: [1, 1, 3, 3], values: (1...9).map(Float.init)),
                                                     Tensor(shape: [1, 1, 2, 2], values: [1, 0, 0, 1]), Tensor(shape: [1], values: [10]), 1, 0)
                try Expect.tensor(example, Tensor(shape: [1, 1, 2, 2], values: [16, 18, 22, 24]), "the worked example in the doc comment")
                for (i, c) in convCases.enumerated() {
                    let (x, w, b) = convFixture(c, seed: 100 + UInt64(i))
                    try Expect.tensor(try impl.conv2dForward(x, w, b, c.stride, c.padding),
                                      Reference.conv2dForward(x, w, b, stride: c.stride, padding: c.padding), "conv2dForward, \(describe(c))")
                }
                try Domain.sweep(seed: 2101) { d in
                    let (k, stride, padding, out, shape) = d.convCase()
                    let (mx, mw) = (d.magnitude(), d.magnitude())
                    let x = d.tensor(shape, mx), w = d.tensor([out, shape[1], k, k], mw), b = d.tensor([out], d.magnitude())
                    try Expect.tensor(try impl.conv2dForward(x, w, b, stride, padding), try Implementation.solutions.conv2dForward(x, w, b, stride, padding),
                                      "conv2dForward, input \(shape) (values up to \(mx)), \(out) output channels, kernel \(k) (weights up to \(mw)), stride \(stride), padding \(padding)",
                                      absolute: 1e-5 * Float(shape[1] * k * k) * mx * mw)
                }
            },
            wrong: [
                ("padding ignored", .solutions { $0.conv2dForward = { x, w, b, s, _ in try Implementation.solutions.conv2dForward(x, w, b, s, 0) } }),
                ("flipped kernel (true convolution)", .solutions { $0.conv2dForward = { x, w, b, s, p in try Implementation.solutions.conv2dForward(x, flippedKernel(w), b, s, p) } }),
                ("bias forgotten", .solutions { $0.conv2dForward = { x, w, b, s, p in try Implementation.solutions.conv2dForward(x, w, Tensor(shape: b.shape), s, p) } }),
            ]),
        Exercise(
            "2.2", "conv2d backward (input, weight, bias)",
            hints: [
                "Reuse the six loops of your forward pass; read g = gradOutput[n, o, oy, ox] where forward wrote the sum.",
                "For each tap that forward used: dInput[n, c, iy, ix] += weight[o, c, ky, kx] * g and dWeight[o, c, ky, kx] += input[n, c, iy, ix] * g.",
                "dBias[o] is the sum of g over n, oy, ox — every image of the batch, every output pixel.",
            ],
            check: { impl in
                for (i, c) in convCases.enumerated() {
                    let (x, w, _) = convFixture(c, seed: 200 + UInt64(i))
                    var rng = SeededGenerator(seed: 300 + UInt64(i))
                    let outShape = Reference.conv2dForward(x, w, Tensor(shape: [c.out]), stride: c.stride, padding: c.padding).shape
                    let dy = Tensor.uniform(outShape, -1, 1, using: &rng)
                    let got = try impl.conv2dBackward(x, w, dy, c.stride, c.padding)
                    let expected = Reference.conv2dBackward(x, w, dy, stride: c.stride, padding: c.padding)
                    try Expect.tensor(got.input, expected.input, "dInput, \(describe(c))")
                    try Expect.tensor(got.weight, expected.weight, "dWeight, \(describe(c))")
                    try Expect.tensor(got.bias, expected.bias, "dBias, \(describe(c))")
                }
                try Domain.sweep(seed: 2201) { d in
                    let (k, stride, padding, out, shape) = d.convCase()
                    let (mx, mw, mg) = (d.magnitude(), d.magnitude(), d.magnitude())
                    let x = d.tensor(shape, mx), w = d.tensor([out, shape[1], k, k], mw)
                    let outShape = [shape[0], out, (shape[2] + 2 * padding - k) / stride + 1, (shape[3] + 2 * padding - k) / stride + 1]
                    let dy = d.tensor(outShape, mg)
                    let got = try impl.conv2dBackward(x, w, dy, stride, padding)
                    let expected = try Implementation.solutions.conv2dBackward(x, w, dy, stride, padding)
                    let context = "input \(shape) (values up to \(mx)), \(out) output channels, kernel \(k) (weights up to \(mw)), stride \(stride), padding \(padding), gradOutput up to \(mg)"
                    let outValues = Float(outShape[0] * outShape[2] * outShape[3])
                    try Expect.tensor(got.input, expected.input, "dInput, " + context, absolute: 1e-5 * Float(out * k * k) * mw * mg)
                    try Expect.tensor(got.weight, expected.weight, "dWeight, " + context, absolute: 1e-5 * outValues * mx * mg)
                    try Expect.tensor(got.bias, expected.bias, "dBias, " + context, absolute: 1e-5 * outValues * mg)
                }
            },
            wrong: [
                ("bias gradient forgotten (zeros)", .solutions { $0.conv2dBackward = { x, w, dy, s, p in
                    let r = try Implementation.solutions.conv2dBackward(x, w, dy, s, p)
                    return (r.input, r.weight, Tensor(shape: r.bias.shape)) } }),
                ("weight gradient from the first image only", .solutions { $0.conv2dBackward = { x, w, dy, s, p in
                    let r = try Implementation.solutions.conv2dBackward(x, w, dy, s, p)
                    let first = try Implementation.solutions.conv2dBackward(firstImage(x), w, firstImage(dy), s, p)
                    return (r.input, first.weight, r.bias) } }),
                ("input gradient through the flipped kernel", .solutions { $0.conv2dBackward = { x, w, dy, s, p in
                    let r = try Implementation.solutions.conv2dBackward(x, w, dy, s, p)
                    let flipped = try Implementation.solutions.conv2dBackward(x, flippedKernel(w), dy, s, p)
                    return (flipped.input, r.weight, r.bias) } }),
            ]),
        Exercise(
            "2.3", "ReLU forward and backward",
            hints: [
                "Forward: max(0, v) for each value; the shape does not change.",
                "Backward needs the forward's *input*: the gradient passes where it was > 0.",
                "At exactly 0 the gradient is 0: use `input > 0`, not `>=`.",
            ],
            check: { impl in
                var rng = SeededGenerator(seed: 23)
                var x = Tensor.uniform([2, 3, 4, 5], -4, 4, using: &rng)
                x.withUnsafeMutableBufferPointer { for i in stride(from: 0, to: $0.count, by: 7) { $0[i] = 0 } }
                let dy = Tensor.uniform(x.shape, -1, 1, using: &rng)
                try Expect.tensor(try impl.reluForward(x), Tensor(shape: x.shape, values: x.values.map { $0 > 0 ? $0 : 0 }),
                                  "reluForward on values in [-4, 4] (every 7th exactly 0)")
                try Expect.tensor(try impl.reluBackward(x, dy),
                                  Tensor(shape: x.shape, values: zip(x.values, dy.values).map { $0 > 0 ? $1 : 0 }),
                                  "reluBackward (every 7th input exactly 0, where the gradient must be 0)")
                try Domain.sweep(seed: 2301) { d in
                    let shape = d.shape(), m = d.magnitude()
                    var x = d.tensor(shape, m)
                    x.withUnsafeMutableBufferPointer { for i in stride(from: 0, to: $0.count, by: 5) { $0[i] = 0 } }
                    let dy = d.tensor(shape, d.magnitude())
                    let context = "on \(shape), values up to \(m) (every fifth exactly 0)"
                    try Expect.tensor(try impl.reluForward(x), try Implementation.solutions.reluForward(x), "reluForward " + context, absolute: 0, relative: 0)
                    try Expect.tensor(try impl.reluBackward(x, dy), try Implementation.solutions.reluBackward(x, dy), "reluBackward " + context,
                                      absolute: 0, relative: 0)
                }
            },
            wrong: [
                ("gradient passes at x == 0 too (>= instead of >)", .solutions { $0.reluBackward = { x, dy in
                    Tensor(shape: x.shape, values: zip(x.values, dy.values).map { $0 >= 0 ? $1 : 0 }) } }),
                ("backward returns the 0/1 mask, not mask * gradient", .solutions { $0.reluBackward = { x, _ in
                    Tensor(shape: x.shape, values: x.values.map { $0 > 0 ? 1 : 0 }) } }),
                ("forward clipped at 1 (min(max(0, x), 1))", .solutions { $0.reluForward = { x in
                    Tensor(shape: x.shape, values: x.values.map { min(max(0, $0), 1) }) } }),
                ("backward passes the gradient only where 0 < x < 1", .solutions { $0.reluBackward = { x, dy in
                    Tensor(shape: x.shape, values: zip(x.values, dy.values).map { $0 > 0 && $0 < 1 ? $1 : 0 }) } }),
                ("forward is leaky (0.01 x for x < 0)", .solutions { $0.reluForward = { x in
                    Tensor(shape: x.shape, values: x.values.map { $0 > 0 ? $0 : 0.01 * $0 }) } }),
            ]),
        Exercise(
            "2.4", "mean squared error and its gradient",
            hints: [
                "The loss is the mean over *every* value (N*C*H*W of them), not over the batch.",
                "d/dp of (p - t)^2 is 2(p - t); the mean divides it by the count.",
                "gradient[i] = 2 * (prediction[i] - target[i]) / count",
            ],
            check: { impl in
                let example = try impl.meanSquaredError(Tensor(shape: [1, 1, 1, 2], values: [1, 2]), Tensor(shape: [1, 1, 1, 2]))
                try Expect.scalar(example.loss, 2.5, "loss of the worked example (prediction [1, 2], target [0, 0])")
                try Expect.tensor(example.gradient, Tensor(shape: [1, 1, 1, 2], values: [1, 2]), "gradient of the worked example")
                var rng = SeededGenerator(seed: 24)
                for shape in [[2, 3, 4, 4], [3, 1, 5, 2]] {
                    let p = Tensor.uniform(shape, 0, 1, using: &rng), t = Tensor.uniform(shape, 0, 1, using: &rng)
                    let d = zip(p.values, t.values).map { Double($0) - Double($1) }
                    let got = try impl.meanSquaredError(p, t)
                    try Expect.scalar(got.loss, Float(d.map { $0 * $0 }.reduce(0, +) / Double(d.count)), "loss on \(shape)")
                    try Expect.tensor(got.gradient, Tensor(shape: shape, values: d.map { Float(2 * $0 / Double(d.count)) }), "gradient on \(shape)")
                }
                try Expect.refuses("meanSquaredError of [1, 1, 2, 3] against [1, 1, 3, 2] (same count, different shapes)") {
                    _ = try impl.meanSquaredError(Tensor(shape: [1, 1, 2, 3]), Tensor(shape: [1, 1, 3, 2])) }
                try Domain.sweep(seed: 2401) { d in
                    let shape = d.shape(), m = d.magnitude()
                    let p = d.tensor(shape, m), t = d.tensor(shape, m)
                    let got = try impl.meanSquaredError(p, t), expected = try Implementation.solutions.meanSquaredError(p, t)
                    let context = "meanSquaredError on \(shape), values up to \(m)"
                    try Expect.scalar(got.loss, expected.loss, context + ": loss", absolute: 1e-6 * m * m)
                    try Expect.tensor(got.gradient, expected.gradient, context + ": gradient", absolute: 1e-6 * m)
                }
                let shape = [2, 3, 4, 5]
                for other in Domain.oneDimensionOff(shape) {
                    try Expect.refuses("meanSquaredError of \(shape) against \(other)") {
                        _ = try impl.meanSquaredError(Tensor(shape: shape), Tensor(shape: other)) }
                }
            },
            wrong: [
                ("compares N, C and H but not W (a refusal along three of four dimensions)", .solutions { $0.meanSquaredError = { p, t in
                    guard p.rank == 4, t.rank == 4, p.shape[..<3] == t.shape[..<3] else { throw CourseError("shapes \(p.shape) and \(t.shape) differ") }
                    return try Implementation.solutions.meanSquaredError(p, Tensor(shape: p.shape, values: Array(t.values.prefix(p.count)) + Array(repeating: 0, count: max(0, p.count - t.count)))) } }),
                ("checks the value count, not the shape", .solutions { $0.meanSquaredError = { p, t in
                    try Implementation.solutions.meanSquaredError(p, Tensor(shape: p.shape, values: t.values)) } }),
                ("gradient without the factor 2", .solutions { $0.meanSquaredError = { p, t in
                    let r = try Implementation.solutions.meanSquaredError(p, t)
                    return (r.loss, Tensor(shape: p.shape, values: r.gradient.values.map { $0 / 2 })) } }),
                ("divided by the batch size instead of the element count", .solutions { $0.meanSquaredError = { p, t in
                    let r = try Implementation.solutions.meanSquaredError(p, t)
                    let scale = Float(p.count / p.shape[0])
                    return (r.loss * scale, Tensor(shape: p.shape, values: r.gradient.values.map { $0 * scale })) } }),
            ]),
        Exercise(
            "2.5", "one Adam step",
            hints: [
                "Update m and v first, element by element, from the gradient.",
                "Bias correction: mHat = m / (1 - beta1^step), vHat = v / (1 - beta2^step); step starts at 1.",
                "value -= learningRate * mHat / (sqrt(vHat) + epsilon) — epsilon outside the square root.",
            ],
            check: { impl in
                let example = try impl.adamStep(Tensor(shape: [1], values: [1]), Tensor(shape: [1], values: [0.5]),
                                                Tensor(shape: [1]), Tensor(shape: [1]), 1, 0.1, 0.9, 0.999, 1e-8)
                try Expect.tensor(example.value, Tensor(shape: [1], values: [0.9]), "value after the worked example's step")
                var rng = SeededGenerator(seed: 25)
                // Every hyper-parameter varies: an answer that hard-codes beta1 = 0.9 and beta2 = 0.999 fails.
                for (step, lr, eps, b1, b2) in [(1, Float(0.1), Float(1e-8), 0.9, 0.999), (7, 0.01, 1e-8, 0.8, 0.99),
                                                (3, 0.05, 1e-3, 0.5, 0.9), (12, 0.002, 1e-6, 0.95, 0.9999)] {
                    let shape = [3, 4]
                    let value = Tensor.uniform(shape, -1, 1, using: &rng)
                    var g = Tensor.uniform(shape, -1, 1, using: &rng)
                    g.withUnsafeMutableBufferPointer { for i in stride(from: 0, to: $0.count, by: 3) { $0[i] *= 1e-4 } }  // tiny gradients too
                    let m = step == 1 ? Tensor(shape: shape) : Tensor.uniform(shape, -0.1, 0.1, using: &rng)
                    let v = step == 1 ? Tensor(shape: shape) : Tensor.uniform(shape, 0, 0.01, using: &rng)
                    var ev = value.values, em = m.values, evv = v.values
                    for i in 0..<ev.count {
                        let gi = Double(g.values[i])
                        let mi = b1 * Double(em[i]) + (1 - b1) * gi, vi = b2 * Double(evv[i]) + (1 - b2) * gi * gi
                        let mHat = mi / (1 - pow(b1, Double(step))), vHat = vi / (1 - pow(b2, Double(step)))
                        ev[i] = Float(Double(ev[i]) - Double(lr) * mHat / (vHat.squareRoot() + Double(eps)))
                        em[i] = Float(mi); evv[i] = Float(vi)
                    }
                    let got = try impl.adamStep(value, g, m, v, step, lr, Float(b1), Float(b2), eps)
                    let context = "adamStep(step \(step), learningRate \(lr), beta1 \(b1), beta2 \(b2), epsilon \(eps))"
                    try Expect.tensor(got.m, Tensor(shape: shape, values: em), context + ": m", absolute: 1e-6)
                    try Expect.tensor(got.v, Tensor(shape: shape, values: evv), context + ": v", absolute: 1e-8)
                    try Expect.tensor(got.value, Tensor(shape: shape, values: ev), context + ": value", absolute: 1e-5)
                }
                try Domain.sweep(seed: 2501) { d in
                    // Bias corrections 1 - beta^step stay above 1e-3, where Float and Double pow agree to 1e-4.
                    let shape = [d.int(1...5), d.int(1...7)], step = d.bool() ? d.int(1...10) : d.int(11...2000)
                    let lr = d.magnitude(-5...(-1)), eps = d.magnitude(-10...(-2)), b1 = d.float(0, 0.95), b2 = d.float(0.9, 0.999)
                    let (mv, mg) = (d.magnitude(), d.magnitude(-6...3))
                    let value = d.tensor(shape, mv), g = d.tensor(shape, mg)
                    let m = step == 1 ? Tensor(shape: shape) : d.tensor(shape, mg)
                    let v = step == 1 ? Tensor(shape: shape) : d.tensor(shape, mg * mg, nonNegative: true)
                    let got = try impl.adamStep(value, g, m, v, step, lr, b1, b2, eps)
                    let expected = try Implementation.solutions.adamStep(value, g, m, v, step, lr, b1, b2, eps)
                    let context = "adamStep(step \(step), learningRate \(lr), beta1 \(b1), beta2 \(b2), epsilon \(eps)), values up to \(mv), gradients up to \(mg)"
                    let update = zip(value.values, expected.value.values).map { abs($0 - $1) }.max() ?? 0
                    try Expect.tensor(got.m, expected.m, context + ": m", absolute: 1e-6 * mg)
                    try Expect.tensor(got.v, expected.v, context + ": v", absolute: 1e-6 * mg * mg)
                    try Expect.tensor(got.value, expected.value, context + ": value", absolute: 1e-6 * mv + 1e-3 * update)
                }
            },
            wrong: [
                ("no bias correction", .solutions { $0.adamStep = { value, g, m, v, t, lr, b1, b2, eps in
                    let r = try Implementation.solutions.adamStep(value, g, m, v, t, lr, b1, b2, eps)
                    let update = zip(r.m.values, r.v.values).map { lr * $0 / ($1.squareRoot() + eps) }
                    return (Tensor(shape: value.shape, values: zip(value.values, update).map { $0 - $1 }), r.m, r.v) } }),
                ("beta1 and beta2 hard-coded to their defaults (0.9, 0.999)", .solutions { $0.adamStep = { value, g, m, v, t, lr, _, _, eps in
                    try Implementation.solutions.adamStep(value, g, m, v, t, lr, 0.9, 0.999, eps) } }),
                ("epsilon inside the square root", .solutions { $0.adamStep = { value, g, m, v, t, lr, b1, b2, eps in
                    let r = try Implementation.solutions.adamStep(value, g, m, v, t, lr, b1, b2, eps)
                    let (c1, c2) = (1 - pow(b1, Float(t)), 1 - pow(b2, Float(t)))
                    let update = zip(r.m.values, r.v.values).map { lr * ($0 / c1) / ($1 / c2 + eps).squareRoot() }
                    return (Tensor(shape: value.shape, values: zip(value.values, update).map { $0 - $1 }), r.m, r.v) } }),
            ]),
        Exercise(
            "2.6", "receptive field of a stack",
            hints: [
                "A 3x3 stride-1 conv adds 2 pixels to the field (one on each side).",
                "After a stride-2 layer, one step of the next layer spans 2 input pixels: keep a running product of strides (the 'jump').",
                "field = 1; jump = 1; for each layer: field += (k - 1) * jump; jump *= stride.",
            ],
            check: { impl in
                let cases: [([Int], [Int])] = [
                    ([], []), ([3], [1]), (Array(repeating: 3, count: 7), Array(repeating: 1, count: 7)),
                    ([3, 2, 3], [1, 2, 1]), ([3, 3, 2, 3, 3, 2, 3, 3, 2, 3, 3], [1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1]),
                    ([7, 3, 3], [2, 2, 1]), ([5, 1, 4], [3, 1, 2]),
                ]
                for (kernels, strides) in cases {
                    // Walk from the output back to the input: r pixels at a layer's output need (r - 1)*s + k at its input.
                    let expected = zip(kernels, strides).reversed().reduce(1) { r, layer in (r - 1) * layer.1 + layer.0 }
                    try Expect.integer(try impl.receptiveField(kernels, strides), expected, "receptiveField(kernels: \(kernels), strides: \(strides))")
                }
                try Expect.refuses("receptiveField(kernels: [3, 3], strides: [1]) (counts differ)") {
                    _ = try impl.receptiveField([3, 3], [1]) }
                try Domain.sweep(seed: 2601) { d in
                    let depth = d.int(0...12)
                    let kernels = (0..<depth).map { _ in d.int(1...7) }, strides = (0..<depth).map { _ in d.int(1...3) }
                    try Expect.integer(try impl.receptiveField(kernels, strides), try Implementation.solutions.receptiveField(kernels, strides),
                                       "receptiveField(kernels: \(kernels), strides: \(strides))")
                }
                try Expect.refuses("receptiveField(kernels: [3], strides: [1, 2]) (counts differ)") { _ = try impl.receptiveField([3], [1, 2]) }
            },
            wrong: [
                ("zips kernels with strides, silently dropping the extra kernel", .solutions { $0.receptiveField = { k, s in
                    try Implementation.solutions.receptiveField(Array(k.prefix(s.count)), Array(s.prefix(k.count))) } }),
                ("strides ignored: 1 + sum(k - 1)", .solutions { $0.receptiveField = { k, _ in 1 + k.reduce(0) { $0 + $1 - 1 } } }),
                ("jump updated before it is used", .solutions { $0.receptiveField = { ks, ss in
                    var field = 1, jump = 1
                    for (k, s) in zip(ks, ss) { jump *= s; field += (k - 1) * jump }
                    return field } }),
            ]),
    ]
}

/// Image 0 of a batch, as a batch of one.
func firstImage(_ t: Tensor) -> Tensor {
    let per = t.count / t.shape[0]
    return Tensor(shape: [1] + t.shape.dropFirst(), values: Array(t.values[0..<per]))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
