import Foundation
import TensorCore
import XCTest

final class OptimizerTests: XCTestCase {
    /// 20 values: one SIMD16 block plus a scalar tail of 4.
    let start = (0..<20).map { Float($0 - 10) * 0.25 }
    func gradient(step k: Int) -> [Float] { (0..<20).map { Float((($0 * 7 + k * 3) % 11) - 5) * 0.125 } }

    func testAdamFirstStepByHand() {
        let p = Parameter("w", Tensor(shape: [20], values: start))
        let adam = Adam(learningRate: 0.01)
        p.grad = Tensor(shape: [20], values: gradient(step: 0))
        adam.step([p])
        for (i, (w0, g)) in zip(start, gradient(step: 0)).enumerated() {
            // PyTorch's formula in Double: m = 0.1 g, v = 0.001 g², bias corrections 0.1 and 0.001.
            let m = (1 - 0.9) * Double(g), v = (1 - 0.999) * Double(g) * Double(g)
            let stepSize = 0.01 / (1 - 0.9)
            let denom = v.squareRoot() / (1 - 0.999).squareRoot() + 1e-8
            let expected = Double(w0) - stepSize * m / denom
            XCTAssertEqual(Double(p.value.values[i]), expected, accuracy: 1e-6, "element \(i)")
        }
    }

    /// Values printed by PyTorch 2.15 on this machine after three steps with `gradient(step: 0...2)`:
    ///
    ///     p = torch.tensor([(i - 10) * 0.25 for i in range(20)], requires_grad=True)
    ///     opt = torch.optim.Adam([p], lr=0.01)
    ///     for k in range(3):
    ///         p.grad = torch.tensor([(((i * 7 + k * 3) % 11) - 5) * 0.125 for i in range(20)])
    ///         opt.step()
    func testAdamMatchesPyTorchOverThreeSteps() {
        let torch: [Float] = [-2.4753525257110596, -2.2726316452026367, -1.9919099807739258, -1.7633953094482422,
                              -1.519299864768982, -1.2341580390930176, -1.0079602003097534, -0.7549212574958801,
                              -0.47870853543281555, -0.25284427404403687, -0.0006479243747889996, 0.27464744448661804,
                              0.4773682951927185, 0.7580900192260742, 0.9866047501564026, 1.230700135231018,
                              1.5158419609069824, 1.7420397996902466, 1.995078682899475, 2.271291494369507]
        let p = Parameter("w", Tensor(shape: [20], values: start))
        let adam = Adam(learningRate: 0.01)
        for k in 0..<3 {
            p.grad = Tensor(shape: [20], values: gradient(step: k))
            adam.step([p])
        }
        // Within one unit in the last place: PyTorch's CPU sqrt is not always correctly rounded.
        for i in 0..<20 { XCTAssertEqual(p.value.values[i], torch[i], accuracy: torch[i].ulp, "element \(i)") }
    }

    /// Each optimizer drives f(w) = Σ aᵢ (wᵢ − cᵢ)² to its minimum at c.
    func testOptimizersMinimizeAQuadratic() {
        let a: [Float] = (0..<19).map { 0.5 + Float($0 % 5) }
        let c: [Float] = (0..<19).map { Float($0) * 0.3 - 2 }
        let optimizers: [(String, Optimizer)] = [
            ("Adam", Adam(learningRate: 0.05)),
        ]
        for (label, optimizer) in optimizers {
            let w = Parameter("w", Tensor(shape: [19], repeating: 3))
            for _ in 0..<1000 {
                w.zeroGrad()
                w.grad = Tensor(shape: [19], values: (0..<19).map { 2 * a[$0] * (w.value.values[$0] - c[$0]) })
                optimizer.step([w])
            }
            for i in 0..<19 { XCTAssertEqual(w.value.values[i], c[i], accuracy: 1e-3, "\(label) element \(i)") }
        }
    }

    func testStateIsPerParameter() {
        // Two parameters stepped together move exactly as if each had its own optimizer.
        let shared = Adam(learningRate: 0.1)
        let p1 = Parameter("a", Tensor(shape: [3], values: [1, 2, 3])), p2 = Parameter("b", Tensor(shape: [2], values: [5, 6]))
        let q1 = Parameter("a", Tensor(shape: [3], values: [1, 2, 3])), q2 = Parameter("b", Tensor(shape: [2], values: [5, 6]))
        let alone1 = Adam(learningRate: 0.1), alone2 = Adam(learningRate: 0.1)
        for k in 0..<3 {
            for p in [p1, q1] { p.grad = Tensor(shape: [3], values: [1, -2, Float(k)]) }
            for p in [p2, q2] { p.grad = Tensor(shape: [2], values: [Float(k) - 1, 3]) }
            shared.step([p1, p2])
            alone1.step([q1])
            alone2.step([q2])
        }
        XCTAssertEqual(p1.value, q1.value)
        XCTAssertEqual(p2.value, q2.value)
    }
}
