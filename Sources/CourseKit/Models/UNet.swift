import TensorCore

/// How a decoder level receives the encoder's features of the same resolution.
public enum SkipKind: String, CaseIterable, Sendable {
    /// Stack the encoder's channels next to the upsampled ones (the classic U-Net).
    case concat
    /// Add the encoder's features to the upsampled ones (same channel count, no extra weights).
    case add
    /// No skip: the decoder sees only what came up through the bottleneck (a plain autoencoder).
    case none
}

/// A U-Net: an encoder that halves the resolution `depth` times, a bottleneck, and a decoder that
/// doubles it back, with an optional skip connection per level.
///
/// With the defaults (`base` 16, `depth` 3, every skip `.concat`) this is exactly U-Net-64 of
/// `tools/pytorch/unet64.py` (the model `bench` times): 481,779 parameters.
///
///     level 0  enc0: conv3x3(in→16)+ReLU, conv3x3(16→16)+ReLU ─────────── skip ──┐
///     level 1  enc1: maxpool, conv(16→32)+ReLU, conv(32→32)+ReLU ── skip ──┐     │
///     level 2  enc2: maxpool, conv(32→64)+ReLU, conv(64→64)+ReLU ─ skip ─┐ │     │
///     bottleneck:    maxpool, conv(64→128)+ReLU, conv(128→128)+ReLU      │ │     │
///     level 2  up2: convT2x2(128→64), join ◀─────────────────────────────┘ │     │
///              dec2: conv(128→64)+ReLU, conv(64→64)+ReLU                   │     │
///     level 1  up1: convT2x2(64→32), join ◀────────────────────────────────┘     │
///              dec1: conv(64→32)+ReLU, conv(32→32)+ReLU                          │
///     level 0  up0: convT2x2(32→16), join ◀──────────────────────────────────────┘
///              dec0: conv(32→16)+ReLU, conv(16→16)+ReLU
///     head:    conv1x1(16→out)
///
/// "join" is the level's `SkipKind`: concat doubles the decoder's input channels, add and none
/// keep them. In backward, a skip's gradient meets the main path's gradient at the encoder level
/// it came from, and the two *add* — that sum is written out below.
public final class UNet: InputGradientOptional, SwitchesOffParameters {
    public let name: String
    public let depth: Int
    /// One per level, outermost (full resolution) first.
    public let skips: [SkipKind]
    /// When true, forward replaces the bottleneck's output by zeros, so the decoder can only use
    /// what the skips carry (lesson experiment "what do the skips alone carry?").
    public var zeroBottleneck = false
    /// When true, forward gives the decoder zeros instead of the encoder's features at every skip,
    /// so it can only use what came up through the bottleneck (lesson 5's "what do the skips
    /// carry?"); no gradient flows back through a zeroed skip.
    public var zeroSkips = false
    /// When false, backward returns zeros instead of dL/dinput, and the first conv skips computing
    /// it: set it when the input is data (a training loop ignores that gradient). Default true.
    /// Only a built-in first conv can skip it; with a learner's conv it reads true.
    public var needsInputGradient: Bool {
        get { encoders[0].needsInputGradient }
        set { encoders[0].needsInputGradient = newValue }
    }
    /// `encoders[l]`: (max-pool for l > 0), two conv+ReLU; its output is level l's skip.
    public let encoders: [Sequential]
    /// Max-pool, two conv+ReLU at 1/2^depth resolution.
    public let bottleneck: Sequential
    /// `ups[l]`: transposed conv from level l+1's channels to level l's, doubling H and W.
    public let ups: [Layer]
    /// `decoders[l]`: two conv+ReLU after the join at level l.
    public let decoders: [Sequential]
    /// 1x1 conv to the output channels, no activation.
    public let head: Layer

    /// Encoder outputs, kept from forward for the skips.
    private var skipTensors: [Tensor] = []
    /// What the skips carried in the last forward: each level's encoder output, level 0 (full
    /// resolution) first — what lesson 5 draws in skip-features.png.
    public var lastSkips: [Tensor] { skipTensors }
    /// `joins[l]`: level l's concat (used when `skips[l]` is `.concat`).
    private let joins: [Join]
    /// Level l's add-skip output and skip-gradient sum from the last step, reused by the next
    /// (see `Tensor.recycled`), so a training step allocates no tensors of its own.
    private var skipSums: [Tensor?], skipGradientSums: [Tensor?]

