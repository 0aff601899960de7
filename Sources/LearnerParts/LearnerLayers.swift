import CourseKit
import Exercises

/// A convolution layer that runs the learner's `conv2dForward` (2.1) and `conv2dBackward` (2.2).
///
/// It can share its parameters with a built-in `Conv2D` (pass that layer's weight and bias), so a
/// lesson can build its usual model and swap this in without changing the initialization.
public final class LearnerConv2D: Layer {
    public let name: String
    public let weight: Parameter, bias: Parameter
    public let stride: Int, padding: Int
    private var input: Tensor?

    public init(_ name: String, weight: Parameter, bias: Parameter, stride: Int = 1, padding: Int = 0) {
        self.name = name
        self.weight = weight
        self.bias = bias
        self.stride = stride
        self.padding = padding
    }

    public var parameters: [Parameter] { [weight, bias] }

    public func forward(_ x: Tensor) -> Tensor {
        input = x
        return learnerCall("conv2dForward") {
            try conv2dForward(input: x, weight: weight.value, bias: bias.value, stride: stride, padding: padding)
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("\(name): backward before forward") }
        let grads = learnerCall("conv2dBackward") {
            try conv2dBackward(input: x, weight: weight.value, gradOutput: dy, stride: stride, padding: padding)
        }
        accumulate(grads.weight, into: weight)
        accumulate(grads.bias, into: bias)
        return grads.input
    }
}

/// ReLU with the learner's `reluForward` / `reluBackward` (2.3).
public final class LearnerReLU: Layer {
    public let name: String
    private var input: Tensor?

    public init(_ name: String) { self.name = name }

    public func forward(_ x: Tensor) -> Tensor {
        input = x
        return learnerCall("reluForward") { try reluForward(x) }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("\(name): backward before forward") }
        return learnerCall("reluBackward") { try reluBackward(input: x, gradOutput: dy) }
    }
}

/// 2x2 max pooling with the learner's `maxPool2dForward` (4.1) / `maxPool2dBackward` (4.2).
public final class LearnerMaxPool2D: Layer {
    public let name: String
    private var input: Tensor?

    public init(_ name: String) { self.name = name }

    public func forward(_ x: Tensor) -> Tensor {
        input = x
        return learnerCall("maxPool2dForward") { try maxPool2dForward(x) }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("\(name): backward before forward") }
        return learnerCall("maxPool2dBackward") { try maxPool2dBackward(input: x, gradOutput: dy) }
    }
}

/// A transposed conv whose forward is the learner's `convTranspose2dForward` (4.3), on the weights
/// of a built-in `ConvTranspose2D`.
///
/// There is no exercise for its backward, so backward is the built-in layer's, on the same
/// `Parameter`s. That backward needs the input the built-in forward cached, so forward runs the
/// built-in forward too (and drops its output): the gradient is then the true one for these weights.
public final class LearnerConvTranspose2D: Layer {
    public let builtIn: ConvTranspose2D
    public var name: String { builtIn.name }
    public var parameters: [Parameter] { builtIn.parameters }

    public init(_ builtIn: ConvTranspose2D) {
        precondition(builtIn.padding == 0, "\(builtIn.name): exercise 4.3 has no padding, the layer has \(builtIn.padding)")
        self.builtIn = builtIn
    }

    public func forward(_ x: Tensor) -> Tensor {
        _ = builtIn.forward(x)
        return learnerCall("convTranspose2dForward") {
            try convTranspose2dForward(input: x, weight: builtIn.weight.value, bias: builtIn.bias.value, stride: builtIn.stride)
        }
    }

    public func backward(_ dy: Tensor) -> Tensor { builtIn.backward(dy) }
}

/// Adam driven by the learner's `adamStep` (2.5): keeps m, v and the step count per parameter.
public final class LearnerAdam: Optimizer {
    public var learningRate: Double
    public let beta1: Float, beta2: Float, epsilon: Float
    public var state = OptimizerState()

    public init(learningRate: Double = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public func step(_ parameters: [Parameter]) {
        for p in parameters {
            var s = state.take(p)
            s.t += 1
            let updated = learnerCall("adamStep") {
                try adamStep(value: p.value, gradient: p.grad, m: s.m, v: s.v, step: s.t, learningRate: Float(learningRate),
                             beta1: beta1, beta2: beta2, epsilon: epsilon)
            }
            p.value = updated.value
            s.m = updated.m
            s.v = updated.v
            state.put(s)
        }
    }
}

/// `x + branch(x)` by the learner's `residualForward` (3.1) and `residualBackward` (3.2).
public final class LearnerResidual: Layer {
    public let name: String
    public let branch: Layer

    public init(_ name: String, _ branch: Layer) {
        self.name = name
        self.branch = branch
    }

    public func forward(_ x: Tensor) -> Tensor { learnerCall("residualForward") { try residualForward(x, branch: branch) } }
    public func backward(_ dy: Tensor) -> Tensor { learnerCall("residualBackward") { try residualBackward(dy, branch: branch) } }
    public var parameters: [Parameter] { branch.parameters }
}

/// A U-Net join by the learner's `concatForward` (5.1) and `concatBackward` (5.2).
public final class LearnerConcat: Join {
    private var upChannels: Int?

    public init() {}

    public func forward(_ up: Tensor, _ skip: Tensor) -> Tensor {
        upChannels = up.shape[1]
        return learnerCall("concatForward") { try concatForward(up, skip) }
    }

    public func backward(_ dy: Tensor) -> (Tensor, Tensor) {
        guard let upChannels else { preconditionFailure("LearnerConcat: backward before forward") }
        let split = learnerCall("concatBackward") { try concatBackward(dy, channelsOfA: upChannels) }
        return (split.a, split.b)
    }
}

/// `parameter.grad += delta` (backward adds into gradients; it never overwrites them).
private func accumulate(_ delta: Tensor, into parameter: Parameter) {
    checkShape("\(parameter.name) gradient", delta.shape, parameter.grad.shape)
    delta.withUnsafeBufferPointer { d in
        parameter.grad.withUnsafeMutableBufferPointer { g in
            for i in 0..<g.count { g[i] += d[i] }
        }
    }
}
