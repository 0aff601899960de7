import TensorCore

/// Two layers in a row (the checks' "up" step: mix channels, then upsample).
final class Chain: Layer {
    let name: String
    let first: Layer, second: Layer
    init(_ name: String, _ first: Layer, _ second: Layer) { (self.name, self.first, self.second) = (name, first, second) }
    func forward(_ x: Tensor) -> Tensor { second.forward(first.forward(x)) }
    func backward(_ dy: Tensor) -> Tensor { first.backward(second.backward(dy)) }
}

/// A small U-Net made of grading layers: `depth` levels, input [2, 1, 8, 8].
struct ProbeUNet {
    let log: ProbeLog
    let encoders: [Layer], pools: [Layer], ups: [Layer], decoders: [Layer]
    let bottleneck: Layer, head: Layer

    init(depth: Int) {
        let widths = (0...depth).map { $0 + 2 }  // channels at level 0, 1, ..., depth (the bottleneck)
        let log = ProbeLog()
        self.log = log
        var seed: UInt64 = 500
        func mix(_ name: String, _ i: Int, _ o: Int) -> ChannelMix { seed += 1; return ChannelMix(name, in: i, out: o, seed: seed, log: log) }
        encoders = (0..<depth).map { level in mix("enc\(level)", level == 0 ? 1 : widths[level - 1], widths[level]) }
        pools = (0..<depth).map { level in Resample("pool\(level)", up: false, log: log) }
        bottleneck = mix("bottleneck", widths[depth - 1], widths[depth])
        ups = (0..<depth).map { level in Chain("up\(level)", mix("up\(level).mix", widths[level + 1], widths[level]), Resample("up\(level).resize", up: true, log: log)) }
        decoders = (0..<depth).map { level in mix("dec\(level)", 2 * widths[level], widths[level]) }
        head = mix("head", widths[0], 3)
    }

    /// The grader's own wiring.
    func expected(_ x: Tensor) -> Tensor {
        var skips: [Tensor] = [], y = x
        for level in encoders.indices {
            y = encoders[level].forward(y)
            skips.append(y)
            y = pools[level].forward(y)
        }
        y = bottleneck.forward(y)
        for level in encoders.indices.reversed() { y = decoders[level].forward(Reference.concatChannels(ups[level].forward(y), skips[level])) }
        return head.forward(y)
    }
}

/// Concatenation for the wiring check: a clear error (not a crash) when wired wrongly.
func checkedConcat(_ up: Tensor, _ skip: Tensor) throws -> Tensor {
    guard up.rank == 4, skip.rank == 4, up.shape[0] == skip.shape[0], up.shape[2...] == skip.shape[2...] else {
        throw Mismatch(context: "join(up, skip)", summary: "cannot join \(up.shape) with \(skip.shape): the skip must come from the level with the same size")
    }
    return Reference.concatChannels(up, skip)
}

