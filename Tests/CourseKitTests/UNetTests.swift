import CourseKit
import XCTest

final class UNetTests: XCTestCase {
    func parameterCount(_ model: UNet) -> Int { model.parameters.reduce(0) { $0 + $1.value.count } }

    /// The default U-Net is unet64.py: same parameter count (PyTorch: 481,779 with skips).
    func testDefaultIsUNet64() {
        var rng = SeededGenerator(seed: 1)
        let model = UNet(rng: &rng)
        XCTAssertEqual(parameterCount(model), 481_779)
        XCTAssertEqual(model.skips, [.concat, .concat, .concat])
        let y = model.forward(Tensor.uniform([2, 1, 16, 16], 0, 1, using: &rng))
        XCTAssertEqual(y.shape, [2, 3, 16, 16])
    }

    /// Without skips the decoder convs take only the upsampled channels, like
    /// `UNet64(skips=False)` (433,395 parameters in PyTorch); add-skips need no extra weights.
    func testSkipKindsChangeOnlyTheDecoderInputs() {
        var rng = SeededGenerator(seed: 2)
        XCTAssertEqual(parameterCount(UNet(skips: [.none, .none, .none], rng: &rng)), 433_395)
        XCTAssertEqual(parameterCount(UNet(skips: [.add, .add, .add], rng: &rng)), 433_395)
        let mixed = UNet(base: 4, depth: 2, skips: [.add, .concat], rng: &rng)
        XCTAssertEqual(mixed.decoders[0].parameters[0].value.shape, [4, 4, 3, 3])
        XCTAssertEqual(mixed.decoders[1].parameters[0].value.shape, [8, 16, 3, 3])
    }

    /// With `zeroBottleneck` the output cannot depend on the bottleneck, and no gradient reaches it.
    func testZeroBottleneckCutsTheBottleneck() {
        var rng = SeededGenerator(seed: 3)
        let model = UNet(base: 2, depth: 2, rng: &rng)
        let x = Tensor.uniform([1, 1, 8, 8], 0, 1, using: &rng)
        model.zeroBottleneck = true
        let before = model.forward(x)
        let weight = model.bottleneck.parameters[0]
        weight.value = Tensor.uniform(weight.value.shape, -1, 1, using: &rng)
        XCTAssertEqual(model.forward(x), before)
        for p in model.parameters { p.zeroGrad() }
        _ = model.backward(Tensor(shape: before.shape, repeating: 1))
        for p in model.bottleneck.parameters { XCTAssertEqual(p.grad.values.map { abs($0) }.max(), 0, p.name) }
        model.zeroBottleneck = false
        XCTAssertNotEqual(model.forward(x), before)
    }

    /// Backward against central differences of L = Σ y·g, element by element: a few input
    /// elements and a few elements of every parameter tensor of a small U-Net with every kind of
    /// skip. A ReLU kink inside ±h spoils a difference quotient, so each element is tried at three
    /// step sizes and passes if one agrees (a kink rarely sits inside all).
    func testGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 4)
        for skips in [[SkipKind.concat, .add], [.none, .concat]] {
            let model = UNet(base: 3, depth: 2, skips: skips, rng: &rng)
            for p in model.parameters { p.value = Tensor.uniform(p.value.shape, -0.5, 0.5, using: &rng) }
            var x = Tensor.uniform([2, 1, 8, 8], -1, 1, using: &rng)
            let g = Tensor.normal(model.forward(x).shape, using: &rng)
            func loss() -> Double {
                zip(model.forward(x).values, g.values).reduce(0) { $0 + Double($1.0) * Double($1.1) }
            }
            for p in model.parameters { p.zeroGrad() }
            _ = model.forward(x)
            let dx = model.backward(g).values

            /// Central differences of `loss` in element `i` of a tensor reached through `access`.
            func check(_ label: String, _ analytic: Float, _ i: Int,
                       _ access: (_ i: Int, _ change: (inout Float) -> Void) -> Void) {
                var errors: [Double] = []
                for h: Float in [1e-3, 3e-4, 1e-4] {
                    var original: Float = 0
                    access(i) { original = $0; $0 = original + h }
                    let plus = loss()
                    access(i) { $0 = original - h }
                    let minus = loss()
                    access(i) { $0 = original }
                    let numeric = (plus - minus) / Double(2 * h)
                    errors.append(abs(numeric - Double(analytic)) / max(1, abs(Double(analytic))))
                }
                XCTAssertLessThan(errors.min()!, 2e-2, "\(label)[\(i)] analytic \(analytic), skips \(skips)")
            }
            for i in (0..<4).map({ _ in Int(rng.next() % UInt64(x.count)) }) {
                check("input", dx[i], i) { i, change in x.withUnsafeMutableBufferPointer { change(&$0[i]) } }
            }
            for p in model.parameters {
                let grad = p.grad.values
                for i in (0..<3).map({ _ in Int(rng.next() % UInt64(grad.count)) }) {
                    check(p.name, grad[i], i) { i, change in p.value.withUnsafeMutableBufferPointer { change(&$0[i]) } }
                }
            }
        }
    }

    /// Without the input gradient, backward returns zeros and the parameter gradients are unchanged.
    func testNeedsInputGradientOffKeepsParameterGradients() {
        var rng = SeededGenerator(seed: 6)
        let model = UNet(base: 2, depth: 2, rng: &rng)
        let x = Tensor.uniform([2, 1, 8, 8], 0, 1, using: &rng)
        let g = Tensor.normal([2, 3, 8, 8], using: &rng)
        func gradients() -> (dx: Tensor, parameters: [Tensor]) {
            for p in model.parameters { p.zeroGrad() }
            _ = model.forward(x)
            let dx = model.backward(g)
            return (dx, model.parameters.map(\.grad))
        }
        let full = gradients()
        model.needsInputGradient = false
        let skipped = gradients()
        XCTAssertTrue(full.dx.values.contains { $0 != 0 })
        XCTAssertEqual(skipped.dx, Tensor(shape: x.shape))
        XCTAssertEqual(skipped.parameters, full.parameters)
    }

    /// A few Adam steps give bitwise-identical weights with one or two threads.
    func testTrainingIsBitwiseIdenticalWithOneOrTwoThreads() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        func train(threads: Int) -> [Tensor] {
            Parallel.threads = threads
            var rng = SeededGenerator(seed: 5)
            let model = UNet(base: 4, depth: 3, rng: &rng)
            let optimizer = Adam(learningRate: 1e-3)
            let x = Tensor.uniform([3, 1, 16, 16], 0, 1, using: &rng)
            let t = Tensor.uniform([3, 3, 16, 16], 0, 1, using: &rng)
            var outputs: [Tensor] = []
            for _ in 0..<3 {
                for p in model.parameters { p.zeroGrad() }
                let y = model.forward(x)
                outputs.append(y)
                _ = model.backward(mseLoss(y, t).grad)
                optimizer.step(model.parameters)
            }
            return outputs + model.parameters.map(\.value)
        }
        let one = train(threads: 1), two = train(threads: 2)
        XCTAssertEqual(one.count, two.count)
        for (a, b) in zip(one, two) { XCTAssertEqual(a, b) }
        XCTAssertNotEqual(one[0], one[2], "training should change the output")
    }
}
