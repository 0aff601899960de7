import TensorCore

/// How a lesson trains a model, as a value: batch size, loss, peak learning rate and steps (the
/// schedule follows from them). Every lesson trains with the same settings unless it says
/// otherwise, so their numbers can be compared: same data order for a seed, same loss, same
/// optimizer, same held-out set.
public struct TrainingSettings {
    /// Label on the progress line.
    public var label: String
    public var steps: Int
    /// Scenes per step.
    public var batchSize = LessonRun.defaultBatchSize
    /// Adam's peak learning rate, the same for every model. The PyTorch prototype used 2e-3 (batch
    /// 16). At our batch of 8, a sweep over 2e-3, 4e-3 and 8e-3 (seeds 1 and 3; plain stack 650
    /// steps, U-Net 1000) moved the plain stack's detail band (psnr_high) by at most 0.5 dB, but gave
    /// the U-Net +1.2 and +1.4 dB at 8e-3: a smaller rate under-trains the bigger model.
    public var learningRate = 8e-3
    /// The loss and its gradient (MSE; the learner's own with `--use-exercises` in lesson 2).
    public var loss: Loss = Parts.builtIn.meanSquaredError()
    /// Makes the optimizer from the peak learning rate (Adam; the learner's own in lesson 2).
    public var optimizer: (Double) -> Optimizer = Parts.builtIn.adam
    /// Times the loss is also measured on held-out scenes during the run (for curves.png).
    public var heldOutLossPoints = 10

    public init(label: String, steps: Int) {
        self.label = label
        self.steps = steps
    }

    /// Warmup to `learningRate`, then a half cosine down to 5% of it.
    public var schedule: LearningRateSchedule { LearningRateSchedule(peak: learningRate, steps: steps) }

    /// The same settings with the loss and optimizer taken from `parts` (the learner's with
    /// `--use-exercises`).
    public func using(_ parts: Parts) -> TrainingSettings {
        var settings = self
        settings.loss = parts.meanSquaredError()
        settings.optimizer = parts.adam
        return settings
    }

    /// Trains `model` on `dataset`'s training batches: `Trainer`'s loop with this loss, this
    /// schedule and this optimizer. `observe(step, parameters)` sees each step's gradients before
    /// the update.
    public func train(_ model: Layer, on dataset: Dataset,
                      observe: ((Int, [Parameter]) -> Void)? = nil) throws -> TrainingHistory {
        let trainer = Trainer(model: model, optimizer: optimizer(learningRate), loss: loss)
        trainer.schedule = schedule
        trainer.observe = observe
        trainer.heldOutLossPoints = heldOutLossPoints
        return try trainer.train(on: dataset, steps: steps, batchSize: batchSize, label: label)
    }
}
