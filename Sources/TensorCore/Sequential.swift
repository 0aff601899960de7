/// Layers applied one after another; itself a `Layer`, so models nest.
///
/// Forward runs the children in order; backward runs them in reverse, each turning dL/d(its
/// output) into dL/d(its input). After every child's forward and backward it asks `FiniteCheck`
/// to look for NaN/Inf, so a blow-up is pinned on the first layer that produced it.
///
/// A built-in `Conv2D` followed by a built-in `ReLU` runs as one layer
/// (`Conv2D.forward(_:applyingReLU:)`): same numbers bit for bit, without the ReLU's own passes
/// over memory. Not while `FiniteCheck` is on: there a conv's -inf must not vanish in its ReLU.
public final class Sequential: InputGradientOptional {
    public let name: String
    public let layers: [Layer]

    public init(_ name: String, _ layers: [Layer]) {
        self.name = name
        self.layers = layers
    }

    public func forward(_ x: Tensor) -> Tensor {
        var y = x, i = 0
        while i < layers.count {
            if !FiniteCheck.isEnabled, let conv = convBeforeReLU(at: i) {
                y = conv.forward(y, applyingReLU: true)
                i += 2
            } else {
                y = layers[i].forward(y)
                FiniteCheck.check(layers[i].name, y)
                i += 1
            }
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        var g = dy, i = layers.count - 1
        while i >= 0 {
            if i > 0, layers[i] is ReLU, let conv = convBeforeReLU(at: i - 1), conv.appliedReLU {
                g = conv.backward(g)
                i -= 2
            } else {
                g = layers[i].backward(g)
                FiniteCheck.check("\(layers[i].name) (backward)", g)
                i -= 1
            }
        }
        return g
    }

    /// The built-in conv at `i` when a built-in ReLU follows it.
    private func convBeforeReLU(at i: Int) -> Conv2D? {
        guard i + 1 < layers.count, layers[i + 1] is ReLU else { return nil }
        return layers[i] as? Conv2D
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// dL/dinput is the first child's: it can be skipped when that child can skip it (a built-in
    /// `Conv2D`, or a model that starts with one). Reads true when it cannot.
    public var needsInputGradient: Bool {
        get { (layers.first as? InputGradientOptional)?.needsInputGradient ?? true }
        set { (layers.first as? InputGradientOptional)?.needsInputGradient = newValue }
    }
}
