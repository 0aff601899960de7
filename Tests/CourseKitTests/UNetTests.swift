import Foundation
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
    /// The receptive field per path, measured: the input gradient of one output pixel in the
    /// middle of a 128 px scene is nonzero over at most the window the arithmetic gives, and over
    /// all of it for some pixel (the window's place against the pooling grid varies; skips only:
    /// the widest skip path, 60 px; bottleneck only: 100 px).
    func testReceptiveFieldPerPathIsWhereTheGradientReaches() throws {
        XCTAssertEqual(UNet.receptiveField(depth: 3, throughSkip: 0), 9)
        XCTAssertEqual(UNet.receptiveField(depth: 3, throughSkip: 1), 26)
        for (zeroSkips, expected) in [(false, 60), (true, 100)] {
            var rng = SeededGenerator(seed: 21)
            let model = UNet(base: 2, rng: &rng)
            let fields = try XCTUnwrap(receptiveFields(of: model))
            XCTAssertEqual(zeroSkips ? fields["bottleneck"] : ["skip0", "skip1", "skip2"].compactMap { fields[$0] }.max(), expected)
            model.zeroBottleneck = !zeroSkips
            model.zeroSkips = zeroSkips
            let side = 128
            var widest = 0
            for centre in 60..<68 {
                let y = model.forward(Tensor.uniform([1, 1, side, side], 0, 1, using: &rng))
                var dy = Tensor(shape: y.shape)
                dy.withUnsafeMutableBufferPointer { p in for c in 0..<3 { p[(c * side + centre) * side + centre] = 1 } }
                let dx = model.backward(dy).values
                let columns = (0..<side).filter { x in (0..<side).contains { dx[$0 * side + x] != 0 } }
                widest = max(widest, (columns.max() ?? 0) - (columns.min() ?? 0) + 1)
            }
            XCTAssertEqual(widest, expected, zeroSkips ? "through the bottleneck" : "through the skips")
        }
        // The lesson 5 chapter quotes these numbers.
        let chapter = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CourseKit/CourseKit.docc/Lesson5.md")
        let text = (try? String(contentsOf: chapter, encoding: .utf8))?.replacingOccurrences(of: "\n", with: " ") ?? ""
        let field = CourseModel.receptiveFields
        XCTAssertTrue(text.contains("a window \(field.deepestSkip) px wide"), "Lesson5.md should quote \(field.deepestSkip) px")
        XCTAssertTrue(text.contains("(\(field.bottleneck) px through the bottleneck"), "Lesson5.md should quote \(field.bottleneck) px")
    }

    func testGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 4)
        // The last case zeroes the skips (lesson 5's "bottleneck only"): no gradient may leak through them.
        for (skips, zeroSkips) in [([SkipKind.concat, .add], false), ([.none, .concat], false), ([.concat, .add], true)] {
            let model = UNet(base: 3, depth: 2, skips: skips, rng: &rng)
            model.zeroSkips = zeroSkips
            for p in model.parameters { p.value = Tensor.uniform(p.value.shape, -0.5, 0.5, using: &rng) }
            var x = Tensor.uniform([2, 1, 8, 8], -1, 1, using: &rng)
            let g = Tensor.normal(model.forward(x).shape, using: &rng)
            func loss() -> Double {
                zip(model.forward(x).values, g.values).reduce(0) { $0 + Double($1.0) * Double($1.1) }
            }
            for p in model.parameters { p.zeroGrad() }
            _ = model.forward(x)
            let dx = model.backward(g).values

            /// Finite differences of `loss` in element `i` of a tensor reached through `access`:
            /// central, and one-sided on each side. Near a kink (a ReLU input or a max-pool tie
            /// within h of switching) the central difference mixes both sides and is off by up to
            /// the jump, while the analytic gradient is one side's derivative: so the best of the
            /// three is checked, over three step sizes.
            func check(_ label: String, _ analytic: Float, _ i: Int,
                       _ access: (_ i: Int, _ change: (inout Float) -> Void) -> Void) {
                var errors: [Double] = []
                let base = loss()
                for h: Float in [1e-3, 3e-4, 1e-4] {
                    var original: Float = 0
                    access(i) { original = $0; $0 = original + h }
                    let plus = loss()
                    access(i) { $0 = original - h }
                    let minus = loss()
                    access(i) { $0 = original }
                    for numeric in [(plus - minus) / Double(2 * h), (plus - base) / Double(h), (base - minus) / Double(h)] {
                        errors.append(abs(numeric - Double(analytic)) / max(1, abs(Double(analytic))))
                    }
                }
                XCTAssertLessThan(errors.min()!, 2e-2, "\(label)[\(i)] analytic \(analytic), skips \(skips), zeroSkips \(zeroSkips)")
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

    /// A U-Net built from other `Parts` (the way `--use-exercises` swaps the learner's code in)
    /// routes forward and backward through them: parts that wrap the built-in layers (the
    /// transposed convs like `LearnerConvTranspose2D`: forward from another layer given the same
    /// weights, backward from the built-in one) and a join that wraps the built-in concat give
    /// bitwise the same output and gradients as the built-in model — and every part was really called.
    func testAModelBuiltFromOtherPartsRunsThemAndComputesTheSame() {
        func run(_ model: UNet, _ x: Tensor, _ g: Tensor) -> [Tensor] {
            for p in model.parameters { p.zeroGrad() }
            let y = model.forward(x)
            return [y, model.backward(g)] + model.parameters.map(\.grad)
        }
        for skips in [[SkipKind.concat, .concat, .concat], [.none, .none, .none]] {
            var rng = SeededGenerator(seed: 7)
            let reference = UNet(base: 4, depth: 3, skips: skips, rng: &rng)
            let calls = CallCount()
            var parts = Parts.builtIn
            let builtIn = Parts.builtIn
            parts.conv = { name, cin, cout, k, p, rng in Relay(builtIn.conv(name, cin, cout, k, p, &rng), calls) }
            parts.relu = { Relay(builtIn.relu($0), calls) }
            parts.pool = { Relay(builtIn.pool($0), calls) }
            parts.upConv = { name, cin, cout, rng in ForwardElsewhere(ConvTranspose2D(name, in: cin, out: cout, rng: &rng), calls) }
            parts.concat = { _ in CountedJoin(calls) }
            rng = SeededGenerator(seed: 7)
            let swapped = UNet(base: 4, depth: 3, skips: skips, parts: parts, rng: &rng)
            let x = Tensor.uniform([1, 1, 16, 16], 0, 1, using: &rng)
            let g = Tensor.normal([1, 3, 16, 16], using: &rng)
            for _ in 0..<2 {  // twice: the built-in layers' reused buffers must stay valid too
                XCTAssertEqual(run(swapped, x, g), run(reference, x, g), "skips \(skips)")
            }
            // Per step, layers: encoders 4 + 5 + 5 (with their pools), bottleneck 5, decoders 3 x 4, head 1.
            XCTAssertEqual(calls.forward, 2 * 32)
            XCTAssertEqual(calls.backward, 2 * 32)
            XCTAssertEqual(calls.ups, 2 * 3)
            XCTAssertEqual(calls.joins, skips[0] == .concat ? 2 * 6 : 0)
        }
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
    /// Three training steps of a small U-Net (concat, add and no skip) built from `Parts.builtIn`
    /// and from `Parts.reference` (TensorCore's `Reference` loops), from the same seed. The first step's gradients agree to
    /// float rounding (1e-5 of each tensor's largest value), and so do the three losses; the
    /// weights after three Adam steps agree to 1e-3 (Adam divides by √v, so a gradient near zero
    /// turns a rounding difference into a visible step). The engine changes the speed, not the math.
    func testATrainingStepIsTheSameOnTheReferenceKernels() {
        func train(reference: Bool) -> (losses: [Float], firstGradients: [Tensor], weights: [Tensor]) {
            var rng = SeededGenerator(seed: 5)
            let model = UNet(base: 4, depth: 3, skips: [.concat, .add, .none], parts: reference ? .reference : .builtIn, rng: &rng)
            let x = Tensor.uniform([2, 1, 16, 16], 0, 1, using: &rng)
            let target = Tensor.uniform([2, 3, 16, 16], 0, 1, using: &rng)
            let adam = Adam(learningRate: 1e-2)
            var losses: [Float] = [], firstGradients: [Tensor] = []
            for step in 0..<3 {
                for p in model.parameters { p.zeroGrad() }
                let (loss, gradient) = mseLoss(model.forward(x), target)
                _ = model.backward(gradient)
                if step == 0 { firstGradients = model.parameters.map(\.grad) }
                adam.step(model.parameters)
                losses.append(loss)
            }
            return (losses, firstGradients, model.parameters.map(\.value))
        }
        let fast = train(reference: false), reference = train(reference: true)
        func worstRelative(_ a: [Float], _ b: [Float]) -> Float {
            let scale = max(b.map { abs($0) }.max() ?? 0, 1e-12)
            return zip(a, b).map { abs($0 - $1) }.max()! / scale
        }
        XCTAssertLessThan(worstRelative(fast.losses, reference.losses), 1e-5, "losses \(fast.losses) vs \(reference.losses)")
        XCTAssertEqual(fast.firstGradients.count, 36, "weight and bias of 18 convolutions")
        for (i, (a, b)) in zip(fast.firstGradients, reference.firstGradients).enumerated() {
            XCTAssertLessThan(worstRelative(a.values, b.values), 1e-5, "gradient of parameter \(i), step 1")
        }
        for (a, b) in zip(fast.weights, reference.weights) {
            XCTAssertLessThan(worstRelative(a.values, b.values), 1e-3, "weights after 3 steps")
        }
        XCTAssertLessThan(fast.losses[2], fast.losses[0], "the model trained")
    }

}

/// How often the swapped-in layers and joins ran.
private final class CallCount {
    var forward = 0, backward = 0, ups = 0, joins = 0
}

/// Passes forward and backward on to `layer`, counting the calls.
private final class Relay: Layer {
    let layer: Layer, calls: CallCount
    init(_ layer: Layer, _ calls: CallCount) { self.layer = layer; self.calls = calls }
    var name: String { layer.name }
    var parameters: [Parameter] { layer.parameters }
    func forward(_ x: Tensor) -> Tensor { calls.forward += 1; return layer.forward(x) }
    func backward(_ dy: Tensor) -> Tensor { calls.backward += 1; return layer.backward(dy) }
}

/// The built-in concat, counting its calls.
private final class CountedJoin: Join {
    let concat = ChannelConcat(), calls: CallCount
    init(_ calls: CallCount) { self.calls = calls }
    func forward(_ up: Tensor, _ skip: Tensor) -> Tensor { calls.joins += 1; return concat.forward(up, skip) }
    func backward(_ dy: Tensor) -> (Tensor, Tensor) { calls.joins += 1; return concat.backward(dy) }
}

/// The pattern of `LearnerConvTranspose2D`: the output comes from another layer given the same
/// weights; the built-in layer's forward runs only to cache what its backward needs.
private final class ForwardElsewhere: Layer {
    let builtIn: ConvTranspose2D, calls: CallCount
    let other: ConvTranspose2D
    init(_ builtIn: ConvTranspose2D, _ calls: CallCount) {
        self.builtIn = builtIn
        self.calls = calls
        var rng = SeededGenerator(seed: 99)
        other = ConvTranspose2D("other", in: builtIn.inChannels, out: builtIn.outChannels, rng: &rng)
    }
    var name: String { builtIn.name }
    var parameters: [Parameter] { builtIn.parameters }
    func forward(_ x: Tensor) -> Tensor {
        calls.ups += 1
        _ = builtIn.forward(x)
        other.weight.value = builtIn.weight.value
        other.bias.value = builtIn.bias.value
        return other.forward(x)
    }
    func backward(_ dy: Tensor) -> Tensor { builtIn.backward(dy) }

}
