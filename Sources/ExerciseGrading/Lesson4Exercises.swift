import TensorCore

/// Seeded pooling inputs: odd sizes (a dropped row/column), and values on a coarse grid so that
/// some 2x2 blocks hold ties.
func poolFixtures(seed: UInt64) -> [(name: String, input: Tensor)] {
    var rng = SeededGenerator(seed: seed)
    let coarse = Tensor(shape: [2, 2, 4, 6], values: (0..<96).map { _ in Float(Int(rng.uniform(0, 3))) / 2 })
    return [
        ("[2, 3, 5, 7] values in [-1, 1]", Tensor.uniform([2, 3, 5, 7], -1, 1, using: &rng)),
        ("[1, 1, 4, 4] values in [-1, 1]", Tensor.uniform([1, 1, 4, 4], -1, 1, using: &rng)),
        ("[2, 2, 4, 6] values in {0, 0.5, 1} (ties)", coarse),
    ]
}

/// The transposed-conv cases: k = s (no overlap, the U-Net's 2x2), overlapping stamps, in != out.
let transposedCases: [(input: [Int], out: Int, k: Int, stride: Int)] = [
    ([2, 2, 3, 4], 3, 2, 2),
    ([1, 3, 3, 3], 2, 3, 2),
    ([2, 2, 2, 3], 2, 2, 1),
    ([1, 1, 4, 2], 1, 3, 1),
]

extension Domain {
    /// A max-pool input from the whole domain: [N 1-3, C 1-5, H, W 2-9] (odd sides too), values up
    /// to 10^k, and in half the cases rounded to a few levels so that blocks hold ties.
    mutating func poolInput() -> (shape: [Int], magnitude: Float, x: Tensor) {
        let drawn = shape(height: 2...9, width: 2...9), m = magnitude()
        let x = tensor(drawn, m)
        return (drawn, m, bool() ? Tensor(shape: drawn, values: x.values.map { ($0 / m * 2).rounded() }) : x)
    }
}

