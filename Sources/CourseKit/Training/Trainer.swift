import Foundation
import TensorCore

/// What a training run did: the loss of every step, the time it took, and any evaluations.
public struct TrainingHistory: Codable, Sendable {
    /// Loss of each step, in order (`losses[k - 1]` is step k's).
    public var losses: [Float] = []
    /// Steps completed.
    public var steps: Int = 0
    /// Seconds spent training (wall clock, evaluations excluded).
    public var seconds: Double = 0
    /// Images trained on.
    public var images: Int = 0
    /// Held-out scores measured during the run (see `Trainer.train(..., evaluateAt:)`).
    public var evaluations: [Evaluation] = []
    /// The loss on held-out scenes, measured now and then during the run (see
    /// `Trainer.heldOutLossPoints`): the training loss's twin on pictures never trained on.
    public var heldOutLosses: [HeldOutLoss] = []
    /// Steps at which the loss spiked and the run rolled back to its last good state, with a
    /// halved learning rate (see `SpikeGuard`). Empty for a calm run.
    public var recoveries: [Int] = []
    /// The largest jump of the loss over its best so far (see `SpikeGuard.largestJump`).
    public var largestLossJump = 1.0
    /// Steps whose gradient was scaled down (see `GradientClip`).
    public var clippedSteps = 0
    /// The channels that stayed off over the run's last steps, in the worst layer and in all (see
    /// `DeadUnits`); nil when the model has no biases.
    public var deadUnits: DeadUnits?

    public struct HeldOutLoss: Codable, Sendable {
        public var step: Int
        public var loss: Float
    }

    public struct Evaluation: Codable, Sendable {
        public var step: Int
        public var scores: QualityScores
    }

    public var imagesPerSecond: Double { seconds > 0 ? Double(images) / seconds : 0 }

    /// One sentence when the spike guard rolled this run back (nil for a calm run): the scores
    /// are those of the recovered run, trained partly at a lower rate.
    public func recoveryNote(model: String) -> String? {
        guard !recoveries.isEmpty else { return nil }
        let when = recoveries.count == 1 ? "at step \(recoveries[0])"
            : "at steps " + recoveries.map(String.init).joined(separator: ", ")
        return "The \(model)'s loss spiked \(when) of \(steps): the trainer rolled it back to its last good weights "
            + "and went on at \(recoveries.count == 1 ? "half" : "a lower") learning rate (see SpikeGuard), so its scores "
            + "are those of the recovered run. A spike means this start sat close to the edge of what the rate allows."
    }
}

/// Trains any `Layer` model with an `Optimizer`: forward, loss, backward, update, step after step.
///
/// The loop is the one every lesson shares, written out so it can be read in one go:
///
///     zero the gradients -> prediction = model.forward(input) -> (loss, dLoss/dPrediction)
///     -> model.backward(dLoss/dPrediction) -> clip the gradient -> learning rate from the
///     schedule -> optimizer.step(parameters) -> spike guard
///
/// Two safety measures keep a run off the edge of stability: `GradientClip` scales down a
/// gradient far larger than the recent ones, and `SpikeGuard` rolls the weights and the
/// optimizer back to the last good state if the loss jumps anyway, and halves the rate (the
/// progress line says so and `recoveries` records it).
/// It stops at the first non-finite loss or gradient and says which step and which layer: the
/// batch is replayed with `FiniteCheck` on, so the first layer whose output (or gradient) holds a
/// NaN/Inf is named. Runs are deterministic: the same model init and batches give the same losses.
public final class Trainer {
    public let model: Layer
    public let optimizer: Optimizer
    /// The loss and its gradient with respect to the prediction (MSE by default, as an `MSELoss`
    /// so the gradient buffer is reused from step to step).
    public let loss: (Tensor, Tensor) -> (loss: Float, grad: Tensor)
    /// When set, the optimizer's learning rate for each step (else it keeps its own).
    public var schedule: LearningRateSchedule?
    /// Called with the step (1-based) and the parameters after backward, before the update: a
    /// lesson looks at the gradients here (lesson 3's per-layer gradient norms).
    public var observe: ((Int, [Parameter]) -> Void)?
    /// How many times `train(on:...)` measures the loss on held-out scenes (evenly spread, the
    /// last after the last step), on the first `heldOutLossScenes` of them; 0: never. Measuring
    /// changes no weight, so the training itself is the same with or without it.
    public var heldOutLossPoints = 0
    public var heldOutLossScenes = 32
    /// Whether the spike guard may roll the run back (see `SpikeGuard`). Off only to measure what
    /// happens without it (`stability --no-guard`).
    public var guardsAgainstSpikes = true
    /// Whether a gradient far larger than the recent ones is scaled down (see `GradientClip`).
    /// Off only to measure what happens without it (`stability --no-clip`).
    public var clipsGradients = true

