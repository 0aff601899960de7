import TensorCore

/// Exercise 5.4 — solution. Down: run each encoder, remember its output (the skip), pool.
/// Up, innermost level first: upsample, join with the skip saved at the same level, decode.
public func uNetForward(_ x: Tensor, encoders: [Layer], pools: [Layer], bottleneck: Layer, ups: [Layer],
                        decoders: [Layer], head: Layer, join: (Tensor, Tensor) throws -> Tensor) throws -> Tensor {
    let depth = encoders.count
    guard pools.count == depth, ups.count == depth, decoders.count == depth else {
        throw CourseError("uNetForward: \(depth) encoders, \(pools.count) pools, \(ups.count) ups, \(decoders.count) decoders; need one of each per level")
    }
    var skips: [Tensor] = []
    var y = x
    for level in 0..<depth {
        y = encoders[level].forward(y)
        skips.append(y)
        y = pools[level].forward(y)
    }
    y = bottleneck.forward(y)
    for level in stride(from: depth - 1, through: 0, by: -1) {
        y = decoders[level].forward(try join(ups[level].forward(y), skips[level]))
    }
    return head.forward(y)
}
