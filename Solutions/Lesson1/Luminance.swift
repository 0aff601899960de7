import TensorCore

/// Exercise 1.2 — solution. Y = 0.299 R + 0.587 G + 0.114 B, pixel by pixel.
public func luminance(_ rgb: Tensor) throws -> Tensor {
    guard rgb.rank == 4, rgb.shape[1] == 3 else {
        throw CourseError("luminance: expected [N, 3, H, W], got \(rgb.shape)")
    }
    let (batch, plane) = (rgb.shape[0], rgb.shape[2] * rgb.shape[3])
    let src = rgb.values
    var gray = [Float](repeating: 0, count: batch * plane)
    for n in 0..<batch {
        let red = n * 3 * plane, green = red + plane, blue = green + plane
        for p in 0..<plane {
            gray[n * plane + p] = 0.299 * src[red + p] + 0.587 * src[green + p] + 0.114 * src[blue + p]
        }
    }
    return Tensor(shape: [batch, 1, rgb.shape[2], rgb.shape[3]], values: gray)
}
