import TensorCore
import XCTest

/// Conv2D and ConvTranspose2D against straightforward loops written from the definitions
/// (summed in Double), plus finite-difference checks of every gradient.
final class ConvTests: XCTestCase {
    struct Case { let n, c, h, w, o, k, s, p: Int }

    /// Shapes chosen to hit every path: stride 1 and 2, padding 0/1/2 and larger than k-1, odd
    /// sizes, channels that are not multiples of 6 or 16, a patch longer than one k-block (405 > 384),
    /// output rows of 8, 16 and 20 pixels at stride 1 and 2 (vector packing paths) and more than
    /// 1024 pixels (several chunks per image).
    let convCases = [
        Case(n: 2, c: 3, h: 7, w: 9, o: 5, k: 3, s: 1, p: 1),
        Case(n: 3, c: 5, h: 9, w: 8, o: 10, k: 3, s: 2, p: 0),
        Case(n: 2, c: 2, h: 6, w: 7, o: 17, k: 5, s: 1, p: 2),
        Case(n: 2, c: 3, h: 5, w: 20, o: 7, k: 3, s: 1, p: 1),
        Case(n: 2, c: 4, h: 8, w: 8, o: 19, k: 3, s: 1, p: 1),
        Case(n: 1, c: 45, h: 6, w: 6, o: 7, k: 3, s: 1, p: 1),
        Case(n: 1, c: 2, h: 40, w: 30, o: 3, k: 1, s: 1, p: 0),
        Case(n: 2, c: 3, h: 7, w: 6, o: 4, k: 3, s: 2, p: 2),
        Case(n: 2, c: 3, h: 5, w: 5, o: 4, k: 2, s: 1, p: 2),
        Case(n: 2, c: 1, h: 8, w: 8, o: 3, k: 3, s: 1, p: 1),
        Case(n: 2, c: 6, h: 2, w: 2, o: 12, k: 3, s: 1, p: 1),
        Case(n: 2, c: 3, h: 16, w: 16, o: 5, k: 2, s: 2, p: 0),
        Case(n: 1, c: 2, h: 32, w: 32, o: 5, k: 3, s: 2, p: 1),
        // The kernel paths' own edges: 16 channels (paired weight-gradient rows on AVX-512, 8 on
        // AVX2), 32 channels (one full AVX-512 panel), rows of 8 pixels under a 32-wide panel,
        // 9 rows of C (a full 8-row tile plus one), bias on every tile shape.
        Case(n: 2, c: 16, h: 6, w: 64, o: 16, k: 3, s: 1, p: 1),
        Case(n: 2, c: 8, h: 8, w: 8, o: 32, k: 3, s: 1, p: 1),
        Case(n: 1, c: 3, h: 6, w: 34, o: 9, k: 3, s: 1, p: 1),
        Case(n: 2, c: 4, h: 10, w: 12, o: 8, k: 3, s: 1, p: 1),
    ]

    func testConvForwardAndBackwardMatchNaiveLoops() {
        var rng = SeededGenerator(seed: 11)
        for t in convCases {
            let conv = Conv2D("conv", in: t.c, out: t.o, kernel: t.k, stride: t.s, padding: t.p, rng: &rng)
            conv.bias.value = Tensor.uniform([t.o], -1, 1, using: &rng)
            let x = Tensor.uniform([t.n, t.c, t.h, t.w], -1, 1, using: &rng)
            let y = conv.forward(x)
            let ref = NaiveConv(x: x, w: conv.weight.value, stride: t.s, padding: t.p)
            assertClose(y, ref.forward(bias: conv.bias.value), "forward \(t)")

            let dy = Tensor.uniform(y.shape, -1, 1, using: &rng)
            let dx = conv.backward(dy)
            let (rdx, rdw, rdb) = ref.backward(dy)
            assertClose(dx, rdx, "dx \(t)")
            assertClose(conv.weight.grad, rdw, "dW \(t)")
            assertClose(conv.bias.grad, rdb, "db \(t)")
            // backward adds into the parameter gradients.
            _ = conv.backward(dy)
            assertClose(conv.weight.grad, scaled(rdw, 2), "dW accumulates \(t)")
            assertClose(conv.bias.grad, scaled(rdb, 2), "db accumulates \(t)")
        }
    }