    public init(model: Layer, optimizer: Optimizer,
                loss: @escaping (Tensor, Tensor) -> (loss: Float, grad: Tensor) = MSELoss().callAsFunction) {
        self.model = model
        self.optimizer = optimizer
        self.loss = loss
    }

    /// Trains for `steps` steps of `batchSize` on `data`'s training batches.
    ///
    /// - Parameters:
    ///   - data: the training and held-out scenes.
    ///   - steps: how many optimizer steps.
    ///   - batchSize: training scenes per step.
    ///   - label: names the run in the progress line (default: the model's name).
    ///   - evaluateAt: steps (1-based) after which the model is scored on the held-out set.
    ///   - quiet: print no progress line.
    ///   - progress: a custom progress line (default: one on standard output labelled `label`).
    /// - Throws: `CourseError` naming the step and the layer if the training diverges.
    public func train(on data: Dataset, steps: Int, batchSize: Int, label: String? = nil,
                      evaluateAt: Set<Int> = [], quiet: Bool = false,
                      progress: ProgressLine? = nil) throws -> TrainingHistory {
        let line = quiet ? nil : progress ?? ProgressLine(label: label ?? model.name, total: steps)
        // `points` steps evenly spread, the last one the last step.
        let points = min(heldOutLossPoints, steps)
        var lossSteps = Set<Int>()
        for k in stride(from: 1, through: points, by: 1) { lossSteps.insert(k * steps / points) }
        let scenes = 0..<min(heldOutLossScenes, data.heldOutCount)
        // The same held-out scenes each time: made once, only when they will be used.
        let heldOut = lossSteps.isEmpty || scenes.isEmpty ? nil : data.heldOutBatch(scenes)
        return try train(steps: steps, evaluateAt: evaluateAt, progress: line,
                         evaluate: { try self.evaluate(on: data) },
                         heldOutLossAt: heldOut == nil ? [] : lossSteps,
                         heldOutLoss: { self.heldOutLoss(heldOut!, batchSize: data.evaluationBatchSize) },
                         batch: { data.trainingBatch(step: $0, batchSize: batchSize) })
    }

    /// The general loop: `batch(step)` (0-based step) gives each step's input and target, and
    /// `evaluate` is called after the steps in `evaluateAt` (scores during training; `TrainerTests` uses it).
    /// `heldOutLoss()` is measured after the steps in `heldOutLossAt`.
    public func train(steps: Int, evaluateAt: Set<Int> = [], progress: ProgressLine? = nil,
                      evaluate: (() throws -> QualityScores)? = nil,
                      heldOutLossAt: Set<Int> = [], heldOutLoss: (() -> Float)? = nil,
                      batch: (Int) -> (input: Tensor, target: Tensor)) throws -> TrainingHistory {
        guard steps > 0 else { throw CourseError("--steps must be at least 1, got \(steps)") }
        let parameters = model.parameters
        // Parameters the model switched off on purpose (lesson 6's zeroed bottleneck) get no
        // gradient by design: they are not dead units.
        let switchedOff = Set(((model as? SwitchesOffParameters)?.switchedOffParameters ?? []).map(ObjectIdentifier.init))
        let watched = parameters.filter { !switchedOff.contains(ObjectIdentifier($0)) }
        var deadUnits = DeadUnits.Tracker()
        // The input is data: its gradient would be thrown away (below), so skip computing it.
        let skipper = model as? InputGradientOptional
        let neededInputGradient = skipper?.needsInputGradient
        skipper?.needsInputGradient = false
        defer { if let neededInputGradient { skipper?.needsInputGradient = neededInputGradient } }
        var history = TrainingHistory()
        history.losses.reserveCapacity(steps)
        var clock = Stopwatch()
        var spikeGuard = SpikeGuard(rollsBack: guardsAgainstSpikes)
        var clip = GradientClip()
        defer { progress?.finish() }
        for step in 1...steps {
            let (input, target) = batch(step - 1)
            for p in parameters { p.zeroGrad() }
            let prediction = model.forward(input)
            let (value, gradient) = loss(prediction, target)
            guard value.isFinite else {
                throw diagnose(step: step, input: input, target: target, what: "the loss is \(value)")
            }
            _ = model.backward(gradient)
            if let bad = parameters.first(where: { !$0.grad.allFinite }) {
                throw diagnose(step: step, input: input, target: target,
                               what: "the gradient of parameter '\(bad.name)' holds NaN or Inf")
            }
            if step > steps - DeadUnits.window { deadUnits.add(watched) }
            observe?(step, parameters)
            if clipsGradients { clip.apply(to: parameters, step: step) }
            if let schedule { optimizer.learningRate = schedule.rate(at: step - 1) * spikeGuard.rateScale }
            optimizer.step(parameters)
            if let back = spikeGuard.check(step: step, loss: value, parameters: parameters, optimizer: optimizer) {
                if schedule == nil { optimizer.learningRate *= SpikeGuard.rateCut }
                progress?.note("the loss spiked at step \(step) (\(ProgressLine.formatLoss(value))): rolled back to "
                    + "the weights of step \(back) and halved the learning rate")
            }

            history.losses.append(value)
            history.steps = step
            history.images += input.shape.first ?? 0
            history.seconds = clock.elapsed
            progress?.update(step: step, loss: value, images: history.images, elapsed: history.seconds)
            if evaluateAt.contains(step), let evaluate {
                clock.pause()
                history.evaluations.append(.init(step: step, scores: try evaluate()))
                clock.resume()
            }
            if heldOutLossAt.contains(step), let heldOutLoss {
                clock.pause()
                history.heldOutLosses.append(.init(step: step, loss: heldOutLoss()))
                clock.resume()
            }
        }
        history.deadUnits = deadUnits.result(watched)
        history.recoveries = spikeGuard.recoveries
        history.largestLossJump = spikeGuard.largestJump
        history.clippedSteps = clip.clippedSteps
        return history
    }

