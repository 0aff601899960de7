/// max(0, x). Backward lets the gradient through where the output is positive (0 at x = 0, as
/// PyTorch does). NaN inputs stay NaN so `FiniteCheck` can see them.
public final class ReLU: Layer {
    public let name: String
    /// The last output: backward's mask, and a buffer reused by the next forward.
    private var output: Tensor?
    private var inputGradient: Tensor?

    public init(_ name: String) { self.name = name }

    public func forward(_ x: Tensor) -> Tensor {
        mapElementwise(x, into: &output, { $0.replacing(with: 0, where: $0 .< 0) }, { $0 < 0 ? 0 : $0 })
    }

    public func backward(_ dy: Tensor) -> Tensor {
        backwardFromOutput(name, output, dy, into: &inputGradient,
                           { y, g in g.replacing(with: 0, where: y .<= 0) }, { y, g in y > 0 ? g : 0 })
    }
}

/// The forward of an elementwise activation: `f(x)` into the recycled `output` buffer, which is
/// also kept as backward's input (ReLU differentiates from its output).
@inline(__always)
private func mapElementwise(_ x: Tensor, into output: inout Tensor?,
                            _ simd: (SIMD16<Float>) -> SIMD16<Float>, _ scalar: (Float) -> Float) -> Tensor {
    var y = Tensor.recycled(&output, shape: x.shape)
    x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
            let x = xp.baseAddress!, y = yp.baseAddress!
            parallelRanges(yp.count) { r in mapSIMD16(r, x, y, simd, scalar) }
        }
    }
    output = y
    return y
}

/// The backward of an elementwise activation from its saved output `y`: dL/dx = `f'(y, dy)`,
/// written into the recycled `inputGradient` buffer.
@inline(__always)
private func backwardFromOutput(_ name: String, _ output: Tensor?, _ dy: Tensor, into inputGradient: inout Tensor?,
                                _ simd: (SIMD16<Float>, SIMD16<Float>) -> SIMD16<Float>,
                                _ scalar: (Float, Float) -> Float) -> Tensor {
    guard let y = output else { preconditionFailure("\(name): backward called before forward") }
    checkShape("\(name) backward", dy.shape, y.shape)
    var dx = Tensor.recycled(&inputGradient, shape: dy.shape)
    y.withUnsafeBufferPointer { yp in
        dy.withUnsafeBufferPointer { gp in
            dx.withUnsafeMutableBufferPointer { dp in
                let y = yp.baseAddress!, g = gp.baseAddress!, d = dp.baseAddress!
                parallelRanges(dp.count) { r in zipMapSIMD16(r, y, g, d, simd, scalar) }
            }
        }
    }
    inputGradient = dx
    return dx
}

/// `ReLU` computed by the plain loops of `Reference` (`Parts.reference`, `--reference-kernels`).
public final class ReferenceReLU: Layer {
    public let name: String
    private var output: Tensor?
    public init(_ name: String) { self.name = name }

    public func forward(_ x: Tensor) -> Tensor {
        output = Reference.reluForward(x)
        return output!
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let y = output else { preconditionFailure("\(name): backward called before forward") }
        checkShape("\(name) backward", dy.shape, y.shape)
        return Reference.reluBackward(output: y, dy)
    }
}

extension Reference {
    /// max(0, x); NaN stays NaN.
    public static func reluForward(_ x: Tensor) -> Tensor {
        Tensor(shape: x.shape, values: x.values.map { $0 < 0 ? 0 : $0 })
    }

    /// The gradient passes where the output is positive, zero elsewhere.
    public static func reluBackward(output y: Tensor, _ gradOutput: Tensor) -> Tensor {
        Tensor(shape: y.shape, values: zip(y.values, gradOutput.values).map { y, g in y > 0 ? g : 0 })
    }
}
