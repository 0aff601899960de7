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
        onBothKernels { kernels in
            let y = kernels.relu("relu").forward(Tensor(shape: [1, 1, 1, 5], values: [-2, -0.5, 0, 0.5, 3]))
            XCTAssertEqual(y.values, [0, 0, 0, 0.5, 3])
        }
    }

    func testReLUPropagatesNaN() {
        onBothKernels { kernels in
            let y = kernels.relu("relu").forward(Tensor(shape: [3], values: [.nan, -1, 1]))
            XCTAssertTrue(y.values[0].isNaN)
            XCTAssertFalse(y.allFinite)
        }
    }

    func testReLUGradient() {
        onBothKernels { kernels in
            var rng = SeededGenerator(seed: 1)
            // 2*3*5*7 = 210 elements: SIMD body and scalar tail both exercised.
            checkGradients(of: kernels.relu("relu"), input: awayFromZero([2, 3, 5, 7], &rng), rng: &rng)
        }
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
}
