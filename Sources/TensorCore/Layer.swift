/// A trainable value and the gradient of the loss with respect to it.
///
/// Layers own their parameters; optimizers see them only through `Layer.parameters`, so one
/// `Adam` can train any model without knowing its shape.
public final class Parameter {
    public let name: String
    public var value: Tensor
    /// dLoss/dValue, accumulated by `backward` and cleared by `zeroGrad()`.
    public var grad: Tensor

    public init(_ name: String, _ value: Tensor) {
        self.name = name
        self.value = value
        self.grad = Tensor(shape: value.shape)
    }

    public func zeroGrad() { grad.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
}

/// One step of a model with an explicit forward and backward pass (cs231n / llm.c style).
///
/// `forward` remembers what `backward` needs (its input, a mask, an argmax); `backward` takes
/// dLoss/dOutput, *adds* dLoss/dParameter into each parameter's `grad`, and returns dLoss/dInput.
/// Nothing is hidden: reading a layer's two methods is reading its calculus.
public protocol Layer: AnyObject {
    /// A short name used in error messages and per-layer reports, e.g. "enc1.conv2".
    var name: String { get }
    func forward(_ x: Tensor) -> Tensor
    func backward(_ dy: Tensor) -> Tensor
    /// The layer's trainable parameters (empty for ReLU, pooling, ...).
    var parameters: [Parameter] { get }
}

extension Layer {
    public var parameters: [Parameter] { [] }
}

/// A layer (or model) that can skip computing dLoss/dInput in `backward`, returning zeros
/// instead. A training loop whose input is data throws that gradient away, so it turns it off
/// (`Trainer` does): for a first conv with one input channel it is a slow, useless product.
public protocol InputGradientOptional: Layer {
    var needsInputGradient: Bool { get set }
}
