import CourseKit
import TensorCore
import XCTest

/// The clip scales a gradient down only when it is far larger than the recent ones.
final class GradientClipTests: XCTestCase {
    private func gradientNorm(_ parameters: [Parameter]) -> Double {
        parameters.map { $0.grad.values.reduce(0.0) { $0 + Double($1) * Double($1) } }.reduce(0, +).squareRoot()
    }

    /// Two parameters whose gradient has norm `norm`, split 3:4 between them.
    private func parameters(norm: Float) -> [Parameter] {
        let a = Parameter("a", Tensor(shape: [1])), b = Parameter("b", Tensor(shape: [2]))
        a.grad = Tensor(shape: [1], values: [0.6 * norm])
        b.grad = Tensor(shape: [2], values: [0, -0.8 * norm])
        return [a, b]
    }

    func testASuddenLargeGradientIsScaledToTwiceTheRunningMean() {
        var clip = GradientClip()
        for step in 1...40 {
            let p = parameters(norm: 1)
            clip.apply(to: p, step: step)
            XCTAssertEqual(gradientNorm(p), 1, accuracy: 1e-6, "an ordinary step is untouched")
        }
        let spike = parameters(norm: 50)
        clip.apply(to: spike, step: 41)
        XCTAssertEqual(gradientNorm(spike), GradientClip.factor, accuracy: 1e-5)
        XCTAssertEqual(spike[0].grad.values[0] / spike[1].grad.values[1], -0.75, accuracy: 1e-6, "the direction is kept")
        XCTAssertEqual(clip.clippedSteps, 1)
        // Just under the limit: untouched.
        let under = parameters(norm: 1.9)
        clip.apply(to: under, step: 42)
        XCTAssertEqual(gradientNorm(under), 1.9, accuracy: 1e-5)
        XCTAssertEqual(clip.clippedSteps, 1)
    }

    /// The first steps only learn what "usual" is: the gradient falls fast at the start of training.
    func testTheFirstStepsAreNeverClipped() {
        var clip = GradientClip()
        for step in 1...GradientClip.settlingSteps {
            let p = parameters(norm: Float(step * step))
            clip.apply(to: p, step: step)
            XCTAssertEqual(gradientNorm(p), Double(step * step), accuracy: 1e-3)
        }
        XCTAssertEqual(clip.clippedSteps, 0)
    }
}