    let transposedCases = [
        Case(n: 2, c: 5, h: 3, w: 4, o: 3, k: 2, s: 2, p: 0),
        Case(n: 2, c: 7, h: 8, w: 8, o: 17, k: 2, s: 2, p: 0),
        Case(n: 2, c: 3, h: 4, w: 5, o: 4, k: 3, s: 2, p: 1),
        Case(n: 1, c: 4, h: 5, w: 3, o: 6, k: 3, s: 1, p: 0),
        Case(n: 2, c: 3, h: 4, w: 4, o: 2, k: 4, s: 2, p: 1),
    ]

    func testTransposedConvForwardAndBackwardMatchNaiveLoops() {
        var rng = SeededGenerator(seed: 12)
        for t in transposedCases {
            let up = ConvTranspose2D("up", in: t.c, out: t.o, kernel: t.k, stride: t.s, padding: t.p, rng: &rng)
            up.bias.value = Tensor.uniform([t.o], -1, 1, using: &rng)
            let x = Tensor.uniform([t.n, t.c, t.h, t.w], -1, 1, using: &rng)
            let y = up.forward(x)
            let ref = NaiveConvTranspose(x: x, w: up.weight.value, stride: t.s, padding: t.p)
            let ry = ref.forward(bias: up.bias.value)
            XCTAssertEqual(y.shape, [t.n, t.o, (t.h - 1) * t.s - 2 * t.p + t.k, (t.w - 1) * t.s - 2 * t.p + t.k])
            assertClose(y, ry, "forward \(t)")

            let dy = Tensor.uniform(y.shape, -1, 1, using: &rng)
            let dx = up.backward(dy)
            let (rdx, rdw, rdb) = ref.backward(dy)
            assertClose(dx, rdx, "dx \(t)")
            assertClose(up.weight.grad, rdw, "dW \(t)")
            assertClose(up.bias.grad, rdb, "db \(t)")
        }
    }

    func testConvGradientsByFiniteDifferences() {
        var rng = SeededGenerator(seed: 13)
        for (s, p) in [(1, 1), (2, 1), (1, 0)] {
            let conv = Conv2D("conv s\(s) p\(p)", in: 3, out: 4, kernel: 3, stride: s, padding: p, rng: &rng)
            conv.bias.value = Tensor.uniform([4], -1, 1, using: &rng)
            checkGradients(of: conv, input: Tensor.uniform([2, 3, 5, 6], -1, 1, using: &rng), rng: &rng)
        }
    }

    func testTransposedConvGradientsByFiniteDifferences() {
        var rng = SeededGenerator(seed: 14)
        for (k, s, p) in [(2, 2, 0), (3, 2, 1), (3, 1, 1)] {
            let up = ConvTranspose2D("up k\(k) s\(s) p\(p)", in: 3, out: 4, kernel: k, stride: s, padding: p, rng: &rng)
            up.bias.value = Tensor.uniform([4], -1, 1, using: &rng)
            checkGradients(of: up, input: Tensor.uniform([2, 3, 4, 3], -1, 1, using: &rng), rng: &rng)
        }
    }

