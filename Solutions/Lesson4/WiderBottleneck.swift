import TensorCore

/// Exercise 4.4 — solution. Each bottleneck cell stands for a 2^depth x 2^depth block of pixels,
/// whatever the side: channels = valuesPerPixel * 4^depth.
public func bottleneckChannels(side: Int, depth: Int, valuesPerPixel: Int) throws -> Int {
    guard depth >= 1, depth < 16, side >= 1, side % (1 << depth) == 0, valuesPerPixel >= 1 else {
        throw CourseError("bottleneckChannels: need depth >= 1, side >= 1 divisible by 2^depth and valuesPerPixel >= 1, "
                          + "got side \(side), depth \(depth), valuesPerPixel \(valuesPerPixel)")
    }
    return valuesPerPixel << (2 * depth)
}