extension Catalog {
    static let lesson5: [Exercise] = [
        Exercise(
            "5.1", "concat forward",
            hints: [
                "Output shape [N, Ca + Cb, H, W]; check N, H and W agree.",
                "In NCHW each image is one contiguous block, so for every n: a's block first, then b's.",
                "out += a.values[n*Ca*H*W ..< (n+1)*Ca*H*W]; out += b.values[n*Cb*H*W ..< (n+1)*Cb*H*W].",
            ],
            check: { impl in
                var rng = SeededGenerator(seed: 51)
                for (sa, sb) in [([2, 1, 3, 2], [2, 2, 3, 2]), ([1, 3, 2, 2], [1, 1, 2, 2]), ([3, 2, 1, 4], [3, 2, 1, 4])] {
                    let a = Tensor.uniform(sa, -1, 1, using: &rng), b = Tensor.uniform(sb, -1, 1, using: &rng)
                    try Expect.tensor(try impl.concatForward(a, b), Reference.concatChannels(a, b), "concatForward(a \(sa), b \(sb))")
                }
                try Expect.refuses("concatForward of [1, 1, 2, 2] and [1, 1, 3, 2] (heights differ)") {
                    _ = try impl.concatForward(Tensor(shape: [1, 1, 2, 2]), Tensor(shape: [1, 1, 3, 2])) }
                try Expect.refuses("concatForward of [1, 1, 2, 2] and [2, 1, 2, 2] (batch sizes differ)") {
                    _ = try impl.concatForward(Tensor(shape: [1, 1, 2, 2]), Tensor(shape: [2, 1, 2, 2])) }
                // Each dimension that must agree is tried on its own: a check that forgot one fails here.
                try Expect.refuses("concatForward of [1, 1, 2, 2] and [1, 1, 2, 3] (widths differ)") {
                    _ = try impl.concatForward(Tensor(shape: [1, 1, 2, 2]), Tensor(shape: [1, 1, 2, 3])) }
                try Domain.sweep(seed: 5101) { d in
                    let sa = d.shape(), m = d.magnitude()
                    let sb = [sa[0], d.int(1...5), sa[2], sa[3]]
                    let a = d.tensor(sa, m), b = d.tensor(sb, m)
                    try Expect.tensor(try impl.concatForward(a, b), try Implementation.solutions.concatForward(a, b),
                                      "concatForward(a \(sa), b \(sb)), values up to \(m)", absolute: 0, relative: 0)
                }
            },
            wrong: [
                ("does not check that the batch sizes agree", .solutions { $0.concatForward = { a, b in
                    a.shape[0] == b.shape[0] ? try Implementation.solutions.concatForward(a, b) : a } }),
                ("checks the batch and the height but not the width", .solutions { $0.concatForward = { a, b in
                    guard a.shape[0] == b.shape[0], a.shape[2] == b.shape[2] else { throw CourseError("shapes differ") }
                    let (n, ca, cb, h) = (a.shape[0], a.shape[1], b.shape[1], a.shape[2])
                    let wa = a.shape[3], wb = b.shape[3], av = a.values, bv = b.values
                    var out: [Float] = []
                    for i in 0..<n {
                        out += av[(i * ca * h * wa)..<((i + 1) * ca * h * wa)]
                        out += bv[(i * cb * h * wb)..<((i + 1) * cb * h * wb)]
                    }
                    return Tensor(shape: [n, ca + cb, h, wa], values: Array(out.prefix(n * (ca + cb) * h * wa)) + Array(repeating: 0, count: max(0, n * (ca + cb) * h * wa - out.count))) } }),
                ("swapped order: b's channels first", .solutions { $0.concatForward = { a, b in try Implementation.solutions.concatForward(b, a) } }),
                ("all of a, then all of b (ignores the batch)", .solutions { $0.concatForward = { a, b in
                    Tensor(shape: [a.shape[0], a.shape[1] + b.shape[1], a.shape[2], a.shape[3]], values: a.values + b.values) } }),
            ]),
        Exercise(
            "5.2", "concat backward (the gradient splits)",
            hints: [
                "The forward only moved values; the backward moves the gradient back to where each value came from.",
                "For each image n, its block of C*H*W gradient values starts at n*C*H*W.",
                "The first channelsOfA*H*W values of that block go to a, the remaining (C - channelsOfA)*H*W to b.",
            ],
            check: { impl in
                var rng = SeededGenerator(seed: 52)
                for (shape, split) in [([2, 3, 2, 2], 1), ([3, 4, 1, 3], 3), ([2, 2, 2, 2], 0), ([1, 5, 3, 3], 2)] {
                    let dy = Tensor.uniform(shape, -1, 1, using: &rng)
                    let g = Reference.Grid(dy)
                    var da = Reference.Grid(shape[0], split, shape[2], shape[3]), db = Reference.Grid(shape[0], shape[1] - split, shape[2], shape[3])
                    for i in 0..<g.n { for c in 0..<g.c { for y in 0..<g.h { for x in 0..<g.w {
                        if c < split { da[i, c, y, x] = g[i, c, y, x] } else { db[i, c - split, y, x] = g[i, c, y, x] }
                    } } } }
                    let got = try impl.concatBackward(dy, split)
                    try Expect.tensor(got.a, da.tensor, "concatBackward(\(shape), channelsOfA: \(split)): gradient for a")
                    try Expect.tensor(got.b, db.tensor, "concatBackward(\(shape), channelsOfA: \(split)): gradient for b")
                }
                try Domain.sweep(seed: 5201) { d in
                    let shape = d.shape(), m = d.magnitude()
                    let split = d.int(0...shape[1]), dy = d.tensor(shape, m)
                    let got = try impl.concatBackward(dy, split), expected = try Implementation.solutions.concatBackward(dy, split)
                    let context = "concatBackward(\(shape), channelsOfA: \(split)), values up to \(m)"
                    try Expect.tensor(got.a, expected.a, context + ": gradient for a", absolute: 0, relative: 0)
                    try Expect.tensor(got.b, expected.b, context + ": gradient for b", absolute: 0, relative: 0)
                }
            },
            wrong: [
                ("split swapped: a gets the last channels", .solutions { $0.concatBackward = { dy, ca in
                    let r = try Implementation.solutions.concatBackward(dy, dy.shape[1] - ca)
                    return (r.b, r.a) } }),
                ("split over the whole buffer (ignores the batch)", .solutions { $0.concatBackward = { dy, ca in
                    let (n, c, h, w) = (dy.shape[0], dy.shape[1], dy.shape[2], dy.shape[3])
                    let cut = n * ca * h * w
                    return (Tensor(shape: [n, ca, h, w], values: Array(dy.values[..<cut])),
                            Tensor(shape: [n, c - ca, h, w], values: Array(dy.values[cut...]))) } }),
            ]),
        Exercise(
            "5.3", "center crop",
            hints: [
                "Output shape [N, C, height, width]; the same window for every plane.",
                "top = (H - height) / 2 and left = (W - width) / 2, rounded down.",
                "Row y of the crop is input row top + y, columns left ..< left + width.",
            ],
            check: { impl in
                var rng = SeededGenerator(seed: 53)
                for (shape, h, w) in [([2, 2, 7, 6], 4, 3), ([1, 1, 5, 5], 5, 5), ([1, 3, 6, 9], 3, 4), ([1, 1, 1, 5], 1, 2)] {
                    let x = Tensor.uniform(shape, -1, 1, using: &rng)
                    let g = Reference.Grid(x)
                    var expected = Reference.Grid(shape[0], shape[1], h, w)
                    let (top, left) = ((shape[2] - h) / 2, (shape[3] - w) / 2)
                    for i in 0..<g.n { for c in 0..<g.c { for y in 0..<h { for xx in 0..<w { expected[i, c, y, xx] = g[i, c, top + y, left + xx] } } } }
                    try Expect.tensor(try impl.centerCrop(x, h, w), expected.tensor, "centerCrop(\(shape), height: \(h), width: \(w))")
                }
                try Domain.sweep(seed: 5301) { d in
                    let shape = d.shape(height: 1...12, width: 1...12), m = d.magnitude()
                    let (h, w) = (d.int(1...shape[2]), d.int(1...shape[3]))
                    let x = d.tensor(shape, m)
                    try Expect.tensor(try impl.centerCrop(x, h, w), try Implementation.solutions.centerCrop(x, h, w),
                                      "centerCrop(\(shape), height: \(h), width: \(w))", absolute: 0, relative: 0)
                }
            },
            wrong: [
                ("off by one: margins rounded up", .solutions { $0.centerCrop = { x, h, w in
                    let g = Reference.Grid(x)
                    var out = Reference.Grid(g.n, g.c, h, w)
                    let (top, left) = ((g.h - h + 1) / 2, (g.w - w + 1) / 2)
                    for i in 0..<g.n { for c in 0..<g.c { for y in 0..<h { for xx in 0..<w { out[i, c, y, xx] = g[i, c, top + y, left + xx] } } } }
                    return out.tensor } }),
                ("top-left corner instead of the center", .solutions { $0.centerCrop = { x, h, w in
                    let g = Reference.Grid(x)
                    var out = Reference.Grid(g.n, g.c, h, w)
                    for i in 0..<g.n { for c in 0..<g.c { for y in 0..<h { for xx in 0..<w { out[i, c, y, xx] = g[i, c, y, xx] } } } }
                    return out.tensor } }),
            ]),
        Exercise(
            "5.4", "wiring a U-Net's forward pass",
            hints: [
                "Going down, save each encoder's output before pooling it: those are the skips, outermost first.",
                "Going up, walk the levels from depth - 1 down to 0: ups[level] first, then join it with skips[level].",
                "y = decoders[level].forward(try join(ups[level].forward(y), skips[level])) — up first, skip second; then head.",
            ],
            check: { impl in
                var rng = SeededGenerator(seed: 54)
                for depth in [1, 3] {
                    let net = ProbeUNet(depth: depth)
                    let x = Tensor.uniform([2, 1, 8, 8], -1, 1, using: &rng)
                    let expected = net.expected(x)
                    let expectedCalls = net.log.calls.sorted()
                    net.log.calls = []
                    let got = try impl.uNetForward(x, net.encoders, net.pools, net.bottleneck, net.ups, net.decoders, net.head, checkedConcat)
                    let context = "uNetForward, depth \(depth), input [2, 1, 8, 8]"
                    try Expect.that(net.log.problems.isEmpty, context, net.log.problems.joined(separator: "; "))
                    try Expect.that(net.log.calls.sorted() == expectedCalls, context,
                                    "every part should run forward exactly once; calls were \(net.log.calls)")
                    try Expect.tensor(got, expected, context)
                }
                let net = ProbeUNet(depth: 2)
                try Expect.refuses("uNetForward with 2 encoders but 1 pool") {
                    _ = try impl.uNetForward(Tensor(shape: [1, 1, 8, 8]), net.encoders, [net.pools[0]], net.bottleneck, net.ups, net.decoders,
                                             net.head, checkedConcat) }
                try Domain.sweep(seed: 5401) { d in
                    let depth = d.int(1...3), side = 1 << depth, m = d.magnitude()
                    let shape = [d.int(1...3), 1, side * d.int(1...3), side * d.int(1...3)]
                    let net = ProbeUNet(depth: depth)
                    let x = d.tensor(shape, m)
                    let expected = net.expected(x)
                    let got = try impl.uNetForward(x, net.encoders, net.pools, net.bottleneck, net.ups, net.decoders, net.head, checkedConcat)
                    let context = "uNetForward, depth \(depth), input \(shape), values up to \(m)"
                    try Expect.that(net.log.problems.isEmpty, context, net.log.problems.joined(separator: "; "))
                    try Expect.tensor(got, expected, context, absolute: 1e-5 * m)
                }
                // Each of the four per-level lists is refused when it is one short.
                let lists = ProbeUNet(depth: 2)
                for short in ["encoders", "pools", "ups", "decoders"] {
                    func levels(_ name: String, _ layers: [Layer]) -> [Layer] { name == short ? Array(layers.prefix(1)) : layers }
                    try Expect.refuses("uNetForward with 2 levels but 1 entry in \(short)") {
                        _ = try impl.uNetForward(Tensor(shape: [1, 1, 8, 8]), levels("encoders", lists.encoders), levels("pools", lists.pools), lists.bottleneck,
                                                 levels("ups", lists.ups), levels("decoders", lists.decoders), lists.head, checkedConcat) }
                }
            },
            wrong: [
                ("does not check that every level has an encoder, a pool, an up and a decoder", .solutions { $0.uNetForward = { x, e, p, b, u, d, h, join in
                    let depth = min(e.count, p.count, u.count, d.count)
                    return try Implementation.solutions.uNetForward(x, Array(e.prefix(depth)), Array(p.prefix(depth)), b,
                                                                    Array(u.prefix(depth)), Array(d.prefix(depth)), h, join) } }),
                ("join order swapped: join(skip, up)", .solutions { $0.uNetForward = { x, e, p, b, u, d, h, join in
                    try Implementation.solutions.uNetForward(x, e, p, b, u, d, h) { up, skip in try join(skip, up) } } }),
                ("no skip: decoders get only the upsampled path", .solutions { $0.uNetForward = { x, e, p, b, u, d, h, _ in
                    try Implementation.solutions.uNetForward(x, e, p, b, u, d, h) { up, _ in up } } }),
                ("skips taken in the wrong order (innermost joins the outermost decoder)", .solutions { $0.uNetForward = { x, e, p, b, u, d, h, join in
                    var skips: [Tensor] = [], y = x
                    for level in e.indices { y = e[level].forward(y); skips.append(y); y = p[level].forward(y) }
                    y = b.forward(y)
                    for level in e.indices.reversed() { y = d[level].forward(try join(u[level].forward(y), skips[e.count - 1 - level])) }
                    return h.forward(y) } }),
            ]),
        Exercise(
            "5.5", "experiment: what one output pixel sees",
            hints: [
                "Keep an interval [low, high] of pixel positions and walk the layers from the output back to the input: a 3x3 conv makes it [low - 1, high + 1].",
                "An up-conv (2x2, stride 2): output pixel i came from coarse pixel i >> 1. A pool going back: coarse pixel i covers 2i and 2i + 1. Through a skip at level L: L decoder blocks and up-convs, the decoder block at L, then the encoder blocks L ... 0 with a pool before every one but level 0's.",
                "Through the bottleneck the path turns at level depth: the bottleneck block sits after one more pool. Try 2^(depth + 1) neighbouring start pixels and return the widest window.",
            ],
            check: { impl in
                for (depth, level, expected) in [(1, 0, 9), (1, nil, 18), (3, 0, 9), (3, 1, 26), (3, 2, 60), (3, nil, 100)] as [(Int, Int?, Int)] {
                    try Expect.integer(try impl.uNetReceptiveField(depth, level), expected,
                                       "uNetReceptiveField(depth: \(depth), throughSkip: \(level.map(String.init) ?? "nil")) (the worked example)")
                }
                for (depth, level) in [(0, nil), (3, 3), (3, -1), (-1, nil)] as [(Int, Int?)] {
                    try Expect.refuses("uNetReceptiveField(depth: \(depth), throughSkip: \(level.map(String.init) ?? "nil"))") {
                        _ = try impl.uNetReceptiveField(depth, level) }
                }
                // The whole domain a laptop can train: every depth up to 8, every path.
                for depth in 1...8 {
                    for level in [nil] + (0..<depth).map(Optional.some) {
                        try Expect.integer(try impl.uNetReceptiveField(depth, level), try Implementation.solutions.uNetReceptiveField(depth, level),
                                           "uNetReceptiveField(depth: \(depth), throughSkip: \(level.map(String.init) ?? "nil"))")
                    }
                }
            },
            wrong: [
                ("one start pixel only, not the widest over the pooling grid", .solutions { $0.uNetReceptiveField = { depth, level in
                    _ = try Implementation.solutions.uNetReceptiveField(depth, level)
                    return uNetWindow(depth: depth, level: level, from: 1024) } }),
                ("the decoder's convs forgotten (only the encoder's path counted)", .solutions { $0.uNetReceptiveField = { depth, level in
                    _ = try Implementation.solutions.uNetReceptiveField(depth, level)
                    return (0..<(2 << depth)).map { uNetWindow(depth: depth, level: level, from: 1024 + $0, decoderConvs: false) }.max()! } }),
                ("the bottleneck taken for one more skip level (its pool forgotten)", .solutions { $0.uNetReceptiveField = { depth, level in
                    _ = try Implementation.solutions.uNetReceptiveField(depth, level)
                    return (0..<(2 << depth)).map { uNetWindow(depth: depth, level: level, from: 1024 + $0, bottleneckPool: false) }.max()! } }),
            ]),
    ]
}

/// The window one U-Net output pixel `pixel` sees, with parts of the walk left out on request:
/// the wrong answers of exercise 5.5.
func uNetWindow(depth: Int, level: Int?, from pixel: Int, decoderConvs: Bool = true, bottleneckPool: Bool = true) -> Int {
    let turn = level ?? depth, widen = decoderConvs ? 2 : 0
    var (low, high) = (pixel, pixel)
    for _ in 0..<turn { (low, high) = ((low - widen) >> 1, (high + widen) >> 1) }
    (low, high) = (low - widen, high + widen)
    if level == nil && bottleneckPool { (low, high) = (2 * low, 2 * high + 1) }
    for l in stride(from: min(turn, depth - 1), through: 0, by: -1) {
        (low, high) = (low - 2, high + 2)
        if l > 0 { (low, high) = (2 * low, 2 * high + 1) }
    }
    return high - low + 1
}