    /// One chunk of work is always computed whole by one thread, in one order.
    func testResultsAreBitwiseIdenticalWithOneOrTwoThreads() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        func run(threads: Int) -> [Tensor] {
            Parallel.threads = threads
            var rng = SeededGenerator(seed: 15)
            let conv = Conv2D("conv", in: 5, out: 9, kernel: 3, padding: 1, rng: &rng)
            let up = ConvTranspose2D("up", in: 9, out: 4, rng: &rng)
            let x = Tensor.uniform([3, 5, 9, 10], -1, 1, using: &rng)
            let y = up.forward(conv.forward(x))
            let dx = conv.backward(up.backward(Tensor.uniform(y.shape, -1, 1, using: &rng)))
            return [y, dx, conv.weight.grad, conv.bias.grad, up.weight.grad, up.bias.grad]
        }
        XCTAssertEqual(run(threads: 1), run(threads: 2))
    }

    func testForwardReusesItsOutputBufferWhenTheCallerLetsGo() {
        var rng = SeededGenerator(seed: 16)
        let conv = Conv2D("conv", in: 2, out: 3, kernel: 3, padding: 1, rng: &rng)
        let x = Tensor.uniform([1, 2, 6, 6], -1, 1, using: &rng)
        let first = conv.forward(x).withUnsafeBufferPointer { $0.baseAddress! }
        let second = conv.forward(x).withUnsafeBufferPointer { $0.baseAddress! }
        XCTAssertEqual(first, second)
        // While the caller still holds the output, a new forward must not overwrite it.
        let kept = conv.forward(x)
        let copy = kept.values
        _ = conv.forward(Tensor.uniform([1, 2, 6, 6], -1, 1, using: &rng))
        XCTAssertEqual(kept.values, copy)
    }

    func testSkippingTheInputGradientGivesZerosAndTheSameParameterGradients() {
        var rng = SeededGenerator(seed: 17)
        let conv = Conv2D("conv", in: 2, out: 3, kernel: 3, padding: 1, rng: &rng)
        let x = Tensor.uniform([2, 2, 5, 6], -1, 1, using: &rng)
        let dy = Tensor.uniform([2, 3, 5, 6], -1, 1, using: &rng)
        func gradients(needsInputGradient: Bool) -> [Tensor] {
            conv.needsInputGradient = needsInputGradient
            conv.weight.zeroGrad(); conv.bias.zeroGrad()
            _ = conv.forward(x)
            let dx = conv.backward(dy)
            return [dx, conv.weight.grad, conv.bias.grad]
        }
        let full = gradients(needsInputGradient: true), skipped = gradients(needsInputGradient: false)
        XCTAssertTrue(full[0].values.contains { $0 != 0 })
        XCTAssertEqual(skipped[0], Tensor(shape: x.shape), "the skipped input gradient is zeros of the input's shape")
        XCTAssertEqual(Array(skipped[1...]), Array(full[1...]))
    }

    // MARK: - helpers

    func scaled(_ t: Tensor, _ f: Float) -> Tensor { Tensor(shape: t.shape, values: t.values.map { $0 * f }) }

    func assertClose(_ got: Tensor, _ want: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.shape, want.shape, what, file: file, line: line)
        guard got.shape == want.shape else { return }
        let scale = max(1, want.values.map { abs($0) }.max() ?? 0)
        let worst = zip(got.values, want.values).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(worst, 1e-5 * scale, "\(what): worst difference \(worst)", file: file, line: line)
    }
}

/// Convolution straight from the definition, accumulating in Double.
struct NaiveConv {
    let x: Tensor, w: Tensor, stride: Int, padding: Int
    let xv: [Float], wv: [Float]
    init(x: Tensor, w: Tensor, stride: Int, padding: Int) {
        self.x = x; self.w = w; self.stride = stride; self.padding = padding; xv = x.values; wv = w.values
    }
    var n: Int { x.shape[0] }
    var c: Int { x.shape[1] }
    var h: Int { x.shape[2] }
    var wd: Int { x.shape[3] }
    var o: Int { w.shape[0] }
    var k: Int { w.shape[2] }
    var oh: Int { (h + 2 * padding - k) / stride + 1 }
    var ow: Int { (wd + 2 * padding - k) / stride + 1 }

    /// Calls `body(n, o, oy, ox, c, iy, ix, ky, kx)` for every product in the sum.
    func forEachTerm(_ body: (Int, Int, Int, Int, Int, Int, Int, Int, Int) -> Void) {
        for b in 0..<n { for oc in 0..<o { for oy in 0..<oh { for ox in 0..<ow {
            for ic in 0..<c { for ky in 0..<k { for kx in 0..<k {
                let iy = oy * stride + ky - padding, ix = ox * stride + kx - padding
                if iy >= 0 && iy < h && ix >= 0 && ix < wd { body(b, oc, oy, ox, ic, iy, ix, ky, kx) }
            } } }
        } } } }
    }

    func forward(bias: Tensor) -> Tensor {
        var y = [Double](repeating: 0, count: n * o * oh * ow)
        for b in 0..<n { for oc in 0..<o { for p in 0..<(oh * ow) { y[(b * o + oc) * oh * ow + p] = Double(bias.values[oc]) } } }
        forEachTerm { b, oc, oy, ox, ic, iy, ix, ky, kx in
            y[((b * o + oc) * oh + oy) * ow + ox] += Double(xv[((b * c + ic) * h + iy) * wd + ix]) * Double(wv[((oc * c + ic) * k + ky) * k + kx])
        }
        return Tensor(shape: [n, o, oh, ow], values: y.map { Float($0) })
    }

