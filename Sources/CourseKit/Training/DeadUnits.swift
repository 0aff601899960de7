import TensorCore

/// How much of a model has died: the share of its channels that no longer turn on, in all and in
/// its worst layer.
///
/// A ReLU channel that is below zero for every pixel of every picture passes no gradient back, so
/// the conv in front of it gets exactly zero gradient for that channel's bias — and nothing will
/// ever change it again. Counting the bias entries whose gradient stayed exactly 0 over the last
/// `DeadUnits.window` training steps therefore counts dead channels, in any model, built-in or
/// the learner's, without looking inside it. A flat-color collapse kills whole layers (100%); a
/// model that survived a loss spike partly dead keeps one layer mostly dead and still scores
/// 20-28 dB, which the PSNR alone would not reveal (see `TrainingHealth.maximumDeadShare`).
public struct DeadUnits: Codable, Equatable, Sendable {
    /// The largest, over the model's biases, fraction of entries whose gradient stayed 0.
    public var fraction: Double
    /// The bias parameter it was found in, e.g. "unet.bottleneck.conv2.bias".
    public var parameter: String
    /// The share of all the model's bias entries whose gradient stayed 0.
    public var overall: Double

    public init(fraction: Double, parameter: String, overall: Double) {
        self.fraction = fraction
        self.parameter = parameter
        self.overall = overall
    }

    /// The last steps of a run that are looked at (at 8 scenes a step, 400 pictures).
    public static let window = 50

    /// Notes which bias entries received a gradient, step after step.
    struct Tracker {
        private var everNonzero: [[Bool]] = []

        /// Called after backward: marks every bias entry whose gradient is not exactly 0.
        mutating func add(_ parameters: [Parameter]) {
            let biases = parameters.filter { $0.value.rank == 1 }
            if everNonzero.isEmpty { everNonzero = biases.map { Array(repeating: false, count: $0.grad.count) } }
            for (k, bias) in biases.enumerated() {
                bias.grad.withUnsafeBufferPointer { g in
                    for i in g.indices where g[i] != 0 { everNonzero[k][i] = true }
                }
            }
        }

        /// The worst bias (nil when the model has none, or nothing was added).
        func result(_ parameters: [Parameter]) -> DeadUnits? {
            let biases = parameters.filter { $0.value.rank == 1 }
            guard !everNonzero.isEmpty, everNonzero.count == biases.count else { return nil }
            var worst: DeadUnits?
            var deadInAll = 0, all = 0
            for (bias, seen) in zip(biases, everNonzero) where !seen.isEmpty {
                let deadCount = seen.filter { !$0 }.count
                deadInAll += deadCount
                all += seen.count
                let dead = Double(deadCount) / Double(seen.count)
                if dead > (worst?.fraction ?? -1) { worst = DeadUnits(fraction: dead, parameter: bias.name, overall: 0) }
            }
            worst?.overall = Double(deadInAll) / Double(max(all, 1))
            return worst
        }
    }
}

/// A model some of whose channels may stay off without harm, so `DeadUnits` does not count them:
/// lesson 6's U-Net with its bottleneck zeroed (those weights play no part by design) and lesson 3's
/// residual blocks (a branch whose ReLUs are all off adds 0, and the block passes its input on; the
/// deep residual stack of seed 1 scores the lesson's best, 26.2 dB, with 69% of one branch's channels off).
public protocol SwitchesOffParameters {
    var switchedOffParameters: [Parameter] { get }
}
