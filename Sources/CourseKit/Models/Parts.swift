import TensorCore

/// The parts every model of the course is built from, as functions that make one: a model asks
/// its `Parts` for each conv, ReLU, pool, up-conv, join and residual skip, and a lesson asks them
/// for the loss and the optimizer.
///
/// `Parts.builtIn` makes TensorCore's layers. With `--use-exercises` a lesson builds its model
/// from `LearnerParts.forLesson(N)` instead, whose parts run the learner's own functions wherever
/// the exercise is started — the one way the learner's code is swapped in. Either way the
/// weights start the same: a learner part builds the built-in layer first (same random draws)
/// and shares its parameters. `Parts.reference` runs the same layers by TensorCore's plain loops
/// (`--reference-kernels`), and `bench` wraps the built-in parts to time every call (`timed(into:)`).
public struct Parts {
    /// A square-kernel convolution with bias, stride 1 (PyTorch's `Conv2d(in, out, kernel, padding=padding)`).
    public var conv: (_ name: String, _ in: Int, _ out: Int, _ kernel: Int, _ padding: Int, _ rng: inout SeededGenerator) -> Layer
    public var relu: (_ name: String) -> Layer
    /// 2x2 max-pooling, stride 2.
    public var pool: (_ name: String) -> Layer
    /// A 2x2, stride-2 transposed convolution: doubles H and W.
    public var upConv: (_ name: String, _ in: Int, _ out: Int, _ rng: inout SeededGenerator) -> Layer
    /// A channel concat for a U-Net skip (a fresh one per level: it keeps buffers).
    public var concat: (_ name: String) -> Join
    /// `x + branch(x)`, the short skip of a residual block.
    public var residual: (_ name: String, _ branch: Layer) -> Layer
    /// Mean squared error and its gradient.
    public var meanSquaredError: () -> Loss
    /// Per-pixel softmax cross-entropy; the target holds one class index per pixel.
    public var crossEntropy: () -> Loss
    public var adam: (_ learningRate: Double) -> Optimizer
    /// What in these parts is the learner's code, e.g. ["conv 2.1+2.2", "ReLU 2.3"]; empty for the built-in parts.
    public var learnerCode: [String] = []

    public init(conv: @escaping (String, Int, Int, Int, Int, inout SeededGenerator) -> Layer,
                relu: @escaping (String) -> Layer, pool: @escaping (String) -> Layer,
                upConv: @escaping (String, Int, Int, inout SeededGenerator) -> Layer,
                concat: @escaping (String) -> Join, residual: @escaping (String, Layer) -> Layer,
                meanSquaredError: @escaping () -> Loss, crossEntropy: @escaping () -> Loss,
                adam: @escaping (Double) -> Optimizer) {
        self.conv = conv; self.relu = relu; self.pool = pool; self.upConv = upConv
        self.concat = concat; self.residual = residual
        self.meanSquaredError = meanSquaredError; self.crossEntropy = crossEntropy; self.adam = adam
    }

    /// TensorCore's layers, losses and Adam.
    public static let builtIn = Parts(
        conv: { name, cin, cout, kernel, padding, rng in Conv2D(name, in: cin, out: cout, kernel: kernel, padding: padding, rng: &rng) },
        relu: { ReLU($0) },
        pool: { MaxPool2D($0) },
        upConv: { name, cin, cout, rng in ConvTranspose2D(name, in: cin, out: cout, rng: &rng) },
        concat: { _ in ChannelConcat() },
        residual: { Residual($0, $1) },
        meanSquaredError: { MSELoss().callAsFunction },
        crossEntropy: { { logits, labels in softmaxCrossEntropy(logits, labels.values.map { Int($0) }) } },
        adam: { Adam(learningRate: $0) })

    /// The same layers run by TensorCore's plain reference loops (`Reference`), with the same
    /// weights as `builtIn` (each wraps a built-in layer made from the same random draws), so a
    /// model built from them trains the same run more slowly: `--reference-kernels`.
    public static let reference = Parts(
        conv: { name, cin, cout, kernel, padding, rng in
            ReferenceConv2D(Conv2D(name, in: cin, out: cout, kernel: kernel, padding: padding, rng: &rng))
        },
        relu: { ReferenceReLU($0) },
        pool: { ReferenceMaxPool2D($0) },
        upConv: { name, cin, cout, rng in ReferenceConvTranspose2D(ConvTranspose2D(name, in: cin, out: cout, rng: &rng)) },
        concat: { _ in ReferenceConcat() },
        residual: { Residual($0, $1) },
        meanSquaredError: builtIn.meanSquaredError,
        crossEntropy: builtIn.crossEntropy,
        adam: builtIn.adam)
}

extension Parts {
    /// What a part is, for a wrapper that labels it (see `wrapping`).
    public enum Kind: Sendable {
        case conv(kernel: Int), relu, pool, upConv, residual
    }

    /// These parts with every layer they make passed through `layer(made, kind)` and every join
    /// through `join(name, made)`: how `bench` times a model and `ModelListing` lists one, while
    /// the model itself knows nothing of it.
    public func wrapping(layer wrap: @escaping (Layer, Kind) -> Layer,
                         join wrapJoin: @escaping (String, Join) -> Join) -> Parts {
        var wrapped = self
        let (conv, relu, pool, upConv, concat, residual) = (self.conv, self.relu, self.pool, self.upConv, self.concat, self.residual)
        wrapped.conv = { name, cin, cout, kernel, padding, rng in
            wrap(conv(name, cin, cout, kernel, padding, &rng), .conv(kernel: kernel))
        }
        wrapped.relu = { wrap(relu($0), .relu) }
        wrapped.pool = { wrap(pool($0), .pool) }
        wrapped.upConv = { name, cin, cout, rng in wrap(upConv(name, cin, cout, &rng), .upConv) }
        wrapped.concat = { name in wrapJoin(name, concat(name)) }
        wrapped.residual = { name, branch in wrap(residual(name, branch), .residual) }
        return wrapped
    }
}

/// A loss: (prediction, target) → (the loss, dLoss/dPrediction).
public typealias Loss = (Tensor, Tensor) -> (loss: Float, grad: Tensor)

/// Two tensors in, one out, and the way back: a U-Net skip's join.
public protocol Join: AnyObject {
    func forward(_ up: Tensor, _ skip: Tensor) -> Tensor
    /// dL/d(joined) → (dL/dup, dL/dskip).
    func backward(_ dy: Tensor) -> (Tensor, Tensor)
}

extension ChannelConcat: Join {}
extension ReferenceConcat: Join {}

/// `y = x + branch(x)`. Backward: the gradient reaching x is the sum of the two paths — straight
/// across the `+` (dy itself) and back through the branch.
public final class Residual: Layer {
    public let name: String
    public let branch: Layer

    public init(_ name: String, _ branch: Layer) {
        self.name = name
        self.branch = branch
    }

    public func forward(_ x: Tensor) -> Tensor { addTensors(x, branch.forward(x)) }
    public func backward(_ dy: Tensor) -> Tensor { addTensors(dy, branch.backward(dy)) }
    public var parameters: [Parameter] { branch.parameters }
}
