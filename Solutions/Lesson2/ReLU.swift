import TensorCore

/// Exercise 2.3 — solution, forward: max(0, x).
public func reluForward(_ x: Tensor) throws -> Tensor {
    Tensor(shape: x.shape, values: x.values.map { max(0, $0) })
}

/// Exercise 2.3 — solution, backward: the gradient passes where the input was positive.
public func reluBackward(input: Tensor, gradOutput: Tensor) throws -> Tensor {
    guard input.shape == gradOutput.shape else {
        throw CourseError("reluBackward: input \(input.shape) and gradOutput \(gradOutput.shape) differ")
    }
    return Tensor(shape: input.shape, values: zip(input.values, gradOutput.values).map { $0 > 0 ? $1 : 0 })
}
