/// Joins two NCHW tensors along the channel axis: `[N, Ca, H, W] ++ [N, Cb, H, W] -> [N, Ca+Cb, H, W]`.
///
/// This is how a U-Net skip hands the encoder's features to the decoder. Its backward is
/// `splitChannels(dy, at: Ca)`: each input gets back the gradient of its own channels.
public func concatChannels(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.rank == 4 && b.rank == 4 && a.shape[0] == b.shape[0] && a.shape[2...] == b.shape[2...],
                 "concatChannels: shapes \(a.shape) and \(b.shape) must be NCHW and agree except in C")
    let n = a.shape[0]
    let blockA = a.count / max(n, 1), blockB = b.count / max(n, 1)
    var out = Tensor(shape: [n, a.shape[1] + b.shape[1], a.shape[2], a.shape[3]])
    a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
            out.withUnsafeMutableBufferPointer { op in
                let a = ap.baseAddress!, b = bp.baseAddress!, o = op.baseAddress!
                for i in 0..<n {
                    let dst = o + i * (blockA + blockB)
                    dst.update(from: a + i * blockA, count: blockA)
                    (dst + blockA).update(from: b + i * blockB, count: blockB)
                }
            }
        }
    }
    return out
}

/// Cuts an NCHW tensor into channels `0..<at` and `at..<C`: the backward of `concatChannels`.
public func splitChannels(_ t: Tensor, at split: Int) -> (Tensor, Tensor) {
    precondition(t.rank == 4 && split >= 0 && split <= t.shape[1],
                 "splitChannels: cannot split shape \(t.shape) at channel \(split)")
    let (n, c, h, w) = (t.shape[0], t.shape[1], t.shape[2], t.shape[3])
    let blockA = split * h * w, blockB = (c - split) * h * w
    var first = Tensor(shape: [n, split, h, w]), second = Tensor(shape: [n, c - split, h, w])
    t.withUnsafeBufferPointer { tp in
        first.withUnsafeMutableBufferPointer { ap in
            second.withUnsafeMutableBufferPointer { bp in
                let src = tp.baseAddress!, a = ap.baseAddress!, b = bp.baseAddress!
                for i in 0..<n {
                    let row = src + i * (blockA + blockB)
                    (a + i * blockA).update(from: row, count: blockA)
                    (b + i * blockB).update(from: row + blockA, count: blockB)
                }
            }
        }
    }
    return (first, second)
}
