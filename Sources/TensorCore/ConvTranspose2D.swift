/// Transposed 2-D convolution with bias (PyTorch's `ConvTranspose2d`): every input pixel stamps
/// a `kernel x kernel` patch of weights onto the output, `stride` pixels apart, so kernel 2 /
/// stride 2 doubles the height and width — the U-Net's learned upsampling.
///
/// Output size `(H - 1)·stride - 2·padding + kernel`. It is exactly the input-gradient of a
/// `Conv2D` with the same weights, so it runs on the same `ConvolutionEngine` with the roles of
/// the passes swapped: forward = convolution's input gradient, input gradient = convolution's
/// forward, weight gradient = convolution's weight gradient with input and output exchanged.
public final class ConvTranspose2D: Layer {
    public let name: String
    public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int
    /// `[in, out, kernel, kernel]` (PyTorch's layout).
    public let weight: Parameter
    /// `[out]`, zero-initialized.
    public let bias: Parameter
    public var parameters: [Parameter] { [weight, bias] }

    private var engine: ConvolutionEngine?
    /// A copy of the last input (the weight gradient needs it). A copy, not the tensor itself, so
    /// the layer that produced it can reuse its buffer next step instead of allocating.
    private let input = Scratch()
    private var inputShape: [Int] = []
    private var output: Tensor?
    private var inputGradient: Tensor?

    public init(_ name: String, in inChannels: Int, out outChannels: Int, kernel: Int = 2, stride: Int = 2,
                padding: Int = 0, rng: inout SeededGenerator) {
        precondition(inChannels > 0 && outChannels > 0 && kernel > 0 && stride > 0 && padding >= 0 && 2 * padding < kernel + stride,
                     "\(name): ConvTranspose2D needs positive channels, kernel and stride and 0 ≤ padding, got in \(inChannels) out \(outChannels) kernel \(kernel) stride \(stride) padding \(padding)")
        self.name = name
        self.inChannels = inChannels; self.outChannels = outChannels
        self.kernel = kernel; self.stride = stride; self.padding = padding
        // He: each output pixel sums about in·(kernel/stride)² products.
        let fanIn = max(1, inChannels * kernel * kernel / (stride * stride))
        weight = Parameter("\(name).weight", heNormal([inChannels, outChannels, kernel, kernel], fanIn: fanIn, using: &rng))
        bias = Parameter("\(name).bias", Tensor(shape: [outChannels]))
    }

    /// The convolution whose input gradient this layer is: it maps our output to our input.
    func checkInput(_ x: Tensor) {
        precondition(x.rank == 4 && x.shape[1] == inChannels,
                     "\(name): ConvTranspose2D expects an NCHW tensor with \(inChannels) channels, got shape \(x.shape)")
    }

    private func engine(for x: Tensor) -> ConvolutionEngine {
        checkInput(x)
        let height = (x.shape[2] - 1) * stride - 2 * padding + kernel
        let width = (x.shape[3] - 1) * stride - 2 * padding + kernel
        precondition(height > 0 && width > 0, "\(name): input \(x.shape) gives an empty output")
        let g = ConvGeometry(batch: x.shape[0], inChannels: outChannels, inHeight: height, inWidth: width,
                             outChannels: inChannels, kernel: kernel, stride: stride, padding: padding)
        return ConvolutionEngine.reused(&engine, for: g)
    }

    public func forward(_ x: Tensor) -> Tensor {
        let e = engine(for: x)
        inputShape = x.shape
        x.withUnsafeBufferPointer { input.reserve($0.count).update(from: $0.baseAddress!, count: $0.count) }
        let pixels = e.g.inPixels
        var y = Tensor.recycled(&output, shape: [e.g.batch, outChannels, e.g.inHeight, e.g.inWidth])
        x.withUnsafeBufferPointer { xp in
            weight.value.withUnsafeBufferPointer { wp in
                bias.value.withUnsafeBufferPointer { bp in
                    y.withUnsafeMutableBufferPointer { yp in
                        let y = yp.baseAddress!
                        e.inputGradient(xp.baseAddress!, weight: wp.baseAddress!, into: y)
                        Parallel.forEach(e.g.batch) { n in
                            for o in 0..<outChannels {
                                let row = y + (n * outChannels + o) * pixels, b = bp[o]
                                for p in 0..<pixels { row[p] += b }
                            }
                        }
                    }
                }
            }
        }
        output = y
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let e = engine, !inputShape.isEmpty else { preconditionFailure("\(name): backward called before forward") }
        checkShape("\(name) backward", dy.shape, [e.g.batch, outChannels, e.g.inHeight, e.g.inWidth])
        var dx = Tensor.recycled(&inputGradient, shape: inputShape)
        dy.withUnsafeBufferPointer { dyp in
            weight.value.withUnsafeBufferPointer { wp in
                dx.withUnsafeMutableBufferPointer { dxp in
                    // Also leaves dy padded in the engine, which the weight gradient reads.
                    e.forward(dyp.baseAddress!, weight: wp.baseAddress!, bias: nil, into: dxp.baseAddress!)
                }
            }
            weight.grad.withUnsafeMutableBufferPointer { dwp in
                e.weightGradient(input.pointer, addingInto: dwp.baseAddress!, bias: nil)
            }
            bias.grad.withUnsafeMutableBufferPointer { dbp in
                addChannelSums(dyp.baseAddress!, channels: outChannels, pixels: e.g.inPixels, batch: e.g.batch,
                               into: dbp.baseAddress!)
            }
        }
        inputGradient = dx
        return dx
    }
}

