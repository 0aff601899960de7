/// Weight initialization. He's rule keeps the variance of activations roughly constant from
/// layer to layer through ReLUs, so deep stacks neither blow up nor fade.
///
/// Fan-in and fan-out default to PyTorch's rule for a weight of shape `[a, b, k...]`:
/// `fanIn = b · Πk`, `fanOut = a · Πk` (for Conv2D `[out, in, k, k]` that is in·k² and out·k²).

/// The fan-in and fan-out PyTorch derives from a weight shape.
public func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
    precondition(shape.count >= 2, "fans(of:): need at least 2 dimensions, got shape \(shape)")
    let receptive = shape[2...].reduce(1, *)
    return (shape[1] * receptive, shape[0] * receptive)
}

/// Normal with standard deviation √(2 / fanIn) — for layers followed by ReLU
/// (PyTorch's `kaiming_normal_(mode="fan_in", nonlinearity="relu")`).
public func heNormal(_ shape: [Int], fanIn: Int? = nil, using rng: inout SeededGenerator) -> Tensor {
    let fanIn = fanIn ?? fans(of: shape).fanIn
    precondition(fanIn > 0, "heNormal: fan-in must be positive for shape \(shape)")
    return Tensor.normal(shape, std: (2 / Float(fanIn)).squareRoot(), using: &rng)
}
