import TensorCore

/// Did a colorizer learn a picture, or one flat color?
///
/// A network can fall into a state it never leaves — every ReLU of one layer dead after a too-big
/// early step — and then paints the same color on every pixel of every scene: its loss sits at
/// the level of "predict the average color" and its held-out predictions hardly vary. PSNR alone
/// does not say so (a flat mean color still scores 15-17 dB), so every lesson checks both signs and
/// says "collapsed" instead of explaining numbers the model did not earn.
public struct TrainingHealth: Equatable, Sendable {
    /// The smallest, over the color channels, of std(prediction) / std(target) on the held-out
    /// set: about 1 for a model that paints the scene's contrast, near 0 for one flat color.
    public let spread: Double
    /// The mean training loss of the last tenth of the steps, divided by the MSE of predicting
    /// each channel's mean held-out value everywhere (the "predict-the-mean" level).
    public let lossRatio: Double
    /// The step after which the smoothed training loss never again fell by 2%: where it stalled.
    public let stalledAt: Int
    public let steps: Int

    /// Below this spread a model is called collapsed. Measured: healthy runs of every model on
    /// the meadow scenes have spread >= 0.6 (at --quick's 6 steps too little can be said; see
    /// `isCollapsed`); a collapsed autoencoder had 0.01.
    public static let minimumSpread = 0.25
    /// Above this loss ratio a model is called collapsed: it has learned little beyond the mean.
    public static let maximumLossRatio = 0.7

    public init(spread: Double, lossRatio: Double, stalledAt: Int, steps: Int) {
        self.spread = spread
        self.lossRatio = lossRatio
        self.stalledAt = stalledAt
        self.steps = steps
    }

    /// From a finished run: its loss history and its held-out predictions' channel statistics.
    public init(losses: [Float], heldOut: ChannelSpread) {
        let steps = losses.count
        let tail = losses.suffix(max(1, steps / 10))
        let finalLoss = tail.isEmpty ? .infinity : Double(tail.reduce(0, +)) / Double(tail.count)
        let meanLevel = heldOut.predictTheMeanMSE
        self.init(spread: heldOut.spreadRatio,
                  lossRatio: meanLevel > 0 ? finalLoss / meanLevel : 0,
                  stalledAt: Self.stallStep(losses), steps: steps)
    }

    /// Collapsed: predictions that barely vary, or a loss stuck near the predict-the-mean level.
    public var isCollapsed: Bool { spread < Self.minimumSpread || lossRatio > Self.maximumLossRatio }

    /// Two sentences for a collapsed model (nil when healthy): what happened, when, what to try.
    public func diagnosis(model: String) -> String? {
        guard isCollapsed else { return nil }
        let what = spread < Self.minimumSpread
            ? "its held-out predictions vary \(fmt(100 * spread, 0))% as much as the true colors (one flat color, more or less)"
            : "its loss stayed at \(fmt(100 * lossRatio, 0))% of what predicting the average color everywhere would cost"
        let when = stalledAt < steps ? " The training loss stopped improving at step \(stalledAt) of \(steps)." : ""
        return "The \(model) COLLAPSED: \(what).\(when) Its scores describe a model that learned almost nothing, "
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

    /// The MSE of predicting every channel's mean target value everywhere.
    public var predictTheMeanMSE: Double {
        sums.isEmpty ? 0 : sums.map { variance($0.t, $0.tt) }.reduce(0, +) / Double(sums.count)
    }
}
