import TensorCore

/// Exercise 5.2 — solution. Concatenation only moved values, so its backward moves the
/// gradient back: the first `channelsOfA` channels of each image go to a, the rest to b.
public func concatBackward(_ gradOutput: Tensor, channelsOfA: Int) throws -> (a: Tensor, b: Tensor) {
    guard gradOutput.rank == 4, channelsOfA >= 0, channelsOfA <= gradOutput.shape[1] else {
        throw CourseError("concatBackward: cannot split \(gradOutput.shape) after channel \(channelsOfA)")
    }
    let (batch, channels, h, w) = (gradOutput.shape[0], gradOutput.shape[1], gradOutput.shape[2], gradOutput.shape[3])
    let plane = h * w, g = gradOutput.values
    var da: [Float] = [], db: [Float] = []
    for n in 0..<batch {
        let start = n * channels * plane, split = start + channelsOfA * plane, end = start + channels * plane
        da += g[start..<split]
        db += g[split..<end]
    }
    return (Tensor(shape: [batch, channelsOfA, h, w], values: da),
            Tensor(shape: [batch, channels - channelsOfA, h, w], values: db))
}
