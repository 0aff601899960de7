/// Nearest-neighbour upsampling by 2: every input pixel becomes a 2x2 block.
///
/// Each input feeds four outputs, so its gradient is the sum of those four output gradients.
public final class Upsample2D: Layer {
    public let name: String
    private var inputShape: [Int] = []
    private var output: Tensor?
    private var inputGradient: Tensor?

    public init(_ name: String) { self.name = name }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4, "\(name): Upsample2D expects an NCHW tensor, got shape \(x.shape)")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        inputShape = x.shape
        var y = Tensor.recycled(&output, shape: [n, c, 2 * h, 2 * w])
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                let x = xp.baseAddress!, y = yp.baseAddress!
                parallelPlanes(n * c, planeSize: 4 * h * w) { plane in
                    for iy in 0..<h {
                        let src = x + (plane * h + iy) * w
                        let row = y + (plane * 2 * h + 2 * iy) * 2 * w
                        for ix in 0..<w {
                            let v = src[ix]
                            row[2 * ix] = v
                            row[2 * ix + 1] = v
                        }
                        (row + 2 * w).update(from: row, count: 2 * w)
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
        checkShape("\(name) backward", dy.shape, [n, c, 2 * h, 2 * w])
        var dx = Tensor.recycled(&inputGradient, shape: inputShape)
        dy.withUnsafeBufferPointer { gp in
            dx.withUnsafeMutableBufferPointer { dp in
                let g = gp.baseAddress!, d = dp.baseAddress!
                parallelPlanes(n * c, planeSize: 4 * h * w) { plane in
                    for iy in 0..<h {
                        let dst = d + (plane * h + iy) * w
                        let top = g + (plane * 2 * h + 2 * iy) * 2 * w, bottom = top + 2 * w
                        for ix in 0..<w {
                            dst[ix] = (top[2 * ix] + top[2 * ix + 1]) + (bottom[2 * ix] + bottom[2 * ix + 1])
                        }
                    }
                }
            }
        }
        inputGradient = dx
        return dx
    }
}
