import TensorCore

/// Exercise 6.1 — solution. exp(-i^2 / (2 sigma^2)) for i in -radius...radius, scaled to sum 1.
public func gaussianKernel(sigma: Float, radius: Int) throws -> Tensor {
    guard sigma > 0, radius >= 0 else { throw CourseError("gaussianKernel: need sigma > 0 and radius >= 0, got \(sigma), \(radius)") }
    let weights = (-radius...radius).map { i in exp(-Float(i * i) / (2 * sigma * sigma)) }
    let total = weights.reduce(0, +)
    return Tensor(shape: [2 * radius + 1], values: weights.map { $0 / total })
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
