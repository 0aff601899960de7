import TensorCore
import XCTest

/// A test layer that multiplies by `factor` (NaN or ∞ to poison), with an optional wrong backward.
final class Scale: Layer {
    let name: String
    let factor: Float
    let backwardFactor: Float
    init(_ name: String, _ factor: Float, backwardFactor: Float? = nil) {
        self.name = name
        self.factor = factor
        self.backwardFactor = backwardFactor ?? factor
    }
    func forward(_ x: Tensor) -> Tensor { Tensor(shape: x.shape, values: x.values.map { $0 * factor }) }
    func backward(_ dy: Tensor) -> Tensor { Tensor(shape: dy.shape, values: dy.values.map { $0 * backwardFactor }) }
}

final class SequentialTests: XCTestCase {
    override func tearDown() {
        FiniteCheck.isEnabled = false
        FiniteCheck.reset()
    }

    func testGradientThroughAStackOfOps() {
        var rng = SeededGenerator(seed: 40)
        // Distinct values 0.05 apart, none at 0: max-pool never sees a near-tie, ReLU never its kink.
        var values: [Float] = (0..<144).map { i in 0.05 * Float(i - 72) + 0.025 }
        values.shuffle(using: &rng)
        let model = Sequential("stack", [MaxPool2D("pool"), ReLU("relu"),
                                         ConvTranspose2D("up", in: 3, out: 2, rng: &rng)])
        checkGradients(of: model, input: Tensor(shape: [2, 3, 6, 4], values: values), rng: &rng)
    }

    func testParametersAreConcatenatedInOrder() {
        final class WithParameter: Layer {
            let name: String
            let p: Parameter
            init(_ name: String) { self.name = name; p = Parameter(name, Tensor(shape: [1])) }
            func forward(_ x: Tensor) -> Tensor { x }
            func backward(_ dy: Tensor) -> Tensor { dy }
            var parameters: [Parameter] { [p] }
        }
        let inner = Sequential("inner", [WithParameter("b"), ReLU("relu"), WithParameter("c")])
        let outer = Sequential("outer", [WithParameter("a"), inner])
        XCTAssertEqual(outer.parameters.map(\.name), ["a", "b", "c"])
    }

    func testFiniteCheckNamesTheFirstLayerThatProducedNaN() {
        let model = Sequential("model", [Scale("fine", 2), Scale("poison", .nan), Scale("after", 1)])
        let x = Tensor(shape: [1, 1, 2, 2], repeating: 1)

        _ = model.forward(x)
        XCTAssertNil(FiniteCheck.firstOffender, "disabled by default: nothing recorded")

        FiniteCheck.isEnabled = true
        _ = model.forward(x)
        XCTAssertEqual(FiniteCheck.firstOffender, "poison")

        FiniteCheck.reset()
        XCTAssertNil(FiniteCheck.firstOffender)
        let clean = Sequential("clean", [Scale("a", 2), Scale("b", 3)])
        _ = clean.backward(clean.forward(x))
        XCTAssertNil(FiniteCheck.firstOffender, "finite tensors are not flagged")
    }

    func testFiniteCheckNamesTheFirstLayerWhoseGradientOverflowed() {
        FiniteCheck.isEnabled = true
        let model = Sequential("model", [Scale("first", 1), Scale("blowsUp", 1, backwardFactor: .infinity), Scale("last", 1)])
        let y = model.forward(Tensor(shape: [4], repeating: 1))
        XCTAssertNil(FiniteCheck.firstOffender)
        _ = model.backward(y)
        XCTAssertEqual(FiniteCheck.firstOffender, "blowsUp (backward)")
    }

    func testAllFiniteFindsNaNAndInfinityAnywhere() {
        for count in [1, 15, 16, 17, 40] {
            XCTAssertTrue(Tensor(shape: [count], repeating: 3).allFinite)
            for bad: Float in [.nan, .infinity, -.infinity] {
                for position in [0, count / 2, count - 1] {
                    var t = Tensor(shape: [count], repeating: -1e30)
                    t[position] = bad
                    XCTAssertFalse(t.allFinite, "\(bad) at \(position) of \(count)")
                    XCTAssertFalse(t.isFinite)
                }
            }
        }
        XCTAssertTrue(Tensor(shape: [0]).allFinite)
        XCTAssertTrue(Tensor(shape: [3], values: [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0]).allFinite)
    }
}

final class GradientCheckerTests: XCTestCase {
    /// The checker must catch a wrong backward, or every passing gradient test means nothing.
    func testAWrongBackwardIsCaught() {
        var rng = SeededGenerator(seed: 41)
        let input = Tensor.normal([2, 3], using: &rng)
        let right = measureGradients(of: Scale("right", 3), input: input, rng: &rng)
        XCTAssertLessThan(right.worstRelativeError, 1e-3)
        let wrong = measureGradients(of: Scale("wrong", 3, backwardFactor: 2.9), input: input, rng: &rng)
        XCTAssertGreaterThan(wrong.worstRelativeError, 0.02, "\(wrong)")
        XCTAssertEqual(wrong.checked, 6)
        let nan = measureGradients(of: Scale("nan", 3, backwardFactor: .nan), input: input, rng: &rng)
        XCTAssertEqual(nan.worstRelativeError, .infinity, "\(nan)")
    }
}
