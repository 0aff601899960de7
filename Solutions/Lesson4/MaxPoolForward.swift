import TensorCore

/// Exercise 4.1 — solution. The largest of each 2x2 block; an odd last row/column is dropped.
public func maxPool2dForward(_ x: Tensor) throws -> Tensor {
    guard x.rank == 4, x.shape[2] >= 2, x.shape[3] >= 2 else {
        throw CourseError("maxPool2dForward: expected [N, C, H, W] with H, W >= 2, got \(x.shape)")
    }
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let (outH, outW) = (h / 2, w / 2)
    let src = x.values
    var out = [Float](repeating: 0, count: planes * outH * outW)
    for p in 0..<planes {
        for oy in 0..<outH {
            for ox in 0..<outW {
                let top = (p * h + 2 * oy) * w + 2 * ox
                out[(p * outH + oy) * outW + ox] = max(max(src[top], src[top + 1]), max(src[top + w], src[top + w + 1]))
            }
        }
    }
    return Tensor(shape: [x.shape[0], x.shape[1], outH, outW], values: out)
}
