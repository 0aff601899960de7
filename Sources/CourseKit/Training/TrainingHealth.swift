import TensorCore

/// Did a colorizer learn a picture, or one flat color?
///
/// A network can fall into a state it never leaves — every ReLU of one layer dead after a too-big
/// early step — and then paints the same color on every pixel of every scene: its loss sits at
/// the level of "predict the average color" and its held-out predictions hardly vary. Or a loss
/// spike kills part of it, and it goes on at 20-28 dB with a sixth of its channels dead. PSNR
/// alone does not say so (a flat mean color still scores 15-17 dB), so every lesson checks these
/// signs and says "collapsed" instead of explaining numbers the model did not earn.
public struct TrainingHealth: Equatable, Sendable {
    /// The smallest, over the color channels, of std(prediction) / std(target) on the held-out
    /// set: about 1 for a model that paints the scene's contrast, near 0 for one flat color.
    public let spread: Double
    /// The mean training loss of the last tenth of the steps, divided by the MSE of predicting
    /// each channel's mean held-out value everywhere (the "predict-the-mean" level).
    public let lossRatio: Double
    /// The largest 10-step mean loss over the best one before it (`SpikeGuard.largestJump`):
    /// under 2.2 in every calm run of the stability sweep, 3 or more at a spike.
    public let largestLossJump: Double
    /// The step after which the smoothed training loss never again fell by 2%: where it stalled.
    public let stalledAt: Int
    public let steps: Int
    /// The channels that stayed off at the end of training: the worst layer's share and the whole
    /// model's (nil: not measured).
    public let deadUnits: DeadUnits?

    /// Below this spread a model is called collapsed. Measured: healthy runs of every model on
    /// the meadow scenes have spread >= 0.6 (after --quick's 6 steps too little can be said, so a
    /// lesson does not judge: `ColorizerResult.collapsed`); a collapsed autoencoder had 0.01.
    public static let minimumSpread = 0.25
    /// Above this loss ratio a model is called collapsed: it has learned little beyond the mean.
    public static let maximumLossRatio = 0.7

    /// A model is called partly dead (collapsed) when a loss spike left more than this share of
    /// its channels off for every input; channels that may switch off without harm
    /// (`SwitchesOffParameters`) are not counted. Measured with `stability` through three times
    /// the warmup: at 8e-3 without the clip, the autoencoders a spike left damaged had 16-34% of
    /// their channels dead (seeds 100, 106, 107, 119; a flat one 96%); at the chosen setting no run
    /// of the sweep passed 7.2%, at the rate or 1.5 times it (docs/STABILITY.md).
    public static let maximumDeadShare = 0.12
    /// The loss jump that counts as a spike here. Dead channels alone are no harm: lesson 6's
    /// 32-px autoencoders end with 7-13% of theirs off, spike-free, scoring as their siblings.
    /// Measured: calm sweep runs jumped 2.17x at most; the damaged autoencoders 3.1x to 7.1x.
    public static let damagingJump = 2.5

    public init(spread: Double, lossRatio: Double, stalledAt: Int, steps: Int, deadUnits: DeadUnits? = nil,
                largestLossJump: Double = 1) {
        self.spread = spread
        self.lossRatio = lossRatio
        self.largestLossJump = largestLossJump
        self.stalledAt = stalledAt
        self.steps = steps
        self.deadUnits = deadUnits
    }

    /// From a finished run: its loss history, dead units and its held-out predictions' channel statistics.
    public init(history: TrainingHistory, heldOut: ChannelSpread) {
        self.init(losses: history.losses, heldOut: heldOut, deadUnits: history.deadUnits,
                  largestLossJump: history.largestLossJump)
    }

    /// From a run's losses and its held-out predictions' channel statistics.
    public init(losses: [Float], heldOut: ChannelSpread, deadUnits: DeadUnits? = nil, largestLossJump: Double = 1) {
        let steps = losses.count
        let tail = losses.suffix(max(1, steps / 10))
        let finalLoss = tail.isEmpty ? .infinity : Double(tail.reduce(0, +)) / Double(tail.count)
        let meanLevel = heldOut.predictTheMeanMSE
        self.init(spread: heldOut.spreadRatio,
                  lossRatio: meanLevel > 0 ? finalLoss / meanLevel : 0,
                  stalledAt: Self.stallStep(losses), steps: steps, deadUnits: deadUnits,
                  largestLossJump: largestLossJump)
    }

    /// Collapsed: predictions that barely vary, a loss stuck near the predict-the-mean level, or
    /// channels killed by a loss spike.
    public var isCollapsed: Bool {
        spread < Self.minimumSpread || lossRatio > Self.maximumLossRatio || isPartlyDead
    }

