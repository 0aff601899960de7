import TensorCore

/// Exercise 1.1 — solution. Row-major: the last index moves fastest.
public func nchwOffset(n: Int, c: Int, y: Int, x: Int, shape: [Int]) throws -> Int {
    guard shape.count == 4 else { throw CourseError("nchwOffset: shape must be [N, C, H, W], got \(shape)") }
    let (channels, height, width) = (shape[1], shape[2], shape[3])
    return ((n * channels + c) * height + y) * width + x
}
