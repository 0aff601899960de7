import TensorCore
import XCTest

/// Conv2D and ConvTranspose2D: the fast kernels against the `Reference` loops (written from the
/// definitions, summed in Double), and both against finite differences.
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
        // Winograd (3x3, stride 1, padding 1, even height, width a multiple of 32, at least 8
        // channels in and out; its dx too): one block with a half-empty last panel, three blocks
        // (the last partial), one row of tiles.
        Case(n: 3, c: 9, h: 10, w: 32, o: 11, k: 3, s: 1, p: 1),
        Case(n: 2, c: 40, h: 12, w: 64, o: 24, k: 3, s: 1, p: 1),
        Case(n: 2, c: 8, h: 2, w: 32, o: 8, k: 3, s: 1, p: 1),
    ]

    func testConvForwardAndBackwardMatchTheReference() {
        var rng = SeededGenerator(seed: 11)
        for t in convCases {
            let conv = Conv2D("conv", in: t.c, out: t.o, kernel: t.k, stride: t.s, padding: t.p, rng: &rng)
            conv.bias.value = Tensor.uniform([t.o], -1, 1, using: &rng)
            let x = Tensor.uniform([t.n, t.c, t.h, t.w], -1, 1, using: &rng)
            let y = conv.forward(x)
            assertClose(y, Reference.conv2dForward(x, conv.weight.value, conv.bias.value, stride: t.s, padding: t.p), "forward \(t)")

            let dy = Tensor.uniform(y.shape, -1, 1, using: &rng)
            let dx = conv.backward(dy)
            let (rdx, rdw, rdb) = Reference.conv2dBackward(x, conv.weight.value, dy, stride: t.s, padding: t.p)
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

    func testTransposedConvForwardAndBackwardMatchTheReference() {
        var rng = SeededGenerator(seed: 12)
        for t in transposedCases {
            let up = ConvTranspose2D("up", in: t.c, out: t.o, kernel: t.k, stride: t.s, padding: t.p, rng: &rng)
            up.bias.value = Tensor.uniform([t.o], -1, 1, using: &rng)
            let x = Tensor.uniform([t.n, t.c, t.h, t.w], -1, 1, using: &rng)
            let y = up.forward(x)
            let ry = Reference.convTranspose2dForward(x, up.weight.value, up.bias.value, stride: t.s, padding: t.p)
            XCTAssertEqual(y.shape, [t.n, t.o, (t.h - 1) * t.s - 2 * t.p + t.k, (t.w - 1) * t.s - 2 * t.p + t.k])
            assertClose(y, ry, "forward \(t)")

            let dy = Tensor.uniform(y.shape, -1, 1, using: &rng)
            let dx = up.backward(dy)
            let (rdx, rdw, rdb) = Reference.convTranspose2dBackward(x, up.weight.value, dy, stride: t.s, padding: t.p)
            assertClose(dx, rdx, "dx \(t)")
            assertClose(up.weight.grad, rdw, "dW \(t)")
            assertClose(up.bias.grad, rdb, "db \(t)")
        }
    }

    /// Finite differences, on the fast kernels and on the `Reference` loops.
    func testConvGradientsByFiniteDifferences() { onBothKernels(checkConvGradients) }
    func testTransposedConvGradientsByFiniteDifferences() { onBothKernels(checkTransposedConvGradients) }

    func checkConvGradients(_ kernels: Kernels) {
        var rng = SeededGenerator(seed: 13)
        for (s, p) in [(1, 1), (2, 1), (1, 0)] {
            let conv = Conv2D("conv s\(s) p\(p)", in: 3, out: 4, kernel: 3, stride: s, padding: p, rng: &rng)
            conv.bias.value = Tensor.uniform([4], -1, 1, using: &rng)
            checkGradients(of: kernels.conv(conv), input: Tensor.uniform([2, 3, 5, 6], -1, 1, using: &rng), rng: &rng)
        }
        // Channels and sizes that take the Winograd path (forward and dx).
        let conv = Conv2D("conv winograd", in: 8, out: 8, kernel: 3, padding: 1, rng: &rng)
        conv.bias.value = Tensor.uniform([8], -1, 1, using: &rng)
        checkGradients(of: kernels.conv(conv), input: Tensor.uniform([1, 8, 2, 32], -1, 1, using: &rng), rng: &rng)
    }

    func checkTransposedConvGradients(_ kernels: Kernels) {
        var rng = SeededGenerator(seed: 14)
        for (k, s, p) in [(2, 2, 0), (3, 2, 1), (3, 1, 1)] {
            let up = ConvTranspose2D("up k\(k) s\(s) p\(p)", in: 3, out: 4, kernel: k, stride: s, padding: p, rng: &rng)
            up.bias.value = Tensor.uniform([4], -1, 1, using: &rng)
            checkGradients(of: kernels.up(up), input: Tensor.uniform([2, 3, 4, 3], -1, 1, using: &rng), rng: &rng)
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
            // Winograd over several blocks of tiles.
            let wide = Conv2D("wide", in: 9, out: 12, kernel: 3, padding: 1, rng: &rng)
            let wx = Tensor.uniform([3, 9, 20, 64], -1, 1, using: &rng)
            let wy = wide.forward(wx)
            let wdx = wide.backward(Tensor.uniform(wy.shape, -1, 1, using: &rng))
            return [y, dx, conv.weight.grad, conv.bias.grad, up.weight.grad, up.bias.grad, wy, wdx, wide.weight.grad]
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
