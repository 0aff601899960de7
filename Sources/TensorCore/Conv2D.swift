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
        precondition(x.rank == 4 && x.shape[1] == inChannels,
                     "\(name): Conv2D expects an NCHW tensor with \(inChannels) channels, got shape \(x.shape)")
        precondition(x.shape[2] + 2 * padding >= kernel && x.shape[3] + 2 * padding >= kernel,
                     "\(name): input \(x.shape) is smaller than the \(kernel)x\(kernel) kernel (padding \(padding))")
        let g = ConvGeometry(batch: x.shape[0], inChannels: inChannels, inHeight: x.shape[2], inWidth: x.shape[3],
                             outChannels: outChannels, kernel: kernel, stride: stride, padding: padding)
        return ConvolutionEngine.reused(&engine, for: g)
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
