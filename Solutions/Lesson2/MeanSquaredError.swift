import TensorCore

/// Exercise 2.4 — solution. L = mean((p - t)^2), dL/dp = 2 (p - t) / count.
public func meanSquaredError(prediction: Tensor, target: Tensor) throws -> (loss: Float, gradient: Tensor) {
    guard prediction.shape == target.shape, prediction.count > 0 else {
        throw CourseError("meanSquaredError: prediction \(prediction.shape) and target \(target.shape) differ")
    }
    let diff = zip(prediction.values, target.values).map { $0 - $1 }
    let count = Float(diff.count)
    let loss = diff.reduce(0) { $0 + $1 * $1 } / count
    return (loss, Tensor(shape: prediction.shape, values: diff.map { 2 * $0 / count }))
}
