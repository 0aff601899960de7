import TensorCore

/// Exercise 4.2 — solution. Only the winner of each 2x2 block affected the output, so only it
/// receives the gradient (the first maximum in reading order, on a tie).
public func maxPool2dBackward(input: Tensor, gradOutput: Tensor) throws -> Tensor {
    guard input.rank == 4, gradOutput.shape == [input.shape[0], input.shape[1], input.shape[2] / 2, input.shape[3] / 2] else {
        throw CourseError("maxPool2dBackward: gradOutput \(gradOutput.shape) is not the pooled shape of input \(input.shape)")
    }
    let (planes, h, w) = (input.shape[0] * input.shape[1], input.shape[2], input.shape[3])
    let (outH, outW) = (h / 2, w / 2)
    let x = input.values, dy = gradOutput.values
    var dx = [Float](repeating: 0, count: x.count)
    for p in 0..<planes {
        for oy in 0..<outH {
            for ox in 0..<outW {
                let top = (p * h + 2 * oy) * w + 2 * ox
                var winner = top
                for candidate in [top + 1, top + w, top + w + 1] where x[candidate] > x[winner] { winner = candidate }
                dx[winner] += dy[(p * outH + oy) * outW + ox]
            }
        }
    }
    return Tensor(shape: input.shape, values: dx)
}
