import TensorCore

extension Catalog {
    static let lesson1: [Exercise] = [
        Exercise(
            "1.1", "NCHW indexing",
            hints: [
                "Row-major: the last index (x) moves fastest; one step in y skips a whole row of W values.",
                "One step in c skips a whole H*W plane; one step in n skips a whole C*H*W image.",
                "offset = ((n * C + c) * H + y) * W + x",
            ],
            check: { impl in
                for shape in [[2, 3, 4, 5], [3, 2, 7, 3], [1, 1, 1, 9]] {
                    var expected = 0
                    for n in 0..<shape[0] { for c in 0..<shape[1] { for y in 0..<shape[2] { for x in 0..<shape[3] {
                        let got = try impl.nchwOffset(n, c, y, x, shape)
                        try Expect.integer(got, expected, "nchwOffset(n: \(n), c: \(c), y: \(y), x: \(x), shape: \(shape))")
                        expected += 1  // visiting indices in row-major order counts 0, 1, 2, ...
                    } } } }
                }
                try Expect.refuses("nchwOffset(n: 0, c: 0, y: 1, x: 1, shape: [2, 3, 4]) (shape has 3 entries)") {
                    _ = try impl.nchwOffset(0, 0, 1, 1, [2, 3, 4]) }
                try Domain.sweep(seed: 1101) { d in
                    let shape = [d.int(1...9), d.int(1...9), d.int(1...300), d.int(1...300)]
                    let (n, c, y, x) = (d.int(0...shape[0] - 1), d.int(0...shape[1] - 1), d.int(0...shape[2] - 1), d.int(0...shape[3] - 1))
                    try Expect.integer(try impl.nchwOffset(n, c, y, x, shape), try Implementation.solutions.nchwOffset(n, c, y, x, shape),
                                       "nchwOffset(n: \(n), c: \(c), y: \(y), x: \(x), shape: \(shape))")
                }
                for shape: [Int] in [[], [4], [3, 4], [2, 3, 4, 5, 6]] {
                    try Expect.refuses("nchwOffset(n: 0, c: 0, y: 0, x: 0, shape: \(shape)) (shape has \(shape.count) entries)") {
                        _ = try impl.nchwOffset(0, 0, 0, 0, shape) }
                }
            },
            wrong: [
                ("accepts a shape without 4 entries", .solutions { $0.nchwOffset = { n, c, y, x, shape in
                    shape.count == 4 ? try Implementation.solutions.nchwOffset(n, c, y, x, shape) : 0 } }),
                ("H and W swapped: ((n*C + c)*W + y)*H + x", .solutions { $0.nchwOffset = { n, c, y, x, s in ((n * s[1] + c) * s[3] + y) * s[2] + x } }),
                ("channel-last (NHWC) order", .solutions { $0.nchwOffset = { n, c, y, x, s in ((n * s[2] + y) * s[3] + x) * s[1] + c } }),
            ]),
        Exercise(
            "1.2", "luminance (BT.601)",
            hints: [
                "Output shape [N, 1, H, W]; each output pixel uses the same (y, x) in the three input planes.",
                "Image n's R plane starts at offset (n*3 + 0)*H*W, G at (n*3 + 1)*H*W, B at (n*3 + 2)*H*W.",
                "gray[n*H*W + p] = 0.299*R[p] + 0.587*G[p] + 0.114*B[p] for p in 0..<H*W.",
            ],
            check: { impl in
                var rng = SeededGenerator(seed: 12)
                for shape in [[1, 3, 1, 2], [2, 3, 3, 5]] {
                    let rgb = Tensor.uniform(shape, 0, 1, using: &rng)
                    try Expect.tensor(try impl.luminance(rgb), Oracle.luminance(rgb), "luminance of \(shape)")
                }
                try Domain.sweep(seed: 1201) { d in
                    let shape = d.shape(channels: 3...3), m = d.magnitude()
                    let rgb = d.tensor(shape, m, nonNegative: true)
                    try Expect.tensor(try impl.luminance(rgb), try Implementation.solutions.luminance(rgb),
                                      "luminance of \(shape), values in [0, \(m)]", absolute: 1e-6 * m)
                }
            },
            wrong: [
                ("BGR weights (0.114 R + 0.587 G + 0.299 B)", .solutions { $0.luminance = { rgb in
                    let swapped = Reference.concatChannels(Reference.concatChannels(slice(rgb, 2), slice(rgb, 1)), slice(rgb, 0))
                    return Oracle.luminance(swapped) } }),
                ("plain average (R + G + B) / 3", .solutions { $0.luminance = { rgb in
                    let sum = Tensor(shape: slice(rgb, 0).shape, values: zip(zip(slice(rgb, 0).values, slice(rgb, 1).values), slice(rgb, 2).values).map { ($0.0 + $0.1 + $1) / 3 })
                    return sum } }),
            ]),
        Exercise(
            "1.3", "PNG pixels (HWC) to a tensor (NCHW)",
            hints: [
                "Same values, new order: the result is a [1, channels, height, width] tensor.",
                "Loop over y, x, c; read pixels[(y*width + x)*channels + c].",
                "Write it to (c*height + y)*width + x of the tensor's values.",
            ],
            check: { impl in
                for (w, h, c) in [(2, 1, 3), (5, 3, 3), (4, 6, 1), (3, 2, 4)] {
                    let pixels = (0..<(w * h * c)).map { Float($0) / 100 }
                    var expected = Reference.Grid(1, c, h, w)
                    for y in 0..<h { for x in 0..<w { for ch in 0..<c { expected[0, ch, y, x] = pixels[(y * w + x) * c + ch] } } }
                    try Expect.tensor(try impl.tensorFromPixels(pixels, w, h, c), expected.tensor,
                                      "tensorFromPixels(width \(w), height \(h), channels \(c)) with pixels 0, 0.01, 0.02, ...")
                }
                try Expect.refuses("tensorFromPixels with 5 values for width 2, height 1, channels 3 (6 needed)") {
                    _ = try impl.tensorFromPixels([0.1, 0.2, 0.3, 0.4, 0.5], 2, 1, 3) }
                try Domain.sweep(seed: 1301) { d in
                    let (w, h, c) = (d.int(1...9), d.int(1...9), d.int(1...4)), m = d.magnitude()
                    let pixels = d.tensor([w * h * c], m).values
                    try Expect.tensor(try impl.tensorFromPixels(pixels, w, h, c), try Implementation.solutions.tensorFromPixels(pixels, w, h, c),
                                      "tensorFromPixels(width \(w), height \(h), channels \(c)), values up to \(m)", absolute: 0, relative: 0)
                    // The count is refused whichever of the three arguments it disagrees with.
                    for (dw, dh, dc) in [(1, 0, 0), (0, 1, 0), (0, 0, 1)] {
                        try Expect.refuses("tensorFromPixels with \(pixels.count) values for width \(w + dw), height \(h + dh), channels \(c + dc)") {
                            _ = try impl.tensorFromPixels(pixels, w + dw, h + dh, c + dc) }
                    }
                }
            },
            wrong: [
                ("accepts a pixel count that does not match (pads with zeros)", .solutions { $0.tensorFromPixels = { p, w, h, c in
                    p.count == w * h * c ? try Implementation.solutions.tensorFromPixels(p, w, h, c) : Tensor(shape: [1, c, h, w]) } }),
                ("no transpose: the HWC values reshaped to [1, C, H, W]", .solutions { $0.tensorFromPixels = { p, w, h, c in
                    Tensor(shape: [1, c, h, w], values: p) } }),
                ("x and y swapped", .solutions { $0.tensorFromPixels = { p, w, h, c in
                    var out = [Float](repeating: 0, count: p.count)
                    for y in 0..<h { for x in 0..<w { for ch in 0..<c { out[(ch * w + x) * h + y] = p[(y * w + x) * c + ch] } } }
                    return Tensor(shape: [1, c, h, w], values: out) } }),
            ]),
    ]
}

/// Channel `c` of every image, as [N, 1, H, W].
func slice(_ t: Tensor, _ c: Int) -> Tensor {
    let g = Reference.Grid(t)
    var out = Reference.Grid(g.n, 1, g.h, g.w)
    for i in 0..<g.n { for y in 0..<g.h { for x in 0..<g.w { out[i, 0, y, x] = g[i, c, y, x] } } }
    return out.tensor
}
