import TensorCore

/// Scales a step's gradient down when it is far larger than the recent ones: the trainer's first
/// line of defence against a loss spike (`SpikeGuard` is the second).
///
/// Why (measured with `stability --trace`, see docs/STABILITY.md): at a high rate
/// a model sits at the edge of stability — its loss starts to oscillate, and one batch's gradient
/// comes out 100 to 10,000 times the size of the last ones. Adam divides each step by a slow
/// running mean of the squared gradients (over about 1000 steps), so that sudden gradient is not
/// divided by its own size: it moves the weights up to three times the learning rate, and the
/// momentum repeats the move for about ten steps. That is what kills whole layers of ReLUs.
/// Capping each step's gradient at `factor` times the running mean of recent gradient norms
/// means no single batch pushes harder than twice the usual, whatever the model or the loss's
/// scale. Ordinary steps pass untouched: over the 300 runs of the stability sweep, 1-10% of the
/// steps were scaled down (median 5%).
public struct GradientClip {
    /// The largest gradient norm let through, as a multiple of the running mean of recent norms.
    public static let factor = 2.0
    /// How much of the running mean each step keeps: about the last 20 steps count.
    public static let memory = 0.95
    /// The first steps only set the running mean: the gradient falls fast at the start, so
    /// "recent" means little yet.
    public static let settlingSteps = 20

    private var runningNorm = 0.0
    /// Steps whose gradient was scaled down.
    public private(set) var clippedSteps = 0

    public init() {}

    /// Scales the gradients of `parameters` (after backward, before the update) down to
    /// `factor` times the running mean norm when they are larger; `step` is 1-based.
    public mutating func apply(to parameters: [Parameter], step: Int) {
        var norm = parameters.reduce(0.0) { $0 + Self.sumOfSquares($1.grad) }.squareRoot()
        let limit = Self.factor * runningNorm
        if step > Self.settlingSteps && norm > limit {
            let scale = Float(limit / norm)
            for p in parameters {
                p.grad.withUnsafeMutableBufferPointer { g in for i in g.indices { g[i] *= scale } }
            }
            norm = limit
            clippedSteps += 1
        }
        runningNorm = step == 1 ? norm : Self.memory * runningNorm + (1 - Self.memory) * norm
    }

    /// Σ x², in Double, four sums at a time (one step of the U-Net adds up 481,779 of them).
    static func sumOfSquares(_ t: Tensor) -> Double {
        t.withUnsafeBufferPointer { g in
            var s = SIMD4<Double>()
            var i = 0
            while i + 4 <= g.count {
                let x = SIMD4<Double>(Double(g[i]), Double(g[i + 1]), Double(g[i + 2]), Double(g[i + 3]))
                s += x * x
                i += 4
            }
            var total = s.sum()
            while i < g.count { total += Double(g[i]) * Double(g[i]); i += 1 }
            return total
        }
    }
}