    /// `bottleneckChannels`: the bottleneck's width when not the usual `base << depth` (exercise
    /// 4.4's experiment: more room at the same 1/2^depth resolution).
    public init(_ name: String = "unet", inChannels: Int = 1, outChannels: Int = 3, base: Int = 16, depth: Int = 3,
                skips: [SkipKind]? = nil, bottleneckChannels: Int? = nil, parts: Parts = .builtIn, rng: inout SeededGenerator) {
        let skips = skips ?? Array(repeating: .concat, count: depth)
        precondition(depth >= 1 && base >= 1 && inChannels >= 1 && outChannels >= 1,
                     "UNet: depth, base and channel counts must be positive, got depth \(depth) base \(base) in \(inChannels) out \(outChannels)")
        precondition(skips.count == depth, "UNet: need one SkipKind per level (\(depth)), got \(skips.count)")
        precondition((bottleneckChannels ?? 1) >= 1, "UNet: bottleneckChannels must be positive, got \(bottleneckChannels ?? 0)")
        self.name = name
        self.depth = depth
        self.skips = skips
        joins = (0..<depth).map { parts.concat("\(name).join\($0)") }
        skipSums = Array(repeating: nil, count: depth)
        skipGradientSums = Array(repeating: nil, count: depth)

        func block(_ label: String, _ cin: Int, _ cout: Int, pooled: Bool, _ rng: inout SeededGenerator) -> Sequential {
            let pool: [Layer] = pooled ? [parts.pool("\(label).pool")] : []
            let conv1 = parts.conv("\(label).conv1", cin, cout, 3, 1, &rng)
            let conv2 = parts.conv("\(label).conv2", cout, cout, 3, 1, &rng)
            return Sequential(label, pool + [conv1, parts.relu("\(label).relu1"), conv2, parts.relu("\(label).relu2")])
        }
        // Channels at each level; width[depth] is the bottleneck's.
        let width = (0..<depth).map { base << $0 } + [bottleneckChannels ?? base << depth]
        var encoders: [Sequential] = []
        for level in 0..<depth {
            encoders.append(block("\(name).enc\(level)", level == 0 ? inChannels : width[level - 1], width[level],
                                  pooled: level > 0, &rng))
        }
        self.encoders = encoders
        bottleneck = block("\(name).bottleneck", width[depth - 1], width[depth], pooled: true, &rng)
        var ups: [Layer] = [], decoders: [Sequential] = []
        for level in 0..<depth {
            ups.append(parts.upConv("\(name).up\(level)", width[level + 1], width[level], &rng))
            let joined = skips[level] == .concat ? 2 * width[level] : width[level]
            decoders.append(block("\(name).dec\(level)", joined, width[level], pooled: false, &rng))
        }
        self.ups = ups
        self.decoders = decoders
        head = parts.conv("\(name).head", width[0], outChannels, 1, 0, &rng)
    }

    public func forward(_ x: Tensor) -> Tensor {
        let factor = 1 << depth
        precondition(x.rank == 4 && x.shape[2] % factor == 0 && x.shape[3] % factor == 0,
                     "\(name): expects NCHW input with height and width divisible by \(factor), got shape \(x.shape)")
        var h = x
        skipTensors.removeAll(keepingCapacity: true)
        for encoder in encoders {
            h = run(encoder, h)
            skipTensors.append(h)
        }
        h = run(bottleneck, h)
        if zeroBottleneck { h = Tensor(shape: h.shape) }
        for level in (0..<depth).reversed() {
            let up = run(ups[level], h)
            let skip = zeroSkips ? Tensor(shape: skipTensors[level].shape) : skipTensors[level]
            let joined: Tensor
            switch skips[level] {
            case .concat: joined = joins[level].forward(up, skip)
            case .add: joined = add(up, skip, into: &skipSums[level])
            case .none: joined = up
            }
            FiniteCheck.check("\(name).join\(level)", joined)
            h = run(decoders[level], joined)
        }
        return run(head, h)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(skipTensors.count == depth, "\(name): backward called before forward")
        var g = runBackward(head, dy)
        var skipGradients = [Tensor?](repeating: nil, count: depth)
        for level in 0..<depth {
            g = runBackward(decoders[level], g)
            switch skips[level] {
            case .concat:
                // The join was [up, skip]: each gets the gradient of its own channels.
                let (toUp, toSkip) = joins[level].backward(g)
                g = toUp
                skipGradients[level] = toSkip
            case .add:
                // d(up + skip) passes the same gradient to both.
                skipGradients[level] = g
            case .none:
                break
            }
            if zeroSkips { skipGradients[level] = nil }  // a zeroed skip is a constant
            g = runBackward(ups[level], g)
        }
        // A zeroed bottleneck output is a constant: nothing flows back into the bottleneck.
        if zeroBottleneck { g = Tensor(shape: g.shape) }
        g = runBackward(bottleneck, g)
        for level in (0..<depth).reversed() {
            // Level l's output went two ways (down the encoder and across the skip), so its
            // gradient is the sum of both paths' gradients.
            if let skipGradient = skipGradients[level] {
                // Into a buffer of our own: both gradients are still held by the layers that returned them.
                skipGradients[level] = nil
                g = add(skipGradient, g, into: &skipGradientSums[level])
            }
            g = runBackward(encoders[level], g)
        }
        return g
    }

    /// The bottleneck's weights when it is zeroed: they never get a gradient (see `DeadUnits`).
    public var switchedOffParameters: [Parameter] { zeroBottleneck ? bottleneck.parameters : [] }

    public var parameters: [Parameter] {
        // In steps: Swift 6.0 gives up type-checking this as one expression.
        var all: [Parameter] = (encoders + [bottleneck]).flatMap(\.parameters)
        for (up, decoder) in zip(ups, decoders) { all += up.parameters + decoder.parameters }
        return all + head.parameters
    }

    /// `a + b` written into `spare`'s buffer when it is free: `addTensors` without a new tensor per step.
    private func add(_ a: Tensor, _ b: Tensor, into spare: inout Tensor?) -> Tensor {
        let sum = addTensors(a, b, reusing: &spare)
        spare = sum
        return sum
    }

    /// One layer's forward, then a look for NaN/Inf (see `FiniteCheck`).
    private func run(_ layer: Layer, _ x: Tensor) -> Tensor {
        let y = layer.forward(x)
        FiniteCheck.check(layer.name, y)
        return y
    }

    private func runBackward(_ layer: Layer, _ dy: Tensor) -> Tensor {
        let g = layer.backward(dy)
        FiniteCheck.check("\(layer.name) (backward)", g)
        return g
    }
}
