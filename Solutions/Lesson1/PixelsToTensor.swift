import TensorCore

/// Exercise 1.3 — solution. Interleaved HWC (what PNG gives) to planar [1, C, H, W].
public func tensorFromPixels(_ pixels: [Float], width: Int, height: Int, channels: Int) throws -> Tensor {
    guard pixels.count == width * height * channels else {
        throw CourseError("tensorFromPixels: \(width)x\(height)x\(channels) needs \(width * height * channels) values, got \(pixels.count)")
    }
    var planar = [Float](repeating: 0, count: pixels.count)
    for y in 0..<height {
        for x in 0..<width {
            for c in 0..<channels {
                planar[(c * height + y) * width + x] = pixels[(y * width + x) * channels + c]
            }
        }
    }
    return Tensor(shape: [1, channels, height, width], values: planar)
}
