/// 2x2 max-pooling with stride 2: each output is the largest of a 2x2 window.
///
/// Forward remembers which of the four won (the argmax); backward routes each output gradient to
/// that one input and gives the other three zero — the max is locally the identity on the winner.
/// Odd heights/widths are floored like PyTorch: the last row/column is dropped and gets zero
/// gradient. Ties go to the first maximum in row-major window order; NaN wins, like PyTorch.
public final class MaxPool2D: Layer {
    public let name: String
    /// For every output element, the winner's offset inside its input plane (y·W + x).
    private var argmax: [Int32] = []
    private var inputShape: [Int] = []
    private var output: Tensor?
    private var inputGradient: Tensor?

    public init(_ name: String) { self.name = name }

    /// What both pools (this one and `ReferenceMaxPool2D`) accept: NCHW with H, W ≥ 2.
    static func checkInput(_ x: Tensor, name: String) {
        precondition(x.rank == 4, "\(name): MaxPool2D expects an NCHW tensor, got shape \(x.shape)")
        precondition(x.shape[2] >= 2 && x.shape[3] >= 2, "\(name): MaxPool2D needs H, W ≥ 2, got shape \(x.shape)")
    }

    public func forward(_ x: Tensor) -> Tensor {
        Self.checkInput(x, name: name)
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (ho, wo) = (h / 2, w / 2)
        precondition(h * w <= Int(Int32.max), "\(name): plane too large for Int32 argmax: \(x.shape)")
        inputShape = x.shape
        var y = Tensor.recycled(&output, shape: [n, c, ho, wo])
        // At least one slot, so the buffer has an address even for an empty batch.
        if argmax.count != max(y.count, 1) { argmax = [Int32](repeating: 0, count: max(y.count, 1)) }
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                argmax.withUnsafeMutableBufferPointer { ap in
                    let x = xp.baseAddress!, y = yp.baseAddress!, arg = ap.baseAddress!
                    parallelPlanes(n * c, planeSize: h * w) { plane in
                        let src = x + plane * h * w
                        let dst = y + plane * ho * wo, idx = arg + plane * ho * wo
                        for oy in 0..<ho {
                            poolRow(src, width: w, row: oy, outWidth: wo, dst + oy * wo, idx + oy * wo)
                        }
                    }
                }
            }
        }
        output = y
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(inputShape.count == 4, "\(name): backward called before forward")
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (ho, wo) = (h / 2, w / 2)
        checkShape("\(name) backward", dy.shape, [n, c, ho, wo])
        var dx = Tensor.recycled(&inputGradient, shape: inputShape)
        dy.withUnsafeBufferPointer { gp in
            dx.withUnsafeMutableBufferPointer { dp in
                argmax.withUnsafeBufferPointer { ap in
                    let g = gp.baseAddress!, d = dp.baseAddress!, arg = ap.baseAddress!
                    parallelPlanes(n * c, planeSize: h * w) { plane in
                        let dst = d + plane * h * w
                        dst.update(repeating: 0, count: h * w)
                        let src = g + plane * ho * wo, idx = arg + plane * ho * wo
                        for i in 0..<(ho * wo) { dst[Int(idx[i])] += src[i] }
                    }
                }
            }
        }
        inputGradient = dx
        return dx
    }
}

