import TensorCore

/// Exercise 3.2 — solution. x reached y by two paths, so dL/dx is the sum of both paths'
/// gradients: dy itself (the skip) plus what the branch sends back.
public func residualBackward(_ gradOutput: Tensor, branch: Layer) throws -> Tensor {
    let throughBranch = branch.backward(gradOutput)
    guard throughBranch.shape == gradOutput.shape else {
        throw CourseError("residualBackward: branch '\(branch.name)' returned \(throughBranch.shape), expected \(gradOutput.shape)")
    }
    return Tensor(shape: gradOutput.shape, values: zip(gradOutput.values, throughBranch.values).map { $0 + $1 })
}
