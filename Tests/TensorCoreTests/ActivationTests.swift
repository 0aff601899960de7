import Foundation
import TensorCore
import XCTest

final class ActivationTests: XCTestCase {
    /// Values uniform in ±[0.1, 2]: far enough from 0 that ±h never crosses a ReLU kink.
    func awayFromZero(_ shape: [Int], _ rng: inout SeededGenerator) -> Tensor {
        var t = Tensor.uniform(shape, 0.1, 2, using: &rng)
        t.withUnsafeMutableBufferPointer { p in for i in p.indices where rng.uniform() < 0.5 { p[i] = -p[i] } }
        return t
    }

    func testReLUForward() {
        let y = ReLU("relu").forward(Tensor(shape: [1, 1, 1, 5], values: [-2, -0.5, 0, 0.5, 3]))
        XCTAssertEqual(y.values, [0, 0, 0, 0.5, 3])
    }

    func testReLUPropagatesNaN() {
        let y = ReLU("relu").forward(Tensor(shape: [3], values: [.nan, -1, 1]))
        XCTAssertTrue(y.values[0].isNaN)
        XCTAssertFalse(y.allFinite)
    }

    func testReLUGradient() {
        var rng = SeededGenerator(seed: 1)
        // 2*3*5*7 = 210 elements: SIMD body and scalar tail both exercised.
        checkGradients(of: ReLU("relu"), input: awayFromZero([2, 3, 5, 7], &rng), rng: &rng)
    }

    func testLeakyReLUForwardAndGradient() {
        let layer = LeakyReLU("leaky", slope: 0.1)
        let y = layer.forward(Tensor(shape: [4], values: [-2, -0.5, 0.5, 3]))
        XCTAssertEqual(y.values, [-0.2, -0.05, 0.5, 3])
        var rng = SeededGenerator(seed: 2)
        checkGradients(of: layer, input: awayFromZero([2, 3, 5, 7], &rng), rng: &rng)
    }

    func testSigmoidForwardAndGradient() {
        let layer = Sigmoid("sigmoid")
        let y = layer.forward(Tensor(shape: [3], values: [0, 100, -100]))
        XCTAssertEqual(y.values[0], 0.5)
        XCTAssertEqual(y.values[1], 1)
        XCTAssertEqual(y.values[2], 0, accuracy: 1e-30)
        var rng = SeededGenerator(seed: 3)
        checkGradients(of: layer, input: Tensor.normal([2, 3, 5, 7], std: 2, using: &rng), rng: &rng)
        // The SIMD body and the scalar tail agree: the same value gives the same output anywhere.
        let same = layer.forward(Tensor(shape: [19], repeating: 0.3)).values
        XCTAssertEqual(Set(same).count, 1)
        XCTAssertEqual(Double(same[0]), 1 / (1 + exp(-0.3)), accuracy: 1e-7)
    }

    /// A layer called every step writes into last step's buffers once the caller has let go.
    func testBuffersAreReusedWhenTheCallerLetsGo() {
        let layer = ReLU("relu")
        let x = Tensor(shape: [40], repeating: 1)
        func address(_ t: Tensor) -> UnsafePointer<Float>? { t.withUnsafeBufferPointer { $0.baseAddress } }
        let firstOutput = address(layer.forward(x)), firstGradient = address(layer.backward(x))
        XCTAssertEqual(address(layer.forward(x)), firstOutput)
        XCTAssertEqual(address(layer.backward(x)), firstGradient)
    }

    /// The output buffer is reused only when the caller has let go of the previous output.
    func testBufferReuseNeverClobbersAHeldOutput() {
        let layer = ReLU("relu")
        let first = layer.forward(Tensor(shape: [40], repeating: 1))
        let second = layer.forward(Tensor(shape: [40], repeating: 2))
        XCTAssertEqual(first.values, Array(repeating: 1, count: 40))
        XCTAssertEqual(second.values, Array(repeating: 2, count: 40))
    }
}

final class ExpTests: XCTestCase {
    /// The SIMD exp against Double's exp over the whole normal range, plus its edge cases.
    func testSIMDExpIsAccurate() {
        var worst: Double = 0
        var x: Float = -87.3
        while x < 88.3 {
            let lanes = SIMD16<Float>((0..<16).map { x + Float($0) * 0.0137 })
            let y = expSIMD16(lanes)
            for k in 0..<16 where lanes[k] < 88.3 {
                let exact = Foundation.exp(Double(lanes[k]))
                worst = max(worst, abs(Double(y[k]) - exact) / exact)
            }
            x += 0.21
        }
        XCTAssertLessThan(worst, 1.2e-7, "worst relative error (measured 7.6e-8)")
        let edges = expSIMD16(SIMD16<Float>(0, 1, -1, .nan, 100, -100, .infinity, -.infinity, 0, 0, 0, 0, 0, 0, 0, 0))
        XCTAssertEqual(edges[0], 1)
        XCTAssertEqual(edges[1], Float(M_E), accuracy: 2 * Float(M_E).ulp)
        XCTAssertTrue(edges[3].isNaN)
        XCTAssertEqual(edges[4], .infinity)
        XCTAssertEqual(edges[5], 0)
        XCTAssertEqual(edges[6], .infinity)
        XCTAssertEqual(edges[7], 0)
    }
}