    func backward(_ dy: Tensor) -> (dx: Tensor, dw: Tensor, db: Tensor) {
        var dx = [Double](repeating: 0, count: x.count), dw = [Double](repeating: 0, count: w.count)
        var db = [Double](repeating: 0, count: o)
        let dyv = dy.values
        forEachTerm { b, oc, oy, ox, ic, iy, ix, ky, kx in
            let g = Double(dyv[((b * o + oc) * oh + oy) * ow + ox])
            dx[((b * c + ic) * h + iy) * wd + ix] += g * Double(wv[((oc * c + ic) * k + ky) * k + kx])
            dw[((oc * c + ic) * k + ky) * k + kx] += g * Double(xv[((b * c + ic) * h + iy) * wd + ix])
        }
        for (i, g) in dyv.enumerated() { db[(i / (oh * ow)) % o] += Double(g) }
        return (Tensor(shape: x.shape, values: dx.map { Float($0) }), Tensor(shape: w.shape, values: dw.map { Float($0) }),
                Tensor(shape: [o], values: db.map { Float($0) }))
    }
}

/// Transposed convolution straight from the definition: each input pixel stamps weights.
struct NaiveConvTranspose {
    let x: Tensor, w: Tensor, stride: Int, padding: Int
    let xv: [Float], wv: [Float]
    init(x: Tensor, w: Tensor, stride: Int, padding: Int) {
        self.x = x; self.w = w; self.stride = stride; self.padding = padding; xv = x.values; wv = w.values
    }
    var n: Int { x.shape[0] }
    var c: Int { x.shape[1] }
    var h: Int { x.shape[2] }
    var wd: Int { x.shape[3] }
    var o: Int { w.shape[1] }
    var k: Int { w.shape[2] }
    var oh: Int { (h - 1) * stride - 2 * padding + k }
    var ow: Int { (wd - 1) * stride - 2 * padding + k }

    func forEachTerm(_ body: (Int, Int, Int, Int, Int, Int, Int, Int, Int) -> Void) {
        for b in 0..<n { for ic in 0..<c { for iy in 0..<h { for ix in 0..<wd {
            for oc in 0..<o { for ky in 0..<k { for kx in 0..<k {
                let oy = iy * stride + ky - padding, ox = ix * stride + kx - padding
                if oy >= 0 && oy < oh && ox >= 0 && ox < ow { body(b, oc, oy, ox, ic, iy, ix, ky, kx) }
            } } }
        } } } }
    }

    func forward(bias: Tensor) -> Tensor {
        var y = [Double](repeating: 0, count: n * o * oh * ow)
        for b in 0..<n { for oc in 0..<o { for p in 0..<(oh * ow) { y[(b * o + oc) * oh * ow + p] = Double(bias.values[oc]) } } }
        forEachTerm { b, oc, oy, ox, ic, iy, ix, ky, kx in
            y[((b * o + oc) * oh + oy) * ow + ox] += Double(xv[((b * c + ic) * h + iy) * wd + ix]) * Double(wv[((ic * o + oc) * k + ky) * k + kx])
        }
        return Tensor(shape: [n, o, oh, ow], values: y.map { Float($0) })
    }

    func backward(_ dy: Tensor) -> (dx: Tensor, dw: Tensor, db: Tensor) {
        var dx = [Double](repeating: 0, count: x.count), dw = [Double](repeating: 0, count: w.count)
        var db = [Double](repeating: 0, count: o)
        let dyv = dy.values
        forEachTerm { b, oc, oy, ox, ic, iy, ix, ky, kx in
            let g = Double(dyv[((b * o + oc) * oh + oy) * ow + ox])
            dx[((b * c + ic) * h + iy) * wd + ix] += g * Double(wv[((ic * o + oc) * k + ky) * k + kx])
            dw[((ic * o + oc) * k + ky) * k + kx] += g * Double(xv[((b * c + ic) * h + iy) * wd + ix])
        }
        for (i, g) in dyv.enumerated() { db[(i / (oh * ow)) % o] += Double(g) }
        return (Tensor(shape: x.shape, values: dx.map { Float($0) }), Tensor(shape: w.shape, values: dw.map { Float($0) }),
                Tensor(shape: [o], values: db.map { Float($0) }))
    }
}
