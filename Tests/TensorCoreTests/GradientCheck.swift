import TensorCore
import XCTest

/// Finite-difference gradient checks, reusable for every op in TensorCore.
///
/// The scalar being differentiated is `L = Σ y·g` for a fixed random upstream gradient `g`, so
/// `backward(g)` must return exactly dL/dx. Each checked element is nudged by ±h and
/// `(L(x+h) − L(x−h)) / (2h)` is compared with the analytic value. `L` is accumulated in Double so
/// the only Float32 noise left is in the op's own outputs.
///
/// Relative error is `|analytic − numeric| / max(|analytic|, |numeric|, floor)`, where `floor` is 1%
/// of the largest analytic entry of that tensor: entries that are tiny next to their neighbours are
/// compared on the tensor's scale instead of blowing up a ratio of two rounding errors.
struct GradientCheckReport: CustomStringConvertible {
    /// The largest relative error seen over every checked element.
    var worstRelativeError: Double = 0
    /// Where it happened, e.g. "weight[13]: analytic 0.51 numeric 0.49".
    var worstLocation = "nothing checked"
    /// How many elements were compared.
    var checked = 0

    var description: String {
        "worst relative error \(worstRelativeError) at \(worstLocation) (\(checked) elements checked)"
    }

    /// Compares one tensor's analytic gradient with central differences of `evaluate`.
    /// `nudge(i, v)` sets element `i` of the checked tensor to `v`; `original(i)` reads it.
    mutating func compare(
        _ label: String, analytic: Tensor, indices: [Int], step h: Float,
        original: (Int) -> Float, nudge: (Int, Float) -> Void, evaluate: () -> Double
    ) {
        let a = analytic.values
        let floor = 0.01 * Double(a.map { abs($0) }.max() ?? 0) + 1e-12
        for i in indices {
            let x = original(i)
            let plus = x + h, minus = x - h
            nudge(i, plus); let lossPlus = evaluate()
            nudge(i, minus); let lossMinus = evaluate()
            nudge(i, x)
            let numeric = (lossPlus - lossMinus) / (Double(plus) - Double(minus))
            let exact = Double(a[i])
            let ratio = abs(exact - numeric) / max(abs(exact), abs(numeric), floor)
            let error = ratio.isNaN ? .infinity : ratio  // a NaN gradient must fail, not slip past `>`
            checked += 1
            if error > worstRelativeError || checked == 1 {
                worstRelativeError = max(error, worstRelativeError)
                worstLocation = "\(label)[\(i)]: analytic \(exact) numeric \(numeric)"
            }
        }
    }
}

/// Which flat indices to check: all of them for small tensors, else a seeded random sample.
func indicesToCheck(count: Int, limit: Int, rng: inout SeededGenerator) -> [Int] {
    if count <= limit { return Array(0..<count) }
    return (0..<limit).map { _ in Int(rng.next() % UInt64(count)) }
}

/// `Σ y·g` in Double.
func weightedSum(_ y: Tensor, _ g: Tensor) -> Double {
    checkShape("weightedSum", y.shape, g.shape)
    return y.withUnsafeBufferPointer { yp in
        g.withUnsafeBufferPointer { gp in
            var s = 0.0
            for i in 0..<yp.count { s += Double(yp[i]) * Double(gp[i]) }
            return s
        }
    }
}

/// Checks dL/dx and dL/dθ of any `Layer` at `input` with a random upstream gradient.
///
/// Keep inputs away from kinks (ReLU at 0, ties in max-pool): a difference quotient across a kink
/// is meaningless. `step` is h; `maxChecksPerTensor` bounds the cost for big tensors.
@discardableResult
func checkGradients(
    of layer: Layer, input: Tensor, rng: inout SeededGenerator,
    tolerance: Double = 1e-2, step: Float = 1e-3, maxChecksPerTensor: Int = 96,
    file: StaticString = #filePath, line: UInt = #line
) -> GradientCheckReport {
    let report = measureGradients(of: layer, input: input, rng: &rng, step: step,
                                  maxChecksPerTensor: maxChecksPerTensor, file: file, line: line)
    XCTAssertLessThanOrEqual(report.worstRelativeError, tolerance, "\(layer.name): \(report)", file: file, line: line)
    return report
}

