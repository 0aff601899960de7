/// Lesson 3's models: a deep stack of conv blocks, with or without short (residual) skips.
///
/// Both variants have exactly the same layers and parameters; the only difference is one `+ x`
/// per block. Each block has a *branch* `relu(conv2(relu(conv1(x))))`; a plain block outputs
/// `branch(x)`, a residual block outputs `x + branch(x)` (a `Residual`). In backward, the `+ x` means the block's
/// input gradient is the output gradient *plus* whatever flowed back through the convs — an
/// uninterrupted path from the loss to the first layer. Lesson 3 measures whether that path
/// matters at this depth.
public final class DeepStack: Layer, SwitchesOffParameters {
    public let name: String
    public let residual: Bool
    /// Every conv from input to output: the stem, two per block, the head.
    public let convs: [Layer]
    private let body: Sequential

    /// - Parameters:
    ///   - name: the layers' name prefix.
    ///   - inChannels: channels of the input (1: gray).
    ///   - outChannels: channels of the output (3: colors).
    ///   - width: channels of every conv between the stem and the head.
    ///   - blocks: number of two-conv blocks; the stack has `2 * blocks + 2` convs in all.
    ///   - residual: add each block's input to its output (the short skip, `parts.residual`).
    ///   - parts: where the layers come from (the learner's with `--use-exercises`).
    ///   - rng: draws the initial weights.
    public init(_ name: String, inChannels: Int = 1, outChannels: Int = 3, width: Int = 16,
                blocks: Int = 8, residual: Bool, parts: Parts = .builtIn, rng: inout SeededGenerator) {
        self.name = name
        self.residual = residual
        let stem = parts.conv("\(name).stem", inChannels, width, 3, 1, &rng)
        var layers: [Layer] = [stem, parts.relu("\(name).stem.relu")]
        var convs = [stem]
        for i in 1...max(1, blocks) {
            let block = "\(name).block\(i)"
            let conv1 = parts.conv("\(block).conv1", width, width, 3, 1, &rng)
            let conv2 = parts.conv("\(block).conv2", width, width, 3, 1, &rng)
            let branch = Sequential(block, [conv1, parts.relu("\(block).relu1"), conv2, parts.relu("\(block).relu2")])
            if residual {
                // Without normalisation, x + f(x) doubles the signal's variance per block at He init
                // (measured: 1000x larger gradients after 8 blocks). Residual nets without batch norm
                // therefore start each branch small (Fixup, SkipInit): every block begins close to
                // the identity and grows into its job.
                conv2.parameters[0].value.withUnsafeMutableBufferPointer { w in
                    for i in w.indices { w[i] *= DeepStack.residualBranchScale }
                }
            }
            layers.append(residual ? parts.residual(block, branch) : branch)
            convs += [conv1, conv2]
        }
        let head = parts.conv("\(name).head", width, outChannels, 3, 1, &rng)
        layers.append(head)
        self.convs = convs + [head]
        body = Sequential(name, layers)
    }

    /// The factor on each residual branch's second conv at initialisation.
    public static let residualBranchScale: Float = 0.1

    public func forward(_ x: Tensor) -> Tensor { body.forward(x) }
    public func backward(_ dy: Tensor) -> Tensor { body.backward(dy) }
    public var parameters: [Parameter] { body.parameters }

    /// The residual blocks' branches: a branch that switched off leaves `x + 0`, not a dead path.
    public var switchedOffParameters: [Parameter] {
        residual ? convs.dropFirst().dropLast().flatMap(\.parameters) : []
    }

    /// The L2 norm of each conv's weight gradient, input side first (call after `backward`).
    /// `norm` computes one tensor's norm (the learner's exercise 3.3 can stand in).
    public func weightGradientNorms(using norm: (Tensor) -> Float = DeepStack.norm) -> [Float] {
        convs.map { norm($0.parameters[0].grad) }
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