/// A `ConvTranspose2D`'s weights run by the plain loops of `Reference` (`Parts.reference`,
/// `--reference-kernels`): the same parameters, so the same draw trains either way.
public final class ReferenceConvTranspose2D: Layer {
    public let up: ConvTranspose2D
    private var input: Tensor?
    public init(_ up: ConvTranspose2D) { self.up = up }
    public var name: String { up.name }
    public var parameters: [Parameter] { up.parameters }

    public func forward(_ x: Tensor) -> Tensor {
        up.checkInput(x)
        input = x
        return Reference.convTranspose2dForward(x, up.weight.value, up.bias.value, stride: up.stride, padding: up.padding)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("\(name): backward called before forward") }
        let grads = Reference.convTranspose2dBackward(x, up.weight.value, dy, stride: up.stride, padding: up.padding)
        addInPlace(&up.weight.grad, grads.weight)
        addInPlace(&up.bias.grad, grads.bias)
        return grads.input
    }
}

extension Reference {
    /// Every input pixel stamps its weights onto the output: output pixel (oy, ox) gathers
    /// `x[n,c,iy,ix] · w[c,o,ky,kx]` from every input pixel with `oy = iy·s − p + ky` (and the
    /// same for x), plus `bias[o]`.
    public static func convTranspose2dForward(_ input: Tensor, _ weight: Tensor, _ bias: Tensor,
                                              stride s: Int, padding p: Int = 0) -> Tensor {
        let x = Grid(input), w = Grid(weight), k = weight.shape[2]
        var y = Grid(x.n, w.c, (x.h - 1) * s - 2 * p + k, (x.w - 1) * s - 2 * p + k)
        for i in 0..<y.n { for o in 0..<y.c { for oy in 0..<y.h { for ox in 0..<y.w {
            var sum = Double(bias.values[o])
            for c in 0..<x.c { for ky in 0..<k { for kx in 0..<k {
                let (ty, tx) = (oy + p - ky, ox + p - kx)  // the input pixel, times s, that stamped here
                guard ty >= 0, tx >= 0, ty % s == 0, tx % s == 0, x.contains(ty / s, tx / s) else { continue }
                sum += Double(x[i, c, ty / s, tx / s]) * Double(w[c, o, ky, kx])
            } } }
            y[i, o, oy, ox] = Float(sum)
        } } } }
        return y.tensor
    }

    /// The gradients of `convTranspose2dForward`: dInput reads back through the same stamp (a
    /// convolution of dy), dWeight sums input × output gradient under each tap, dBias sums dy.
    public static func convTranspose2dBackward(_ input: Tensor, _ weight: Tensor, _ gradOutput: Tensor,
                                               stride s: Int, padding p: Int = 0)
        -> (input: Tensor, weight: Tensor, bias: Tensor)
    {
        let x = Grid(input), w = Grid(weight), dy = Grid(gradOutput), k = weight.shape[2]
        var dx = Grid(x.n, x.c, x.h, x.w), dw = Grid(w.n, w.c, k, k)
        for i in 0..<x.n { for c in 0..<x.c { for iy in 0..<x.h { for ix in 0..<x.w {
            var sum = 0.0
            for o in 0..<dy.c { for ky in 0..<k { for kx in 0..<k {
                let (oy, ox) = (iy * s - p + ky, ix * s - p + kx)
                if dy.contains(oy, ox) { sum += Double(w[c, o, ky, kx]) * Double(dy[i, o, oy, ox]) }
            } } }
            dx[i, c, iy, ix] = Float(sum)
        } } } }
        for c in 0..<w.n { for o in 0..<w.c { for ky in 0..<k { for kx in 0..<k {
            var sum = 0.0
            for i in 0..<x.n { for iy in 0..<x.h { for ix in 0..<x.w {
                let (oy, ox) = (iy * s - p + ky, ix * s - p + kx)
                if dy.contains(oy, ox) { sum += Double(x[i, c, iy, ix]) * Double(dy[i, o, oy, ox]) }
            } } }
            dw[c, o, ky, kx] = Float(sum)
        } } } }
        return (dx.tensor, dw.tensor, channelSums(dy))
    }
}
