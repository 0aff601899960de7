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
    /// Adam's peak learning rate, the same for every model and lesson. Chosen for a margin, not a
    /// pass: `tools/check-stability.sh $(seq 100 149)` trains each colorizer on 50 seeds through
    /// three times the warmup (where every collapse began), at this rate and at 1.5 times it, with
    /// `GradientClip` and `SpikeGuard` (and the last layer as drawn, before `startingOutputRMS`;
    /// its own sweep is below):
    ///
    ///     model        rate    runs  collapsed  spikes  recovered  largest jump  most dead
    ///     plain        3e-3    50    0          0       0          1.72x         5.1%
    ///     plain        4.5e-3  50    0          0       0          2.04x         7.2%
    ///     autoencoder  3e-3    50    0          0       0          1.49x         5.7%
    ///     autoencoder  4.5e-3  50    0          0       0          2.17x         6.5%
    ///     unet         3e-3    50    0          0       0          1.82x         3.9%
    ///     unet         4.5e-3  50    0          0       0          1.82x         3.9%
    ///
    /// (seeds 100-149; a spike is a 10-step mean loss 3 times its best, which `SpikeGuard` would
    /// roll back; "most dead": the largest share of a model's channels off, 12% is collapsed.)
    ///
    /// Before, at 8e-3 without the clip, 7 of those 50 U-Nets collapsed or ended partly dead,
    /// right after the warmup; 4.5e-3 without the clip kept every U-Net healthy but not the plain
    /// stack (3 of 26 seeds spiked 3x at 3e-3). Why, and what else was tried: docs/STABILITY.md.
    /// What the lower rate cost, seed 1 (the reference run before `startingOutputRMS`, against the
    /// 8e-3 run of commit 9e2a755): the U-Net 31.54 dB instead of 33.39, the autoencoder 23.02
    /// instead of 23.34, the plain stack 25.28 instead of 24.76. On seeds 200-219 the U-Net's lead over the plain stack on detail
    /// (psnr_high) had a median of +0.78 dB and was lost on 4 of 20 (down to -1.80 dB); every
    /// other claim held on all 20 (`tools/check-claims.sh`). Those four are the seeds with the
    /// largest loss at the first step: an unlucky draw of the weights starts with huge gradients
    /// that Adam remembers for most of the run (docs/STABILITY.md, "the init lottery"), which
    /// `startingOutputRMS` takes out.
    public var learningRate = 3e-3
    /// The root mean square of the model's first prediction, set before training by scaling its
    /// last layer (`StartingOutput`, which says why); nil keeps the drawn weights as they are
    /// (lesson 7's segmenters, whose claims were checked that way). Colors are 0...1; a zero
    /// prediction's first loss was 0.211-0.217, so the targets' RMS is about 0.46.
    ///
    /// Chosen on the autoencoder, the model a small start hits hardest, at 1.5 times the rate
    /// through three times the warmup on seeds 150-159 (`stability --model autoencoder
    /// --rate-scale 1.5 --head-rms R`): largest loss jump up to 2.90x at 0.2, 1.99x at 0.3, 2.66x
    /// at 0.5 (median PSNR 22.84, 22.76, 22.63 dB). Then checked as the course's setting with
    /// full lesson runs on seeds 400-419, used for nothing else (`tools/check-claims.sh`): every
    /// claim held; the U-Net's lead on detail over the plain stack was +0.85 dB at its smallest
    /// and +2.31 at the median (with the drawn last layer, seeds 200-219: -1.80 and +0.78). One
    /// run of 60 spiked (U-Net, seed 410, step 180) and was rolled back. Then the sweep with it,
    /// `tools/check-stability.sh $(seq 100 149)`, every colorizer through three times the warmup:
    ///
    ///     model        rate    runs  collapsed  spikes  recovered  jumps 2x  largest jump
    ///     plain        3e-3    50    0          0       0          0         1.66x
    ///     plain        4.5e-3  50    0          0       0          3         2.36x
    ///     autoencoder  3e-3    50    0          0       0          8         2.46x
    ///     autoencoder  4.5e-3  50    0          0       0          5         2.76x
    ///     unet         3e-3    50    0          0       0          0         1.65x
    ///     unet         4.5e-3  50    0          0       0          0         1.93x
    ///
    /// (docs/STABILITY.md, "The 50-seed sweep with the fix": it trains further than the drawn
    /// last layer in these steps and jumps 2x more often, never to the 3x of a rollback.)
    public var startingOutputRMS: Double? = 0.3
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
        if let startingOutputRMS {
            StartingOutput.scale(model, on: dataset.trainingBatch(step: 0, batchSize: batchSize).input, toRMS: startingOutputRMS)
        }
        let trainer = Trainer(model: model, optimizer: optimizer(learningRate), loss: loss)
        trainer.schedule = schedule
        trainer.observe = observe
        trainer.heldOutLossPoints = heldOutLossPoints
        return try trainer.train(on: dataset, steps: steps, batchSize: batchSize, label: label)
    }
}
