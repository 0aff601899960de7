/// 2-D convolution with bias: `y[n,o] = bias[o] + Σ_c w[o,c] ⋆ x[n,c]` (cross-correlation, like
/// PyTorch's `Conv2d`), any square kernel, stride and zero padding.
///
/// The arithmetic lives in `ConvolutionEngine` (matrix products on the packed GEMM); this class
/// holds the parameters, checks shapes and keeps its buffers from step to step.
public final class Conv2D: InputGradientOptional {
    public let name: String
    public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int
    /// `[out, in, kernel, kernel]`, He-initialized (the layers after it are ReLUs).
    public let weight: Parameter
    /// `[out]`, zero-initialized.
    public let bias: Parameter
    public var parameters: [Parameter] { [weight, bias] }
    /// When false, backward skips the product for dL/dx and returns zeros of the input's shape
    /// (weight and bias gradients are unchanged). For a model's first layer, whose input is data
    /// that is never trained, so its gradient is thrown away (PyTorch skips it for the same reason).
    public var needsInputGradient = true

    private var engine: ConvolutionEngine?
    private var output: Tensor?
    private var inputGradient: Tensor?

    public init(_ name: String, in inChannels: Int, out outChannels: Int, kernel: Int,
                stride: Int = 1, padding: Int = 0, rng: inout SeededGenerator) {
        precondition(inChannels > 0 && outChannels > 0 && kernel > 0 && stride > 0 && padding >= 0,
                     "\(name): Conv2D needs positive channels, kernel and stride and padding ≥ 0, got in \(inChannels) out \(outChannels) kernel \(kernel) stride \(stride) padding \(padding)")
        self.name = name
        self.inChannels = inChannels; self.outChannels = outChannels
        self.kernel = kernel; self.stride = stride; self.padding = padding
        weight = Parameter("\(name).weight", heNormal([outChannels, inChannels, kernel, kernel], using: &rng))
        bias = Parameter("\(name).bias", Tensor(shape: [outChannels]))
    }

    /// The engine for this input shape (rebuilt only when the shape changes).
    private func engine(for x: Tensor) -> ConvolutionEngine {
        checkInput(x)
        let g = ConvGeometry(batch: x.shape[0], inChannels: inChannels, inHeight: x.shape[2], inWidth: x.shape[3],
                             outChannels: outChannels, kernel: kernel, stride: stride, padding: padding)
        return ConvolutionEngine.reused(&engine, for: g)
    }

    func checkInput(_ x: Tensor) {
        precondition(x.rank == 4 && x.shape[1] == inChannels,
                     "\(name): Conv2D expects an NCHW tensor with \(inChannels) channels, got shape \(x.shape)")
        precondition(x.shape[2] + 2 * padding >= kernel && x.shape[3] + 2 * padding >= kernel,
                     "\(name): input \(x.shape) is smaller than the \(kernel)x\(kernel) kernel (padding \(padding))")
    }

    public func forward(_ x: Tensor) -> Tensor {
        let e = engine(for: x)
        var y = Tensor.recycled(&output, shape: [e.g.batch, outChannels, e.g.outHeight, e.g.outWidth])
        x.withUnsafeBufferPointer { xp in
            weight.value.withUnsafeBufferPointer { wp in
                bias.value.withUnsafeBufferPointer { bp in
                    y.withUnsafeMutableBufferPointer { yp in
                        e.forward(xp.baseAddress!, weight: wp.baseAddress!, bias: bp.baseAddress!, into: yp.baseAddress!)
                    }
                }
            }
        }
        output = y
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let e = engine else { preconditionFailure("\(name): backward called before forward") }
        checkShape("\(name) backward", dy.shape, [e.g.batch, outChannels, e.g.outHeight, e.g.outWidth])
        var dx = Tensor.recycled(&inputGradient, shape: [e.g.batch, inChannels, e.g.inHeight, e.g.inWidth])
        dy.withUnsafeBufferPointer { dyp in
            weight.value.withUnsafeBufferPointer { wp in
                weight.grad.withUnsafeMutableBufferPointer { dwp in
                    bias.grad.withUnsafeMutableBufferPointer { dbp in
                        e.weightGradient(dyp.baseAddress!, addingInto: dwp.baseAddress!, bias: dbp.baseAddress!)
                    }
                }
                dx.withUnsafeMutableBufferPointer { dxp in
                    if needsInputGradient {
                        e.inputGradient(dyp.baseAddress!, weight: wp.baseAddress!, into: dxp.baseAddress!)
                    } else {
                        dxp.update(repeating: 0)
                    }
                }
            }
        }
        inputGradient = dx
        return dx
    }
}