extension Catalog {
    static let lesson4: [Exercise] = [
        Exercise(
            "4.1", "max-pool 2x2 forward",
            hints: [
                "Output shape [N, C, H/2, W/2] with integer division: an odd last row/column is simply not read.",
                "Output (oy, ox) looks at input rows 2oy, 2oy+1 and columns 2ox, 2ox+1 of the same plane.",
                "out = max(max(a, b), max(c, d)) over those four values.",
            ],
            check: { impl in
                try Expect.tensor(try impl.maxPool2dForward(Tensor(shape: [1, 1, 2, 4], values: [1, 5, 2, 0, 3, 4, 8, 7])),
                                  Tensor(shape: [1, 1, 1, 2], values: [5, 8]), "the worked example in the doc comment")
                for fixture in poolFixtures(seed: 41) {
                    try Expect.tensor(try impl.maxPool2dForward(fixture.input), Reference.maxPool2dForward(fixture.input).output,
                                      "maxPool2dForward on \(fixture.name)")
                }
                try Domain.sweep(seed: 4101) { d in
                    let (shape, m, x) = d.poolInput()
                    try Expect.tensor(try impl.maxPool2dForward(x), try Implementation.solutions.maxPool2dForward(x),
                                      "maxPool2dForward on \(shape), values up to \(m)", absolute: 0, relative: 0)
                }
            },
            wrong: [
                ("average instead of max", .solutions { $0.maxPool2dForward = { x in
                    let g = Reference.Grid(x)
                    var out = Reference.Grid(g.n, g.c, g.h / 2, g.w / 2)
                    for i in 0..<g.n { for c in 0..<g.c { for y in 0..<out.h { for xx in 0..<out.w {
                        out[i, c, y, xx] = (g[i, c, 2 * y, 2 * xx] + g[i, c, 2 * y, 2 * xx + 1] + g[i, c, 2 * y + 1, 2 * xx] + g[i, c, 2 * y + 1, 2 * xx + 1]) / 4
                    } } } }
                    return out.tensor } }),
                ("windows off by one (start at 2*o + 1 when there is room)", .solutions { $0.maxPool2dForward = { x in
                    let g = Reference.Grid(x)
                    var out = Reference.Grid(g.n, g.c, g.h / 2, g.w / 2)
                    for i in 0..<g.n { for c in 0..<g.c { for y in 0..<out.h { for xx in 0..<out.w {
                        let (y0, x0) = (min(2 * y + 1, g.h - 2), min(2 * xx + 1, g.w - 2))
                        out[i, c, y, xx] = max(max(g[i, c, y0, x0], g[i, c, y0, x0 + 1]), max(g[i, c, y0 + 1, x0], g[i, c, y0 + 1, x0 + 1]))
                    } } } }
                    return out.tensor } }),
            ]),
        Exercise(
            "4.2", "max-pool 2x2 backward",
            hints: [
                "Only the input that won its 2x2 block influenced the output; only it gets gradient.",
                "Recompute the winner from `input` (the four candidates of block (oy, ox)); everything else stays 0.",
                "On a tie the first maximum in reading order wins: compare with `>`, not `>=`, while scanning top-left, top-right, bottom-left, bottom-right.",
            ],
            check: { impl in
                try Expect.tensor(try impl.maxPool2dBackward(Tensor(shape: [1, 1, 2, 2], values: [1, 5, 3, 4]), Tensor(shape: [1, 1, 1, 1], values: [10])),
                                  Tensor(shape: [1, 1, 2, 2], values: [0, 10, 0, 0]), "the worked example in the doc comment")
                var rng = SeededGenerator(seed: 42)
                for fixture in poolFixtures(seed: 43) {
                    let s = fixture.input.shape
                    let dy = Tensor.uniform([s[0], s[1], s[2] / 2, s[3] / 2], -1, 1, using: &rng)
                    try Expect.tensor(try impl.maxPool2dBackward(fixture.input, dy), Reference.maxPool2dBackward(fixture.input, dy),
                                      "maxPool2dBackward on \(fixture.name)")
                }
                try Domain.sweep(seed: 4201) { d in
                    let (shape, m, x) = d.poolInput()
                    let dy = d.tensor([shape[0], shape[1], shape[2] / 2, shape[3] / 2], d.magnitude())
                    try Expect.tensor(try impl.maxPool2dBackward(x, dy), try Implementation.solutions.maxPool2dBackward(x, dy),
                                      "maxPool2dBackward on \(shape), values up to \(m)", absolute: 0, relative: 0)
                }
            },
            wrong: [
                ("gradient spread over the block (average pooling's backward)", .solutions { $0.maxPool2dBackward = { x, dy in
                    let g = Reference.Grid(dy)
                    var dx = Reference.Grid(x)
                    dx.values = dx.values.map { _ in 0 }
                    for i in 0..<g.n { for c in 0..<g.c { for y in 0..<g.h { for xx in 0..<g.w { for (a, b) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                        dx[i, c, 2 * y + a, 2 * xx + b] = g[i, c, y, xx] / 4 } } } } }
                    return dx.tensor } }),
                ("on a tie the last maximum wins (>=)", .solutions { $0.maxPool2dBackward = { x, dy in
                    let g = Reference.Grid(x), d = Reference.Grid(dy)
                    var dx = Reference.Grid(g.n, g.c, g.h, g.w)
                    for i in 0..<d.n { for c in 0..<d.c { for y in 0..<d.h { for xx in 0..<d.w {
                        var best = (0, 0)
                        for (a, b) in [(0, 1), (1, 0), (1, 1)] where g[i, c, 2 * y + a, 2 * xx + b] >= g[i, c, 2 * y + best.0, 2 * xx + best.1] { best = (a, b) }
                        dx[i, c, 2 * y + best.0, 2 * xx + best.1] = d[i, c, y, xx] } } } }
                    return dx.tensor } }),
            ]),
        Exercise(
            "4.3", "transposed conv forward",
            hints: [
                "Output shape [N, O, (H - 1)*stride + k, (W - 1)*stride + k], where O = weight.shape[1] (weight is [in, out, k, k]).",
                "Start every output value at bias[o]; then loop over input pixels (n, c, y, x) and stamp the kernel.",
                "out[n, o, y*stride + ky, x*stride + kx] += input[n, c, y, x] * weight[c, o, ky, kx] — weight index ((c*O + o)*k + ky)*k + kx, no flip.",
            ],
            check: { impl in
                try Expect.tensor(try impl.convTranspose2dForward(Tensor(shape: [1, 1, 1, 2], values: [1, 2]), Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4]),
                                                                  Tensor(shape: [1]), 2),
                                  Tensor(shape: [1, 1, 2, 4], values: [1, 2, 2, 4, 3, 4, 6, 8]), "the worked example (a, b, c, d = 1, 2, 3, 4; stride 2)")
                for (i, c) in transposedCases.enumerated() {
                    var rng = SeededGenerator(seed: 440 + UInt64(i))
                    let x = Tensor.uniform(c.input, -1, 1, using: &rng)
                    let w = Tensor.uniform([c.input[1], c.out, c.k, c.k], -1, 1, using: &rng)
                    let b = Tensor.uniform([c.out], -1, 1, using: &rng)
                    try Expect.tensor(try impl.convTranspose2dForward(x, w, b, c.stride), Reference.convTranspose2dForward(x, w, b, stride: c.stride),
                                      "convTranspose2dForward, input \(c.input), weight [\(c.input[1]), \(c.out), \(c.k), \(c.k)], stride \(c.stride)")
                }
                try Domain.sweep(seed: 4301) { d in
                    let k = d.int(1...4), stride = d.int(1...3), out = d.int(1...4), shape = d.shape(channels: 1...4, height: 1...6, width: 1...6)
                    let (mx, mw) = (d.magnitude(), d.magnitude())
                    let x = d.tensor(shape, mx), w = d.tensor([shape[1], out, k, k], mw), b = d.tensor([out], d.magnitude())
                    try Expect.tensor(try impl.convTranspose2dForward(x, w, b, stride), try Implementation.solutions.convTranspose2dForward(x, w, b, stride),
                                      "convTranspose2dForward, input \(shape) (values up to \(mx)), weight [\(shape[1]), \(out), \(k), \(k)] (up to \(mw)), stride \(stride)",
                                      absolute: 1e-5 * Float(shape[1] * k * k) * mx * mw)
                }
            },
            wrong: [
                ("flipped kernel", .solutions { $0.convTranspose2dForward = { x, w, b, s in try Implementation.solutions.convTranspose2dForward(x, flippedKernel(w), b, s) } }),
                ("weight read as [out, in, k, k] (Conv2d's layout)", .solutions { $0.convTranspose2dForward = { x, w, b, s in
                    let (inC, outC, k) = (w.shape[0], w.shape[1], w.shape[2])
                    let asOutIn = Reference.Grid(w.reshaped([outC, inC, k, k]))
                    var transposed = Reference.Grid(inC, outC, k, k)
                    for c in 0..<inC { for o in 0..<outC { for ky in 0..<k { for kx in 0..<k { transposed[c, o, ky, kx] = asOutIn[o, c, ky, kx] } } } }
                    return try Implementation.solutions.convTranspose2dForward(x, transposed.tensor, b, s) } }),
                ("bias forgotten", .solutions { $0.convTranspose2dForward = { x, w, b, s in try Implementation.solutions.convTranspose2dForward(x, w, Tensor(shape: b.shape), s) } }),
            ]),
        Exercise(
            "4.4", "experiment: a wider bottleneck",
            hints: [
                "After `depth` 2x2 poolings, one bottleneck cell stands for a 2^depth x 2^depth block of input pixels.",
                "The cell must hold valuesPerPixel numbers for each pixel of its block; `side` cancels out and only has to be divisible by 2^depth.",
                "channels = valuesPerPixel * 4^depth, i.e. valuesPerPixel << (2 * depth), after checking the inputs.",
            ],
            check: { impl in
                try Expect.integer(try impl.bottleneckChannels(64, 3, 2), 128, "bottleneckChannels(side: 64, depth: 3, valuesPerPixel: 2) (lesson 4's bottleneck)")
                try Expect.integer(try impl.bottleneckChannels(64, 3, 4), 256, "bottleneckChannels(side: 64, depth: 3, valuesPerPixel: 4) (the experiment's)")
                for (side, depth, values) in [(64, 0, 2), (60, 3, 2), (12, 3, 1), (64, 3, 0), (0, 2, 1), (-8, 2, 1)] {
                    try Expect.refuses("bottleneckChannels(side: \(side), depth: \(depth), valuesPerPixel: \(values))") {
                        _ = try impl.bottleneckChannels(side, depth, values) }
                }
                try Domain.sweep(seed: 4401) { d in
                    let depth = d.int(1...6), side = d.int(1...9) << depth, values = d.int(1...16)
                    try Expect.integer(try impl.bottleneckChannels(side, depth, values), try Implementation.solutions.bottleneckChannels(side, depth, values),
                                       "bottleneckChannels(side: \(side), depth: \(depth), valuesPerPixel: \(values))")
                }
            },
            wrong: [
                ("one factor of 2 per pooling instead of 4: valuesPerPixel * 2^depth", .solutions { $0.bottleneckChannels = { side, depth, values in
                    _ = try Implementation.solutions.bottleneckChannels(side, depth, values)
                    return values << depth } }),
                ("the bottleneck's cells counted instead of the pixels per cell: valuesPerPixel * (side / 2^depth)^2", .solutions { $0.bottleneckChannels = { side, depth, values in
                    _ = try Implementation.solutions.bottleneckChannels(side, depth, values)
                    return values * (side >> depth) * (side >> depth) } }),
                ("accepts a side the poolings cannot halve evenly", .solutions { $0.bottleneckChannels = { _, depth, values in values << (2 * depth) } }),
            ]),
    ]
}
