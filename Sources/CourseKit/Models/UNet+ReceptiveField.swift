extension UNet {
    /// How wide a window of the input one output pixel sees through the skip of `level` (0 is
    /// full resolution): down the encoder to that level, across the skip, up the decoder. Nil is
    /// the path through the bottleneck.
    ///
    /// Exercise 2.6's arithmetic, walked back from the output one layer at a time: a 3x3 conv
    /// widens the window by a pixel on each side, a 2x2 pool doubles it (each coarse pixel read
    /// two), and an up-conv (2x2, stride 2) maps each pixel to the coarse one it came from, so a
    /// window that straddles a coarse pixel's edge reaches one further. The widest window over a
    /// pixel's place against the pooling grid is the answer. For the course's U-Net (depth 3): 9,
    /// 26 and 60 px through skip levels 0, 1, 2, and 100 px through the bottleneck — at 64 px the
    /// deepest skip level alone already sees most of a scene. `UNetTests` measures them with
    /// gradients.
    public static func receptiveField(depth: Int, throughSkip level: Int?) -> Int {
        let turn = level ?? depth  // the level where the path turns from the encoder to the decoder
        func window(from pixel: Int) -> Int {
            var (low, high) = (pixel, pixel)
            func conv() { low -= 1; high += 1 }
            func upConv() { (low, high) = (low >> 1, high >> 1) }        // each pixel's coarse source
            func pool() { (low, high) = (2 * low, 2 * high + 1) }        // each pixel's 2x2 block
            for _ in 0..<turn { conv(); conv(); upConv() }  // the decoder, from the output down
            conv(); conv()                                  // the decoder block at the skip's level, or the bottleneck
            if level == nil { pool() }
            for l in stride(from: min(turn, depth - 1), through: 0, by: -1) {  // the encoder, back up to the input
                conv(); conv()
                if l > 0 { pool() }
            }
            return high - low + 1
        }
        return (0..<(2 << depth)).map { window(from: 256 + $0) }.max()!
    }
}

/// Each path's receptive field of a course model, for metrics.json: the plain stack's one
/// window, or a U-Net's per skip level it has (not `.none`) and through its bottleneck (unless
/// zeroed); nil for other models.
public func receptiveFields(of model: Layer) -> [String: Int]? {
    if let plain = model as? PlainStack { return ["output": plain.receptiveField] }
    guard let unet = model as? UNet else { return nil }
    var fields: [String: Int] = [:]
    for level in 0..<unet.depth where unet.skips[level] != .none {
        fields["skip\(level)"] = UNet.receptiveField(depth: unet.depth, throughSkip: level)
    }
    if !unet.zeroBottleneck { fields["bottleneck"] = UNet.receptiveField(depth: unet.depth, throughSkip: nil) }
    return fields
}