    /// A loss spike, and more than `maximumDeadShare` of the model's channels off for every input.
    public var isPartlyDead: Bool {
        largestLossJump >= Self.damagingJump && (deadUnits?.overall ?? 0) > Self.maximumDeadShare
    }

    /// Two sentences for a collapsed model (nil when healthy): what happened, when, what to try.
    public func diagnosis(model: String) -> String? {
        guard isCollapsed else { return nil }
        let what: String
        if spread < Self.minimumSpread {
            what = "its held-out predictions vary \(fmt(100 * spread, 0))% as much as the true colors (one flat color, more or less)"
        } else if lossRatio > Self.maximumLossRatio {
            what = "its loss stayed at \(fmt(100 * lossRatio, 0))% of what predicting the average color everywhere would cost"
        } else {
            let dead = deadUnits!
            what = "a loss spike (its loss rose to \(fmt(largestLossJump, 1)) times its best) left \(fmt(100 * dead.overall, 0))% "
                + "of its channels never turning on, \(fmt(100 * dead.fraction, 0))% of those of "
                + "\(dead.parameter.replacingOccurrences(of: ".bias", with: "")) (dead ReLUs: below zero for every input, "
                + "so no gradient reaches them and they stay dead)"
        }
        let when = stalledAt < steps ? " The training loss stopped improving at step \(stalledAt) of \(steps)." : ""
        let scores = isPartlyDead && spread >= Self.minimumSpread && lossRatio <= Self.maximumLossRatio
            ? "a damaged model" : "a model that learned almost nothing"
        return "The \(model) COLLAPSED: \(what).\(when) Its scores describe \(scores), "
            + "so the lesson's comparisons do not apply to it. Try another --seed (a different start), "
            + "or more --steps if the loss was still falling."
    }

    /// The last step after which the loss, smoothed over 5% of the run, fell by 2% or more below
    /// its best so far.
    static func stallStep(_ losses: [Float]) -> Int {
        guard !losses.isEmpty else { return 0 }
        let window = max(1, losses.count / 20)
        var best = Double.infinity, last = 0, sum = 0.0
        for (i, loss) in losses.enumerated() {
            sum += Double(loss)
            if i >= window { sum -= Double(losses[i - window]) }
            guard i + 1 >= window else { continue }
            let smooth = sum / Double(window)
            if smooth < 0.98 * best { best = smooth; last = i + 1 }
            else if smooth < best { best = smooth }
        }
        return last
    }
}

/// Per-channel means and variances of predictions and targets, batch after batch.
public struct ChannelSpread: Sendable {
    private var count = 0.0
    private var sums: [(p: Double, pp: Double, t: Double, tt: Double)] = []

    public init() {}

    /// Adds a batch of predictions and targets, both [N, C, H, W].
    public mutating func add(prediction: Tensor, target: Tensor) {
        let channels = target.shape[1], plane = target.shape[2] * target.shape[3], n = target.shape[0]
        if sums.isEmpty { sums = Array(repeating: (0, 0, 0, 0), count: channels) }
        prediction.withUnsafeBufferPointer { p in
            target.withUnsafeBufferPointer { t in
                for c in 0..<channels {
                    var s = sums[c]
                    for b in 0..<n {
                        let base = (b * channels + c) * plane
                        for i in base..<(base + plane) {
                            let x = Double(p[i]), y = Double(t[i])
                            s.p += x; s.pp += x * x; s.t += y; s.tt += y * y
                        }
                    }
                    sums[c] = s
                }
            }
        }
        count += Double(n * plane)
    }

    private func variance(_ sum: Double, _ squares: Double) -> Double {
        guard count > 0 else { return 0 }
        let mean = sum / count
        return max(0, squares / count - mean * mean)
    }

    /// min over channels of std(prediction) / std(target) (1 where a target channel is constant).
    public var spreadRatio: Double {
        sums.map { s in
            let target = variance(s.t, s.tt)
            return target > 1e-12 ? (variance(s.p, s.pp) / target).squareRoot() : 1
        }.min() ?? 1
    }

    /// Each channel's mean target value: the mean color of the scenes added.
    public var targetMeans: [Double] { count > 0 ? sums.map { $0.t / count } : [] }

    /// The MSE of predicting every channel's mean target value everywhere.
    public var predictTheMeanMSE: Double {
        sums.isEmpty ? 0 : sums.map { variance($0.t, $0.tt) }.reduce(0, +) / Double(sums.count)
    }
}
