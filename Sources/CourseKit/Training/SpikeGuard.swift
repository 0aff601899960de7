import TensorCore

/// The trainer's safety net: notices a loss spike and rolls the run back to the last good state.
///
/// What it guards against (measured with `stability`, U-Net at a peak rate of 8e-3; see
/// docs/STABILITY.md): at too high a rate the loss starts to oscillate, one batch's gradient
/// comes out 100 to 10,000 times its usual size, and Adam's momentum carries that direction for
/// about ten steps, each up to three times the rate. Those steps push whole layers of ReLUs below
/// zero for every input; a dead ReLU passes no gradient, so nothing brings it back, and the model
/// ends up painting the average color.
/// The learning rate (`TrainingSettings.learningRate`) is chosen so this does not happen; this
/// guard makes sure a run that meets it anyway (another seed, a wider model, the learner's own
/// code) does not spend minutes training a dead model.
///
/// How: the mean loss of the last `window` steps is compared with the best such mean so far.
/// When it is `factor` times higher, the weights and the optimizer's state go back to the last
/// saved good state, and the learning rate is halved for the rest of the run. A state is saved
/// every `interval` steps and counts as good once `interval` more steps passed without a spike,
/// so the rollback never lands inside the spike's build-up.
public struct SpikeGuard {
    /// Steps whose losses are averaged: one batch's loss varies too much to judge by.
    public static let window = 10
    /// A spike: the window's mean loss this many times the best window mean so far. Measured with
    /// `stability` (docs/STABILITY.md): at the chosen setting none of the 300 sweep runs passed
    /// 2.17x, even at 1.5 times the rate; at 8e-3 without the clip, runs that ended dead or partly
    /// dead passed 3.1x to 395x on the way.
    public static let factor = 3.0
    /// Steps between saved states.
    public static let interval = 50
    /// After this many rollbacks the run goes on as it is (and the lesson's health check judges it).
    public static let maximumRecoveries = 3
    /// What each recovery multiplies the learning rate by, for the rest of the run.
    public static let rateCut = 0.5

    /// Weights and optimizer state at one step.
    struct Saved {
        let step: Int
        let weights: [Tensor]
        let optimizer: OptimizerState
    }

    private var recent: [Float] = []
    private var best = Float.infinity
    /// The last state that was followed by `interval` calm steps, and the newest one.
    private var good: Saved?, pending: Saved?
    /// Steps at which a spike was noticed and the run rolled back.
    public private(set) var recoveries: [Int] = []
    /// The largest window mean seen, divided by the best window mean before it: 1 for a loss that
    /// only fell, up to about 2 for healthy runs' noise, `factor` or more at a spike.
    public private(set) var largestJump = 1.0

    /// False: only measure (`largestJump`), never roll back.
    public let rollsBack: Bool

    public init(rollsBack: Bool = true) { self.rollsBack = rollsBack }

    /// What multiplies the schedule's rate now: halved by every recovery.
    public var rateScale: Double { recoveries.reduce(1) { rate, _ in rate * Self.rateCut } }

    /// Looks at `step`'s loss (1-based, after the update). Returns the step the run rolled back to
    /// when it was a spike (the weights and the optimizer's state are then put back), else nil.
    public mutating func check(step: Int, loss: Float, parameters: [Parameter], optimizer: Optimizer) -> Int? {
        recent.append(loss)
        if recent.count > Self.window { recent.removeFirst() }
        if step == 1 { pending = Saved(step: step, weights: parameters.map(\.value), optimizer: optimizer.state) }
        guard recent.count == Self.window else { return nil }
        let mean = recent.reduce(0, +) / Float(Self.window)
        if best.isFinite { largestJump = max(largestJump, Double(mean) / Double(best)) }
        if rollsBack, Double(mean) > Self.factor * Double(best), recoveries.count < Self.maximumRecoveries,
           let back = good ?? pending {
            for (p, value) in zip(parameters, back.weights) { p.value = value }
            optimizer.state = back.optimizer
            recoveries.append(step)
            recent.removeAll()
            pending = nil
            good = back
            return back.step
        }
        best = min(best, mean)
        if step % Self.interval == 0 {
            good = pending ?? good
            pending = Saved(step: step, weights: parameters.map(\.value), optimizer: optimizer.state)
        }
        return nil
    }
}
