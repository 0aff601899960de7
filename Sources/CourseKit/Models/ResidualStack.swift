/// Lesson 3's models: a deep stack of conv blocks, with or without short (residual) skips.
///
/// Both variants have exactly the same layers and parameters; the only difference is one `+ x`
/// per block. Each block has a *branch* `relu(conv2(relu(conv1(x))))`; a plain block outputs
/// `branch(x)`, a residual block outputs `x + branch(x)`. In backward, the `+ x` means the block's
/// input gradient is the output gradient *plus* whatever flowed back through the convs — an
/// uninterrupted path from the loss to the first layer. Lesson 3 measures whether that path
/// matters at this depth.
public final class DeepStack: Layer {
    public let name: String
    public let residual: Bool
    public let stem: Conv2D
    public let blocks: [ResidualBlock]
    public let head: Conv2D
    private let stemReLU: ReLU

    /// - Parameters:
    ///   - blocks: number of two-conv blocks; the stack has `2 * blocks + 2` convs in all.
    ///   - residual: add each block's input to its output (the short skip).
    public init(_ name: String, inChannels: Int = 1, outChannels: Int = 3, width: Int = 16,
                blocks: Int = 8, residual: Bool, rng: inout SeededGenerator) {
        self.name = name
        self.residual = residual
        stem = Conv2D("\(name).stem", in: inChannels, out: width, kernel: 3, padding: 1, rng: &rng)
        stemReLU = ReLU("\(name).stem.relu")
        self.blocks = (1...max(1, blocks)).map { i in
            ResidualBlock("\(name).block\(i)", width: width, residual: residual, rng: &rng)
        }
        head = Conv2D("\(name).head", in: width, out: outChannels, kernel: 3, padding: 1, rng: &rng)
        if residual {
            // Without normalisation, x + f(x) doubles the signal's variance per block at He init
            // (measured: 1000x larger gradients after 8 blocks). Residual nets without batch norm
            // therefore start each branch small (Fixup, SkipInit): every block begins close to
            // the identity and grows into its job.
            for block in self.blocks {
                block.conv2.weight.value.withUnsafeMutableBufferPointer { w in
                    for i in w.indices { w[i] *= DeepStack.residualBranchScale }
                }
            }
        }
    }

    /// The factor on each residual branch's second conv at initialisation.
    public static let residualBranchScale: Float = 0.1

    /// Every conv from input to output, for per-layer gradient reports.
    public var convs: [Conv2D] { [stem] + blocks.flatMap { [$0.conv1, $0.conv2] } + [head] }

    public func forward(_ x: Tensor) -> Tensor {
        var h = stemReLU.forward(stem.forward(x))
        for block in blocks { h = block.forward(h) }
        return head.forward(h)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        var g = head.backward(dy)
        for block in blocks.reversed() { g = block.backward(g) }
        return stem.backward(stemReLU.backward(g))
    }

    public var parameters: [Parameter] { convs.flatMap { $0.parameters } }

    /// The L2 norm of each conv's weight gradient, input side first (call after `backward`).
    /// `norm` computes one tensor's norm (the learner's exercise 3.3 can stand in).
    public func weightGradientNorms(using norm: (Tensor) -> Float = DeepStack.norm) -> [Float] {
        convs.map { norm($0.weight.grad) }
    }

    /// sqrt(sum of squares), accumulated in Double.
    public static func norm(_ t: Tensor) -> Float {
        t.withUnsafeBufferPointer { values in
            var sum: Double = 0
            for v in values { sum += Double(v) * Double(v) }
            return Float(sum.squareRoot())
        }
    }
}

/// One block: `branch(x) = relu(conv2(relu(conv1(x))))`; with `residual`, the output is
/// `x + branch(x)`, without it just `branch(x)`.
public final class ResidualBlock: Layer {
    public let name: String
    public let residual: Bool
    public let conv1: Conv2D
    public let conv2: Conv2D
    /// conv1, ReLU, conv2, ReLU: the path that is the whole block when there is no skip.
    public let branch: Sequential

    /// How the skip is computed; lesson 3 swaps in the learner's exercise 3.1/3.2 here.
    public var skipForward: (Tensor, Layer) -> Tensor = { x, branch in addTensors(x, branch.forward(x)) }
    public var skipBackward: (Tensor, Layer) -> Tensor = { dy, branch in addTensors(dy, branch.backward(dy)) }

    public init(_ name: String, width: Int, residual: Bool, rng: inout SeededGenerator) {
        self.name = name
        self.residual = residual
        conv1 = Conv2D("\(name).conv1", in: width, out: width, kernel: 3, padding: 1, rng: &rng)
        conv2 = Conv2D("\(name).conv2", in: width, out: width, kernel: 3, padding: 1, rng: &rng)
        branch = Sequential(name, [conv1, ReLU("\(name).relu1"), conv2, ReLU("\(name).relu2")])
    }

    public func forward(_ x: Tensor) -> Tensor {
        residual ? skipForward(x, branch) : branch.forward(x)
    }

    /// With the skip, the gradient reaching `x` is the sum of two paths: straight through the `+`
    /// (dy itself) and back through the branch.
    public func backward(_ dy: Tensor) -> Tensor {
        residual ? skipBackward(dy, branch) : branch.backward(dy)
    }

    public var parameters: [Parameter] { branch.parameters }
}