/// A `Conv2D`'s weights run by the plain loops of `Reference` (`Parts.reference`,
/// `--reference-kernels`): the same parameters, so the same draw trains either way.
public final class ReferenceConv2D: InputGradientOptional {
    public let conv: Conv2D
    public var needsInputGradient = true
    private var input: Tensor?
    public init(_ conv: Conv2D) { self.conv = conv }
    public var name: String { conv.name }
    public var parameters: [Parameter] { conv.parameters }

    public func forward(_ x: Tensor) -> Tensor {
        conv.checkInput(x)
        input = x
        return Reference.conv2dForward(x, conv.weight.value, conv.bias.value, stride: conv.stride, padding: conv.padding)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("\(name): backward called before forward") }
        let grads = Reference.conv2dBackward(x, conv.weight.value, dy, stride: conv.stride, padding: conv.padding)
        addInPlace(&conv.weight.grad, grads.weight)
        addInPlace(&conv.bias.grad, grads.bias)
        return needsInputGradient ? grads.input : Tensor(shape: x.shape)
    }
}

extension Reference {
    /// `y[n,o,oy,ox] = bias[o] + Σ_c Σ_ky Σ_kx w[o,c,ky,kx] · x[n, c, oy·s + ky − p, ox·s + kx − p]`,
    /// reading zero outside the image.
    public static func conv2dForward(_ input: Tensor, _ weight: Tensor, _ bias: Tensor, stride s: Int, padding p: Int) -> Tensor {
        let x = Grid(input), w = Grid(weight), k = weight.shape[2]
        var y = Grid(x.n, w.n, (x.h + 2 * p - k) / s + 1, (x.w + 2 * p - k) / s + 1)
        for i in 0..<y.n { for o in 0..<y.c { for oy in 0..<y.h { for ox in 0..<y.w {
            var sum = Double(bias.values[o])
            for c in 0..<x.c { for ky in 0..<k { for kx in 0..<k {
                let (iy, ix) = (oy * s + ky - p, ox * s + kx - p)
                if x.contains(iy, ix) { sum += Double(w[o, c, ky, kx]) * Double(x[i, c, iy, ix]) }
            } } }
            y[i, o, oy, ox] = Float(sum)
        } } } }
        return y.tensor
    }

    /// The three gradients of `conv2dForward`, each gathered where it lands:
    /// dInput sums, for each input pixel, every output tap that read it; dWeight sums input ×
    /// output gradient over every position the tap visited; dBias sums the output gradient.
    public static func conv2dBackward(_ input: Tensor, _ weight: Tensor, _ gradOutput: Tensor, stride s: Int, padding p: Int)
        -> (input: Tensor, weight: Tensor, bias: Tensor)
    {
        let x = Grid(input), w = Grid(weight), dy = Grid(gradOutput), k = weight.shape[2]
        var dx = Grid(x.n, x.c, x.h, x.w), dw = Grid(w.n, w.c, k, k)
        for i in 0..<x.n { for c in 0..<x.c { for iy in 0..<x.h { for ix in 0..<x.w {
            var sum = 0.0
            for o in 0..<dy.c { for ky in 0..<k { for kx in 0..<k {
                let (ty, tx) = (iy + p - ky, ix + p - kx)  // the output pixel, times s, whose tap (ky, kx) read (iy, ix)
                guard ty >= 0, tx >= 0, ty % s == 0, tx % s == 0, dy.contains(ty / s, tx / s) else { continue }
                sum += Double(w[o, c, ky, kx]) * Double(dy[i, o, ty / s, tx / s])
            } } }
            dx[i, c, iy, ix] = Float(sum)
        } } } }
        for o in 0..<w.n { for c in 0..<w.c { for ky in 0..<k { for kx in 0..<k {
            var sum = 0.0
            for i in 0..<x.n { for oy in 0..<dy.h { for ox in 0..<dy.w {
                let (iy, ix) = (oy * s + ky - p, ox * s + kx - p)
                if x.contains(iy, ix) { sum += Double(x[i, c, iy, ix]) * Double(dy[i, o, oy, ox]) }
            } } }
            dw[o, c, ky, kx] = Float(sum)
        } } } }
        return (dx.tensor, dw.tensor, channelSums(dy))
    }
}
