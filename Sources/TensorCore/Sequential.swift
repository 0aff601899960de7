/// Layers applied one after another; itself a `Layer`, so models nest.
///
/// Forward runs the children in order; backward runs them in reverse, each turning dL/d(its
/// output) into dL/d(its input). After every child's forward and backward it asks `FiniteCheck`
/// to look for NaN/Inf, so a blow-up is pinned on the first layer that produced it.
public final class Sequential: InputGradientOptional {
    public let name: String
    public let layers: [Layer]

    public init(_ name: String, _ layers: [Layer]) {
        self.name = name
        self.layers = layers
    }

    public func forward(_ x: Tensor) -> Tensor {
        var y = x
        for layer in layers {
            y = layer.forward(y)
            FiniteCheck.check(layer.name, y)
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        var g = dy
        for layer in layers.reversed() {
            g = layer.backward(g)
            FiniteCheck.check("\(layer.name) (backward)", g)
        }
        return g
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// dL/dinput is the first child's: it can be skipped when that child can skip it (a built-in
    /// `Conv2D`, or a model that starts with one). Reads true when it cannot.
    public var needsInputGradient: Bool {
        get { (layers.first as? InputGradientOptional)?.needsInputGradient ?? true }
        set { (layers.first as? InputGradientOptional)?.needsInputGradient = newValue }
    }
}
