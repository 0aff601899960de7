import TensorCore

/// Exercise 5.5 — solution. Walk back from an output pixel as an interval: a conv widens it by
/// one on each side, an up-conv maps it to the coarse pixels it came from (i >> 1), a pool to the
/// 2x2 blocks those cover (2i ... 2i + 1). The widest over one period of the pooling grid.
public func uNetReceptiveField(depth: Int, throughSkip level: Int?) throws -> Int {
    guard depth >= 1, depth < 16, level.map({ (0..<depth).contains($0) }) ?? true else {
        throw CourseError("uNetReceptiveField: need depth >= 1 and level nil or in 0..<depth, got depth \(depth), level \(level.map(String.init) ?? "nil")")
    }
    let turn = level ?? depth  // where the path turns from the encoder to the decoder
    func window(from pixel: Int) -> Int {
        var (low, high) = (pixel, pixel)
        for _ in 0..<turn { (low, high) = ((low - 2) >> 1, (high + 2) >> 1) }  // a decoder block, then its up-conv
        (low, high) = (low - 2, high + 2)                                         // the block where the path turns
        if level == nil { (low, high) = (2 * low, 2 * high + 1) }                 // the bottleneck's pool
        for l in stride(from: min(turn, depth - 1), through: 0, by: -1) {         // the encoder, back to the input
            (low, high) = (low - 2, high + 2)
            if l > 0 { (low, high) = (2 * low, 2 * high + 1) }
        }
        return high - low + 1
    }
    let period = 2 << depth
    return (0..<period).map { window(from: 16 * period + $0) }.max()!
}