/// Pools one output row: windows `(2·oy ..< 2·oy+2) × (2·ox ..< 2·ox+2)` for every ox.
///
/// Eight windows at a time: two rows of 16 floats split into even and odd columns give the four
/// corners of eight windows as four SIMD8 vectors; each corner replaces the running max where it
/// is larger (or NaN), in the same order as the scalar rule, so ties and NaNs behave identically.
/// Branch-free, so random data costs no mispredictions.
@inline(__always)
private func poolRow(
    _ plane: UnsafePointer<Float>, width w: Int, row oy: Int, outWidth wo: Int,
    _ out: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutablePointer<Int32>
) {
    let top = plane + 2 * oy * w, bottom = top + w
    let rowStart = Int32(2 * oy * w)
    let lanes = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
    var ox = 0
    while ox + 8 <= wo {
        let upper = UnsafeRawPointer(top + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
        let lower = UnsafeRawPointer(bottom + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
        let corner = lanes &+ (rowStart + Int32(2 * ox))
        var best = upper.evenHalf, at = corner
        func challenge(_ v: SIMD8<Float>, _ offset: Int32) {
            let wins = (v .> best) .| (v .!= v)
            best.replace(with: v, where: wins)
            at.replace(with: corner &+ offset, where: wins)
        }
        challenge(upper.oddHalf, 1)
        challenge(lower.evenHalf, Int32(w))
        challenge(lower.oddHalf, Int32(w + 1))
        UnsafeMutableRawPointer(out + ox).storeBytes(of: best, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(argmax + ox).storeBytes(of: at, as: SIMD8<Int32>.self)
        ox += 8
    }
    while ox < wo {
        let corner = 2 * ox
        var best = top[corner], at = Int(rowStart) + corner
        func challenge(_ v: Float, _ offset: Int) {
            if v > best || v.isNaN { best = v; at = Int(rowStart) + corner + offset }
        }
        challenge(top[corner + 1], 1)
        challenge(bottom[corner], w)
        challenge(bottom[corner + 1], w + 1)
        out[ox] = best
        argmax[ox] = Int32(at)
        ox += 1
    }
}


/// `MaxPool2D` computed by the plain loops of `Reference` (`Parts.reference`, `--reference-kernels`).
public final class ReferenceMaxPool2D: Layer {
    public let name: String
    private var input: Tensor?
    public init(_ name: String) { self.name = name }

    public func forward(_ x: Tensor) -> Tensor {
        MaxPool2D.checkInput(x, name: name)
        input = x
        return Reference.maxPool2dForward(x).output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("\(name): backward called before forward") }
        checkShape("\(name) backward", dy.shape, [x.shape[0], x.shape[1], x.shape[2] / 2, x.shape[3] / 2])
        return Reference.maxPool2dBackward(x, dy)
    }
}

extension Reference {
    /// Each output is the largest of its 2x2 window; `winners` holds each window's winner as its
    /// offset (y·W + x) in the input plane. Ties go to the first maximum in row-major order, NaN wins.
    public static func maxPool2dForward(_ input: Tensor) -> (output: Tensor, winners: [Int]) {
        let x = Grid(input)
        var y = Grid(x.n, x.c, x.h / 2, x.w / 2)
        var winners: [Int] = []
        for i in 0..<x.n { for c in 0..<x.c { for oy in 0..<y.h { for ox in 0..<y.w {
            var (best, at) = (x[i, c, 2 * oy, 2 * ox], 2 * oy * x.w + 2 * ox)
            for (dy, dx) in [(0, 1), (1, 0), (1, 1)] {
                let v = x[i, c, 2 * oy + dy, 2 * ox + dx]
                if v > best || v.isNaN { (best, at) = (v, (2 * oy + dy) * x.w + 2 * ox + dx) }
            }
            y[i, c, oy, ox] = best
            winners.append(at)
        } } } }
        return (y.tensor, winners)
    }

    /// Each output gradient goes to its window's winner (found again from the input); the other
    /// three inputs of the window get zero.
    public static func maxPool2dBackward(_ input: Tensor, _ gradOutput: Tensor) -> Tensor {
        var dx = Grid(Tensor(shape: input.shape))
        let winners = maxPool2dForward(input).winners
        let dy = gradOutput.values, plane = dx.h * dx.w, outPlane = (dx.h / 2) * (dx.w / 2)
        for (j, at) in winners.enumerated() { dx.values[(j / outPlane) * plane + at] += dy[j] }
        return dx.tensor
    }
}