/// `checkGradients` without the final tolerance assertion: returns the report, so a test can
/// show that a wrong backward is caught.
func measureGradients(
    of layer: Layer, input: Tensor, rng: inout SeededGenerator,
    step: Float = 1e-3, maxChecksPerTensor: Int = 96,
    file: StaticString = #filePath, line: UInt = #line
) -> GradientCheckReport {
    for p in layer.parameters { p.zeroGrad() }
    let y = layer.forward(input)
    let upstream = Tensor.normal(y.shape, using: &rng)
    let dx = layer.backward(upstream)
    XCTAssertEqual(dx.shape, input.shape, "\(layer.name): backward returned the wrong shape", file: file, line: line)
    let parameterGrads = layer.parameters.map(\.grad)

    var report = GradientCheckReport()
    var x = input
    report.compare(
        "\(layer.name).input", analytic: dx,
        indices: indicesToCheck(count: x.count, limit: maxChecksPerTensor, rng: &rng), step: step,
        original: { i in input.withUnsafeBufferPointer { $0[i] } },
        nudge: { i, v in x.withUnsafeMutableBufferPointer { $0[i] = v } },
        evaluate: { weightedSum(layer.forward(x), upstream) })
    for (p, grad) in zip(layer.parameters, parameterGrads) {
        XCTAssertEqual(grad.shape, p.value.shape, "\(layer.name).\(p.name): gradient shape", file: file, line: line)
        report.compare(
            "\(layer.name).\(p.name)", analytic: grad,
            indices: indicesToCheck(count: p.value.count, limit: maxChecksPerTensor, rng: &rng), step: step,
            original: { i in p.value.withUnsafeBufferPointer { $0[i] } },
            nudge: { i, v in p.value.withUnsafeMutableBufferPointer { $0[i] = v } },
            evaluate: { weightedSum(layer.forward(input), upstream) })
    }
    return report
}

/// Checks a function of several tensors (e.g. `concatChannels`) whose backward returns one
/// gradient per input.
@discardableResult
func checkGradients(
    _ label: String, inputs: [Tensor],
    forward: ([Tensor]) -> Tensor, backward: (Tensor) -> [Tensor], rng: inout SeededGenerator,
    tolerance: Double = 1e-2, step: Float = 1e-3, maxChecksPerTensor: Int = 96,
    file: StaticString = #filePath, line: UInt = #line
) -> GradientCheckReport {
    let y = forward(inputs)
    let upstream = Tensor.normal(y.shape, using: &rng)
    let grads = backward(upstream)
    XCTAssertEqual(grads.count, inputs.count, "\(label): one gradient per input", file: file, line: line)
    var report = GradientCheckReport()
    var xs = inputs
    for (k, grad) in zip(inputs.indices, grads) {
        XCTAssertEqual(grad.shape, inputs[k].shape, "\(label): gradient \(k) shape", file: file, line: line)
        report.compare(
            "\(label).input\(k)", analytic: grad,
            indices: indicesToCheck(count: inputs[k].count, limit: maxChecksPerTensor, rng: &rng), step: step,
            original: { i in inputs[k].withUnsafeBufferPointer { $0[i] } },
            nudge: { i, v in xs[k].withUnsafeMutableBufferPointer { $0[i] = v } },
            evaluate: { weightedSum(forward(xs), upstream) })
    }
    XCTAssertLessThanOrEqual(report.worstRelativeError, tolerance, "\(label): \(report)", file: file, line: line)
    return report
}

/// Checks a loss `(prediction) -> (loss, dLoss/dPrediction)`.
///
/// The loss comes back as one Float, so its rounding (~1e-7 of the loss) is divided by 2h: the
/// default h = 1e-2 keeps that noise near 1e-5, far below the gradients of small test tensors.
/// Keep tensors small (each element's gradient is ~1/count) and away from kinks (L1 at 0).
@discardableResult
func checkLossGradient(
    _ label: String, at prediction: Tensor, loss: (Tensor) -> (loss: Float, grad: Tensor),
    tolerance: Double = 1e-2, step: Float = 1e-2,
    file: StaticString = #filePath, line: UInt = #line
) -> GradientCheckReport {
    let grad = loss(prediction).grad
    XCTAssertEqual(grad.shape, prediction.shape, "\(label): gradient shape", file: file, line: line)
    var report = GradientCheckReport()
    var x = prediction
    report.compare(
        label, analytic: grad, indices: Array(0..<prediction.count), step: step,
        original: { i in prediction.withUnsafeBufferPointer { $0[i] } },
        nudge: { i, v in x.withUnsafeMutableBufferPointer { $0[i] = v } },
        evaluate: { Double(loss(x).loss) })
    XCTAssertLessThanOrEqual(report.worstRelativeError, tolerance, "\(label): \(report)", file: file, line: line)
    return report
}

/// Makes each layer as the fast one or as its `Reference...` twin (the plain loops) on the same
/// weights, the way `Parts.builtIn` and `Parts.reference` do for a model.
struct Kernels {
    let reference: Bool
    func relu(_ name: String) -> Layer { reference ? ReferenceReLU(name) : ReLU(name) }
    func pool(_ name: String) -> Layer { reference ? ReferenceMaxPool2D(name) : MaxPool2D(name) }
    func conv(_ conv: Conv2D) -> Layer { reference ? ReferenceConv2D(conv) : conv }
    func up(_ up: ConvTranspose2D) -> Layer { reference ? ReferenceConvTranspose2D(up) : up }
}

/// Runs `body` with the fast layers, then again with their `Reference` twins, so one test
/// checks both (e.g. a finite-difference check, or the tie rule of max-pooling).
func onBothKernels(_ body: (Kernels) -> Void) {
    for reference in [false, true] { body(Kernels(reference: reference)) }
}
