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

/// x for x > 0, slope·x otherwise; keeps a small gradient alive for negative inputs.
public final class LeakyReLU: Layer {
    public let name: String
    public let slope: Float
    /// The last output. With slope ≥ 0 its sign is the input's sign, so backward needs no input.
    private var output: Tensor?
    private var inputGradient: Tensor?

    public init(_ name: String, slope: Float = 0.01) {
        precondition(slope >= 0, "LeakyReLU \(name): slope must be ≥ 0, got \(slope)")
        self.name = name
        self.slope = slope
    }

    public func forward(_ x: Tensor) -> Tensor {
        let s = slope
        return mapElementwise(x, into: &output, { $0.replacing(with: $0 * s, where: $0 .< 0) },
                              { $0 < 0 ? $0 * s : $0 })
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let s = slope
        return backwardFromOutput(name, output, dy, into: &inputGradient,
                                  { y, g in g.replacing(with: g * s, where: y .<= 0) }, { y, g in y > 0 ? g : g * s })
    }
}

/// 1 / (1 + e^-x), squashing outputs into (0, 1) — e.g. colors. dy/dx = y·(1 − y), so backward
/// needs only the output.
public final class Sigmoid: Layer {
    public let name: String
    private var output: Tensor?
    private var inputGradient: Tensor?

    public init(_ name: String) { self.name = name }

    public func forward(_ x: Tensor) -> Tensor {
        // For very negative x, exp(-x) = inf and 1/inf = 0: no NaN. The leftover elements use
        // the same SIMD exp, so equal inputs give equal outputs anywhere.
        mapElementwise(x, into: &output, { 1 / (1 + expSIMD16(-$0)) },
                       { 1 / (1 + expSIMD16(SIMD16(repeating: -$0))[0]) })
    }

    public func backward(_ dy: Tensor) -> Tensor {
        backwardFromOutput(name, output, dy, into: &inputGradient,
                           { y, g in g * y * (1 - y) }, { y, g in g * y * (1 - y) })
    }
}

/// The forward of an elementwise activation: `f(x)` into the recycled `output` buffer, which is
/// also kept as backward's input (all three activations here differentiate from their output).
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
