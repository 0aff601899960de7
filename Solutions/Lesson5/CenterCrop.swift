import TensorCore

/// Exercise 5.3 — solution. Keep the middle height x width window; when the margin is odd, the
/// extra row/column is cut at the bottom/right (top = (H - height) / 2, rounded down).
public func centerCrop(_ x: Tensor, height: Int, width: Int) throws -> Tensor {
    guard x.rank == 4, height >= 1, width >= 1, height <= x.shape[2], width <= x.shape[3] else {
        throw CourseError("centerCrop: cannot crop \(x.shape) to \(height)x\(width)")
    }
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let top = (h - height) / 2, left = (w - width) / 2
    let src = x.values
    var out: [Float] = []
    out.reserveCapacity(planes * height * width)
    for p in 0..<planes {
        for y in 0..<height {
            let row = (p * h + top + y) * w + left
            out += src[row..<(row + width)]
        }
    }
    return Tensor(shape: [x.shape[0], x.shape[1], height, width], values: out)
}
