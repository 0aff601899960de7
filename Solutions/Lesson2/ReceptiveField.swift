import TensorCore

/// Exercise 2.6 — solution. Each layer widens the field by (k - 1) steps of the input pixels
/// that one of *its* input pixels spans: the product of the strides before it.
public func receptiveField(kernels: [Int], strides: [Int]) throws -> Int {
    guard kernels.count == strides.count else {
        throw CourseError("receptiveField: \(kernels.count) kernels but \(strides.count) strides")
    }
    var field = 1, jump = 1
    for (k, s) in zip(kernels, strides) {
        field += (k - 1) * jump
        jump *= s
    }
    return field
}
