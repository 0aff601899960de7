/// Joins two NCHW tensors along the channel axis: `[N, Ca, H, W] ++ [N, Cb, H, W] -> [N, Ca+Cb, H, W]`.
///
/// This is how a U-Net skip hands the encoder's features to the decoder. Its backward is
/// `splitChannels(dy, at: Ca)`: each input gets back the gradient of its own channels.
/// Returns a new tensor; a model that joins every step uses `ChannelConcat`, which reuses its buffers.
public func concatChannels(_ a: Tensor, _ b: Tensor) -> Tensor {
    var spare: Tensor?
    return concatChannels(a, b, reusing: &spare)
}

/// Cuts an NCHW tensor into channels `0..<at` and `at..<C`: the backward of `concatChannels`.
public func splitChannels(_ t: Tensor, at split: Int) -> (Tensor, Tensor) {
    var first: Tensor?, second: Tensor?
    return splitChannels(t, at: split, reusing: &first, &second)
}

/// A channel concat that keeps its output and gradient buffers from one step to the next.
///
/// `forward(a, b)` is `concatChannels(a, b)` and `backward(dy)` is `splitChannels(dy, at: Ca)`,
/// but once the caller has let go of last step's results they are written into last step's
/// buffers instead of new ones (see `Tensor.recycled`), so a training loop allocates nothing here.
public final class ChannelConcat {
    private var output: Tensor?
    private var firstGradient: Tensor?, secondGradient: Tensor?
    /// Channels of the first input, remembered by forward for the split in backward.
    private var firstChannels: Int?

    public init() {}

    public func forward(_ a: Tensor, _ b: Tensor) -> Tensor {
        firstChannels = a.shape[1]
        let y = concatChannels(a, b, reusing: &output)
        output = y
        return y
    }

    /// The gradients of the two inputs of the last `forward`, in the same order.
    public func backward(_ dy: Tensor) -> (Tensor, Tensor) {
        guard let firstChannels else { preconditionFailure("ChannelConcat: backward called before forward") }
        let (da, db) = splitChannels(dy, at: firstChannels, reusing: &firstGradient, &secondGradient)
        firstGradient = da
        secondGradient = db
        return (da, db)
    }
}

/// `concatChannels`, writing into `spare` when it can be reused (the one implementation).
func concatChannels(_ a: Tensor, _ b: Tensor, reusing spare: inout Tensor?) -> Tensor {
    precondition(a.rank == 4 && b.rank == 4 && a.shape[0] == b.shape[0] && a.shape[2...] == b.shape[2...],
                 "concatChannels: shapes \(a.shape) and \(b.shape) must be NCHW and agree except in C")
    let n = a.shape[0]
    let blockA = a.count / max(n, 1), blockB = b.count / max(n, 1)
    var out = Tensor.recycled(&spare, shape: [n, a.shape[1] + b.shape[1], a.shape[2], a.shape[3]])
    a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
            out.withUnsafeMutableBufferPointer { op in
                guard let a = ap.baseAddress, let b = bp.baseAddress, let o = op.baseAddress else { return }
                Parallel.forEach(n) { i in  // one image per chunk: a copy has no order to keep
                    let dst = o + i * (blockA + blockB)
                    dst.update(from: a + i * blockA, count: blockA)
                    (dst + blockA).update(from: b + i * blockB, count: blockB)
                }
            }
        }
    }
    return out
}

/// `splitChannels`, writing into `first`/`second` when they can be reused (the one implementation).
func splitChannels(_ t: Tensor, at split: Int, reusing first: inout Tensor?, _ second: inout Tensor?) -> (Tensor, Tensor) {
    precondition(t.rank == 4 && split >= 0 && split <= t.shape[1],
                 "splitChannels: cannot split shape \(t.shape) at channel \(split)")
    let (n, c, h, w) = (t.shape[0], t.shape[1], t.shape[2], t.shape[3])
    let blockA = split * h * w, blockB = (c - split) * h * w
    var a = Tensor.recycled(&first, shape: [n, split, h, w])
    var b = Tensor.recycled(&second, shape: [n, c - split, h, w])
    t.withUnsafeBufferPointer { tp in
        a.withUnsafeMutableBufferPointer { ap in
            b.withUnsafeMutableBufferPointer { bp in
                guard let src = tp.baseAddress else { return }  // empty input: nothing to copy
                let first = ap.baseAddress, second = bp.baseAddress
                Parallel.forEach(n) { i in
                    let row = src + i * (blockA + blockB)
                    if blockA > 0 { (first! + i * blockA).update(from: row, count: blockA) }
                    if blockB > 0 { (second! + i * blockB).update(from: row + blockA, count: blockB) }
                }
            }
        }
    }
    return (a, b)
}

extension Reference {
    /// Channels of `a`, then channels of `b`, image by image.
    public static func concatChannels(_ a: Tensor, _ b: Tensor) -> Tensor {
        let ga = Grid(a), gb = Grid(b)
        var y = Grid(ga.n, ga.c + gb.c, ga.h, ga.w)
        for i in 0..<y.n { for c in 0..<y.c { for yy in 0..<y.h { for x in 0..<y.w {
            y[i, c, yy, x] = c < ga.c ? ga[i, c, yy, x] : gb[i, c - ga.c, yy, x]
        } } } }
        return y.tensor
    }

    /// Channels `0..<at` of `t`, and the rest: the gradients of `concatChannels`'s two inputs.
    public static func splitChannels(_ t: Tensor, at split: Int) -> (Tensor, Tensor) {
        let g = Grid(t)
        var a = Grid(g.n, split, g.h, g.w), b = Grid(g.n, g.c - split, g.h, g.w)
        for i in 0..<g.n { for c in 0..<g.c { for y in 0..<g.h { for x in 0..<g.w {
            if c < split { a[i, c, y, x] = g[i, c, y, x] } else { b[i, c - split, y, x] = g[i, c, y, x] }
        } } } }
        return (a.tensor, b.tensor)
    }
}

/// `ChannelConcat` computed by the plain loops of `Reference` (`Parts.reference`, `--reference-kernels`).
public final class ReferenceConcat {
    private var firstChannels: Int?
    public init() {}

    public func forward(_ a: Tensor, _ b: Tensor) -> Tensor {
        firstChannels = a.shape[1]
        return Reference.concatChannels(a, b)
    }

    public func backward(_ dy: Tensor) -> (Tensor, Tensor) {
        guard let firstChannels else { preconditionFailure("ReferenceConcat: backward called before forward") }
        return Reference.splitChannels(dy, at: firstChannels)
    }
}
