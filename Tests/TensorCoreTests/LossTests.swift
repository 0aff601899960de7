import Foundation
import TensorCore
import XCTest

final class LossTests: XCTestCase {
    func testMSEValueAndGradient() {
        let (loss, grad) = mseLoss(Tensor(shape: [4], values: [1, 2, 3, 4]), Tensor(shape: [4], values: [0, 2, 5, 4]))
        XCTAssertEqual(loss, (1 + 0 + 4 + 0) / 4)
        XCTAssertEqual(grad.values, [0.5, 0, -1, 0])
        var rng = SeededGenerator(seed: 30)
        let target = Tensor.normal([2, 3, 2, 2], using: &rng)
        checkLossGradient("mse", at: Tensor.normal([2, 3, 2, 2], using: &rng)) { mseLoss($0, target) }
    }

    func testMSELossObjectMatchesMSEAndReusesItsGradient() {
        var rng = SeededGenerator(seed: 31)
        let target = Tensor.normal([2, 3, 2, 2], using: &rng)
        let mse = MSELoss()
        checkLossGradient("MSELoss", at: Tensor.normal([2, 3, 2, 2], using: &rng)) { mse($0, target) }
        let p1 = Tensor.normal([2, 3, 2, 2], using: &rng), p2 = Tensor.normal([2, 3, 2, 2], using: &rng)
        let first = mse(p1, target)
        XCTAssertEqual(first.loss, mseLoss(p1, target).loss)
        XCTAssertEqual(first.grad, mseLoss(p1, target).grad)
        let firstAddress = first.grad.withUnsafeBufferPointer { $0.baseAddress }
        // `first` is still held, so the next gradient must go to a new buffer.
        let second = mse(p2, target)
        XCTAssertEqual(first.grad, mseLoss(p1, target).grad, "a held gradient was overwritten")
        XCTAssertEqual(second.grad, mseLoss(p2, target).grad)
        XCTAssertNotEqual(second.grad.withUnsafeBufferPointer { $0.baseAddress }, firstAddress)
    }

    func testCrossEntropyMatchesTheDefinition() {
        // Two pixels (N=1, H=1, W=2), three classes, channel-major like NCHW.
        let logits = Tensor(shape: [1, 3, 1, 2], values: [1, 0,
                                                          2, 0,
                                                          3, 1000])
        let (loss, grad) = softmaxCrossEntropy(logits, [0, 2])
        let e: [Double] = [exp(1.0), exp(2.0), exp(3.0)]
        let sum = e.reduce(0, +)  // in steps: Swift 6.0 gives up type-checking it as one expression
        let p0 = e.map { $0 / sum }
        let expected = (-log(p0[0]) + 0) / 2  // pixel 2: softmax is one-hot on its label
        XCTAssertEqual(Double(loss), expected, accuracy: 1e-6)
        XCTAssertEqual(grad[0, 0, 0, 0], Float((p0[0] - 1) / 2), accuracy: 1e-6)
        XCTAssertEqual(grad[0, 1, 0, 0], Float(p0[1] / 2), accuracy: 1e-6)
        XCTAssertEqual(grad[0, 2, 0, 0], Float(p0[2] / 2), accuracy: 1e-6)
        XCTAssertEqual(grad[0, 2, 0, 1], 0, accuracy: 1e-6)
        XCTAssertTrue(grad.allFinite, "large logits must not overflow")
    }

    func testCrossEntropyGradient() {
        var rng = SeededGenerator(seed: 32)
        let logits = Tensor.normal([2, 4, 2, 3], using: &rng)
        let labels = (0..<12).map { _ in Int(rng.next() % 4) }
        checkLossGradient("cross-entropy", at: logits) { softmaxCrossEntropy($0, labels) }
        // Also the classification layout [N, C].
        let flat = Tensor.normal([3, 5], using: &rng)
        checkLossGradient("cross-entropy [N, C]", at: flat) { softmaxCrossEntropy($0, [4, 0, 2]) }
    }
}