    /// Replays the failing batch with `FiniteCheck` on and builds the message that names the layer.
    private func diagnose(step: Int, input: Tensor, target: Tensor, what: String) -> CourseError {
        // Names only options that exist (the learning rate is the lesson's, not a flag).
        let advice = "Every step before \(step) was finite. Try another --seed; if every seed diverges and you ran "
            + "with --use-exercises, your own functions ran inside this model: 'swift run course check' grades them one by one."
        guard input.allFinite, target.allFinite else {
            return CourseError("training stopped at step \(step): the batch itself holds NaN or Inf "
                + "(input or target), so the data is broken, not the model")
        }
        let wasEnabled = FiniteCheck.isEnabled
        FiniteCheck.reset()
        FiniteCheck.isEnabled = true
        defer { FiniteCheck.isEnabled = wasEnabled; FiniteCheck.reset() }
        for p in model.parameters { p.zeroGrad() }
        let prediction = model.forward(input)
        FiniteCheck.check(model.name, prediction)
        if FiniteCheck.firstOffender == nil {
            let (_, gradient) = loss(prediction, target)
            FiniteCheck.check("the loss gradient", gradient)
            let inputGradient = model.backward(gradient)
            FiniteCheck.check("\(model.name) (backward)", inputGradient)
        }
        guard let offender = FiniteCheck.firstOffender else {
            return CourseError("training diverged at step \(step): \(what). \(advice)")
        }
        let backward = " (backward)"
        if offender.hasSuffix(backward) {
            return CourseError("training diverged at step \(step): layer '\(offender.dropLast(backward.count))' "
                + "produced NaN or Inf in its gradient (\(what)). \(advice)")
        }
        return CourseError("training diverged at step \(step): layer '\(offender)' produced NaN or Inf "
            + "in its output (\(what)). \(advice)")
    }

    /// The loss on `scenes`, `batchSize` of them per forward pass (the mean over all of them; in
    /// one pass, as at 64 px and below, bit for bit the loss of the whole batch).
    func heldOutLoss(_ scenes: (input: Tensor, target: Tensor), batchSize: Int) -> Float {
        let n = scenes.input.shape[0]
        guard n > batchSize else { return loss(model.forward(scenes.input), scenes.target).loss }
        var sum = 0.0
        for start in stride(from: 0, to: n, by: batchSize) {
            let range = start..<min(start + batchSize, n)
            let part = loss(model.forward(scenes.input.images(range)), scenes.target.images(range)).loss
            sum += Double(part) * Double(range.count)
        }
        return Float(sum / Double(n))
    }

    /// Scores the model on `data`'s held-out set (or its first `limit` pairs).
    public func evaluate(on data: Dataset, limit: Int? = nil) throws -> QualityScores {
        var accumulator = Metrics.Accumulator()
        let count = min(limit ?? data.heldOutCount, data.heldOutCount)
        for range in data.heldOutRanges(batchSize: data.evaluationBatchSize) where range.lowerBound < count {
            let (input, target) = data.heldOutBatch(range.lowerBound..<min(range.upperBound, count))
            try accumulator.add(prediction: model.forward(input), target: target)
        }
        return try accumulator.scores()
    }
}

/// Wall-clock seconds that can be paused (so evaluations do not count as training time).
struct Stopwatch {
    private var start = DispatchTime.now().uptimeNanoseconds
    private var pausedAt: UInt64?
    private var pausedTotal: UInt64 = 0

    var elapsed: Double {
        let now = pausedAt ?? DispatchTime.now().uptimeNanoseconds
        return Double(now - start - pausedTotal) / 1e9
    }

    mutating func pause() { pausedAt = DispatchTime.now().uptimeNanoseconds }

    mutating func resume() {
        if let p = pausedAt { pausedTotal += DispatchTime.now().uptimeNanoseconds - p }
        pausedAt = nil
    }
}
