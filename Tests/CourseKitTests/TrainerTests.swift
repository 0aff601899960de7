import Foundation
import XCTest
@testable import CourseKit

/// Passes its input through, but from its `poisonFromCall`-th forward call on (1-based), puts a
/// NaN in its output: a layer that "blows up" at a known training step.
final class PoisonLayer: Layer {
    let name: String
    let poisonFromCall: Int
    var calls = 0
    init(_ name: String, poisonFromCall: Int) { self.name = name; self.poisonFromCall = poisonFromCall }
    func forward(_ x: Tensor) -> Tensor {
        calls += 1
        var y = x
        if calls >= poisonFromCall { y.withUnsafeMutableBufferPointer { $0[0] = .nan } }
        return y
    }
    func backward(_ dy: Tensor) -> Tensor { dy }
}

final class TrainerTests: XCTestCase {
    /// conv 3x3 (1 -> 8) + ReLU + conv 3x3 (8 -> 3): the smallest colorizer.
    static func tinyModel(seed: UInt64, extra: Layer? = nil) -> Sequential {
        var rng = SeededGenerator(seed: seed)
        let conv1 = Conv2D("tiny.conv1", in: 1, out: 8, kernel: 3, padding: 1, rng: &rng)
        let conv2 = Conv2D("tiny.conv2", in: 8, out: 3, kernel: 3, padding: 1, rng: &rng)
        return Sequential("tiny", [conv1, ReLU("tiny.relu")] + (extra.map { [$0] } ?? []) + [conv2])
    }

    static func dataset(seed: UInt64 = 1) throws -> Dataset {
        try Dataset.meadow(size: 16, seed: seed, trainingScenes: 64, heldOutScenes: 8)
    }

    func testTinyModelOverfitsOneBatch() throws {
        let data = try Self.dataset()
        let batch = data.trainingBatch(step: 0, batchSize: 2)
        let trainer = Trainer(model: Self.tinyModel(seed: 1), optimizer: Adam(learningRate: 2e-2))
        let history = try trainer.train(steps: 80) { _ in batch }
        XCTAssertEqual(history.losses.count, 80)
        XCTAssertEqual(history.steps, 80)
        XCTAssertEqual(history.images, 160)
        XCTAssertGreaterThan(history.seconds, 0)
        let first = history.losses[0], last = history.losses[79]
        XCTAssertLessThan(last, first / 10, "loss fell from \(first) to \(last) only")
    }

    /// The data's gradient is thrown away, so training skips it in the first conv (through the
    /// model's `Sequential`) and gives the setting back afterwards; the weights' gradients are
    /// the same either way.
    func testTrainingSkipsTheInputGradientAndRestoresIt() throws {
        let data = try Self.dataset()
        let batch = data.trainingBatch(step: 0, batchSize: 2)
        func trainedWeights(skippingInputGradient: Bool) throws -> [Float] {
            let model = Self.tinyModel(seed: 3)
            let firstConv = model.layers[0] as! Conv2D
            let probe = PoisonLayer("probe", poisonFromCall: .max)
            var seenDuringTraining: [Bool] = []
            let trainer = Trainer(model: skippingInputGradient ? model : Sequential("opaque", [probe, model]),
                                  optimizer: Adam(learningRate: 1e-2))
            _ = try trainer.train(steps: 3) { _ in
                seenDuringTraining.append(firstConv.needsInputGradient)
                return batch
            }
            XCTAssertEqual(seenDuringTraining, Array(repeating: !skippingInputGradient, count: 3))
            XCTAssertTrue(firstConv.needsInputGradient, "restored after training")
            return model.parameters.flatMap(\.value.values)
        }
        XCTAssertEqual(try trainedWeights(skippingInputGradient: true), try trainedWeights(skippingInputGradient: false))
    }

    /// Measuring the held-out loss during training changes nothing the training does.
    func testHeldOutLossesAreMeasuredWithoutChangingTheTraining() throws {
        func run(points: Int) throws -> (history: TrainingHistory, weights: [Tensor]) {
            let model = Self.tinyModel(seed: 7)
            let trainer = Trainer(model: model, optimizer: Adam(learningRate: 2e-3))
            trainer.heldOutLossPoints = points
            let history = try trainer.train(on: try Self.dataset(seed: 5), steps: 8, batchSize: 4, quiet: true)
            return (history, model.parameters.map(\.value))
        }
        let measured = try run(points: 4), plain = try run(points: 0)
        XCTAssertEqual(measured.history.heldOutLosses.map(\.step), [2, 4, 6, 8])
        XCTAssertTrue(measured.history.heldOutLosses.allSatisfy { $0.loss.isFinite && $0.loss > 0 })
        XCTAssertTrue(plain.history.heldOutLosses.isEmpty)
        XCTAssertEqual(measured.history.losses, plain.history.losses)
        XCTAssertEqual(measured.weights, plain.weights)
    }

    func testSameSeedSameLosses() throws {
        func run(threads: Int) throws -> [Float] {
            let saved = Parallel.threads
            defer { Parallel.threads = saved }
            Parallel.threads = threads
            let trainer = Trainer(model: Self.tinyModel(seed: 7), optimizer: Adam(learningRate: 2e-3))
            return try trainer.train(on: try Self.dataset(seed: 5), steps: 6, batchSize: 4, quiet: true).losses
        }
        let a = try run(threads: 1), b = try run(threads: 2)
        XCTAssertEqual(a, b)
        let other = try Trainer(model: Self.tinyModel(seed: 7), optimizer: Adam(learningRate: 2e-3))
            .train(on: try Self.dataset(seed: 6), steps: 6, batchSize: 4, quiet: true).losses
        XCTAssertNotEqual(a, other, "another --seed must give another batch order")
    }

    func testNaNAtStepKStopsWithStepAndLayer() throws {
        for k in [1, 4] {
            let model = Self.tinyModel(seed: 1, extra: PoisonLayer("tiny.poison", poisonFromCall: k))
            let trainer = Trainer(model: model, optimizer: Adam(learningRate: 1e-3))
            var text = ""
            let line = ProgressLine(label: "tiny", total: 10, isTerminal: false) { text += $0 }
            XCTAssertThrowsError(try trainer.train(on: try Self.dataset(), steps: 10, batchSize: 2, progress: line)) { error in
                let message = "\(error)"
                XCTAssertTrue(error is CourseError)
                XCTAssertTrue(message.contains("training diverged at step \(k):"), message)
                XCTAssertTrue(message.contains("layer 'tiny.poison'"), message)
                XCTAssertTrue(message.contains("Try another --seed"), message)
                XCTAssertFalse(message.contains("--lr"), "names only flags that exist: \(message)")
            }
            XCTAssertFalse(FiniteCheck.isEnabled, "the check is switched off again")
        }
    }

    /// A parameter that is already NaN: the first layer using it is named.
    func testNaNParameterNamesItsLayer() throws {
        let model = Self.tinyModel(seed: 1)
        let conv2 = model.layers[2] as! Conv2D
        conv2.bias.value[0] = .infinity
        let trainer = Trainer(model: model, optimizer: Adam(learningRate: 0.01))
        XCTAssertThrowsError(try trainer.train(on: try Self.dataset(), steps: 3, batchSize: 2, quiet: true)) { error in
            XCTAssertTrue("\(error)".contains("step 1:"), "\(error)")
            XCTAssertTrue("\(error)".contains("'tiny.conv2'"), "\(error)")
        }
    }

    func testEvaluateAndEvaluationsDuringTraining() throws {
        let data = try Self.dataset()
        let trainer = Trainer(model: Self.tinyModel(seed: 2), optimizer: Adam(learningRate: 1e-2))
        let history = try trainer.train(on: data, steps: 4, batchSize: 2, evaluateAt: [2, 4], quiet: true)
        XCTAssertEqual(history.evaluations.map(\.step), [2, 4])
        let scores = try trainer.evaluate(on: data)
        XCTAssertEqual(scores.images, 8)
        XCTAssertEqual(scores, history.evaluations[1].scores)
        // Batched evaluation equals scoring all held-out images at once.
        let all = data.heldOutBatch(0..<8)
        let direct = try Metrics.scores(trainer.model.forward(all.input), all.target)
        XCTAssertEqual(scores.psnr, direct.psnr, accuracy: 1e-9)
        XCTAssertEqual(scores.ssim, direct.ssim, accuracy: 1e-9)
        XCTAssertEqual(try trainer.evaluate(on: data, limit: 5).images, 5)
    }

    /// Scoring in smaller batches (as at 128 and 256 px) changes no score beyond the rounding of
    /// the sums and still shows the first six scenes; the held-out loss is the same mean.
    func testEvaluationBatchesChangeNoScore() throws {
        let data = try Self.dataset()
        let model = Self.tinyModel(seed: 3)
        let whole = try HeldOutEvaluation.run(model, on: data, batchSize: 32)
        let split = try HeldOutEvaluation.run(model, on: data, batchSize: 2)
        XCTAssertEqual(whole.scores.psnr, split.scores.psnr, accuracy: 1e-9)
        XCTAssertEqual(whole.scores.psnrHigh, split.scores.psnrHigh, accuracy: 1e-9)
        XCTAssertEqual(whole.scores.ssim, split.scores.ssim, accuracy: 1e-9)
        XCTAssertEqual(split.input.shape[0], 6)
        XCTAssertEqual(whole.prediction.values, split.prediction.values)
        XCTAssertEqual(whole.target.values, split.target.values)
        let trainer = Trainer(model: model, optimizer: Adam(learningRate: 1e-2))
        let scenes = data.heldOutBatch(0..<8)
        XCTAssertEqual(trainer.heldOutLoss(scenes, batchSize: 3), trainer.heldOutLoss(scenes, batchSize: 8), accuracy: 1e-6)
        XCTAssertEqual(try Dataset.meadow(size: 64, seed: 1, trainingScenes: 8, heldOutScenes: 8).evaluationBatchSize, 32)
        XCTAssertEqual(try Dataset.meadow(size: 256, seed: 1, trainingScenes: 8, heldOutScenes: 8).evaluationBatchSize, 2)
    }

    func testProgressLineOnTerminalAndInLogs() {
        var log = ""
        let plain = ProgressLine(label: "unet", total: 100, isTerminal: false) { log += $0 }
        for step in 1...100 { plain.update(step: step, loss: 0.05, images: step * 16, elapsed: Double(step) * 0.1) }
        plain.finish()
        let lines = log.split(separator: "\n")
        XCTAssertEqual(lines.count, 10, log)
        XCTAssertFalse(log.contains("\r"))
        XCTAssertEqual(String(lines[0]), "unet  step  10/100  loss 0.05000  160 img/s  9s left")
        XCTAssertTrue(lines[9].hasPrefix("unet  step 100/100"), String(lines[9]))
        XCTAssertTrue(lines[9].hasSuffix("done in 10s"), String(lines[9]))

        var screen = ""
        let live = ProgressLine(label: "unet", total: 1000, isTerminal: true) { screen += $0 }
        for step in 1...1000 { live.update(step: step, loss: 2e-5, images: step * 16, elapsed: Double(step) * 0.01) }
        live.finish()
        XCTAssertTrue(screen.hasPrefix("\runet  step    1/1000  loss 2.000e-05"), screen)
        // Redrawn about every 0.1 s (100 times in 10 s), not 1000 times.
        XCTAssertTrue((90...101).contains(screen.filter { $0 == "\r" }.count), screen)
        XCTAssertTrue(screen.hasSuffix("done in 10s\n"))
        XCTAssertEqual(ProgressLine.formatDuration(3725), "1h02m")
        XCTAssertEqual(ProgressLine.formatDuration(185), "3m05s")
    }

    // MARK: - The spike guard

    /// Adam whose update number `burst` (1-based) is 400 times too large: a forced loss spike,
    /// the way a too-high learning rate makes one, at a known step. Records each step's rate.
    final class BurstingAdam: Optimizer {
        let adam: Adam, burst: Int
        var calls = 0, rates: [Double] = []
        init(learningRate: Double, burst: Int) { adam = Adam(learningRate: learningRate); self.burst = burst }
        var learningRate: Double { get { adam.learningRate } set { adam.learningRate = newValue } }
        var state: OptimizerState { get { adam.state } set { adam.state = newValue } }
        func step(_ parameters: [Parameter]) {
            calls += 1
            rates.append(adam.learningRate)
            let rate = adam.learningRate
            if calls == burst { adam.learningRate = rate * 400 }
            adam.step(parameters)
            adam.learningRate = rate
        }
    }

    func spikedRun(guarding: Bool) throws -> (history: TrainingHistory, optimizer: BurstingAdam, log: String) {
        let optimizer = BurstingAdam(learningRate: 3e-3, burst: 101)
        let trainer = Trainer(model: Self.tinyModel(seed: 11), optimizer: optimizer)
        trainer.schedule = LearningRateSchedule(peak: 3e-3, steps: 200)
        trainer.guardsAgainstSpikes = guarding
        var log = ""
        let line = ProgressLine(label: "tiny", total: 200, isTerminal: false) { log += $0 }
        let history = try trainer.train(on: try Self.dataset(), steps: 200, batchSize: 2, progress: line)
        return (history, optimizer, log)
    }

    /// Forced: update 101 is 400 times too large. The guard notices within its window,
    /// puts back the weights and Adam's state of a step before the burst, halves the rate for
    /// the rest of the run, says so, and the loss is back at its level before the spike.
    func testAForcedSpikeIsRolledBackAndTheRateHalved() throws {
        let (history, optimizer, log) = try spikedRun(guarding: true)
        XCTAssertEqual(history.recoveries.count, 1, "\(history.recoveries)")
        let at = try XCTUnwrap(history.recoveries.first)
        XCTAssertTrue((101...111).contains(at), "noticed at step \(at)")
        XCTAssertTrue(log.contains("the loss spiked at step \(at)"), log)
        XCTAssertTrue(log.contains("halved the learning rate"), log)
        let schedule = LearningRateSchedule(peak: 3e-3, steps: 200)
        for step in [at + 1, 150, 200] {
            XCTAssertEqual(optimizer.rates[step - 1], schedule.rate(at: step - 1) * 0.5, accuracy: 1e-12, "step \(step)")
        }
        XCTAssertEqual(optimizer.rates[at - 1], schedule.rate(at: at - 1), accuracy: 1e-12, "full rate up to the spike")
        let before = history.losses[80..<100].reduce(0, +) / 20
        XCTAssertGreaterThan(history.losses[at - 1], 3 * before, "the burst did spike the loss")
        let afterRollback = history.losses[at..<(at + 10)].reduce(0, +) / 10
        XCTAssertLessThan(afterRollback, 1.5 * before, "the weights went back to before the spike")
    }

    /// The same burst without the guard: the loss stays far above where it was (so the test
    /// above measures the guard, not a burst too small to matter).
    func testWithoutTheGuardTheForcedSpikeIsNotUndone() throws {
        let (history, _, log) = try spikedRun(guarding: false)
        XCTAssertTrue(history.recoveries.isEmpty)
        XCTAssertFalse(log.contains("spiked"))
        XCTAssertGreaterThan(history.largestLossJump, SpikeGuard.factor)
        let before = history.losses[80..<100].reduce(0, +) / 20
        let after = history.losses[110..<120].reduce(0, +) / 10
        XCTAssertGreaterThan(after, 3 * before)
    }

    /// A calm run is the same, to the bit, with or without the guard (saving states copies nothing
    /// the training reads), and records no recovery.
    func testTheGuardChangesNothingInACalmRun() throws {
        func run(guarding: Bool) throws -> (TrainingHistory, [Tensor]) {
            let model = Self.tinyModel(seed: 4)
            let trainer = Trainer(model: model, optimizer: Adam(learningRate: 2e-3))
            trainer.schedule = LearningRateSchedule(peak: 2e-3, steps: 120)
            trainer.guardsAgainstSpikes = guarding
            return (try trainer.train(on: try Self.dataset(), steps: 120, batchSize: 4, quiet: true), model.parameters.map(\.value))
        }
        let (guarded, weights) = try run(guarding: true), (free, freeWeights) = try run(guarding: false)
        XCTAssertEqual(guarded.losses, free.losses)
        XCTAssertEqual(weights, freeWeights)
        XCTAssertTrue(guarded.recoveries.isEmpty)
        XCTAssertLessThan(guarded.largestLossJump, 2)
    }

    /// Dead units: a bias entry that never gets a gradient is counted, per layer and overall.
    func testDeadUnitsCountChannelsThatNeverTurnOn() throws {
        let model = Self.tinyModel(seed: 5)
        let conv1 = model.layers[0] as! Conv2D
        // Channels 0-5 of 8: a bias so negative that their ReLU is closed for every input.
        conv1.bias.value.withUnsafeMutableBufferPointer { b in for c in 0..<6 { b[c] = -1000 } }
        let trainer = Trainer(model: model, optimizer: Adam(learningRate: 1e-4))
        let history = try trainer.train(on: try Self.dataset(), steps: 60, batchSize: 4, quiet: true)
        let dead = try XCTUnwrap(history.deadUnits)
        XCTAssertEqual(dead.parameter, "tiny.conv1.bias")
        XCTAssertEqual(dead.fraction, 6.0 / 8.0, accuracy: 1e-12)
        XCTAssertEqual(dead.overall, 6.0 / 11.0, accuracy: 1e-12, "8 + 3 bias entries in all")
        let healthy = try Trainer(model: Self.tinyModel(seed: 5), optimizer: Adam(learningRate: 1e-4))
            .train(on: try Self.dataset(), steps: 60, batchSize: 4, quiet: true)
        XCTAssertLessThan(try XCTUnwrap(healthy.deadUnits).fraction, 0.5)
    }

    /// A residual block whose branch is off passes its input on: its channels are not counted as
    /// dead; the same branch in a plain block (the only path) is.
    func testADeadResidualBranchIsNotCountedAsDead() throws {
        func trained(residual: Bool) throws -> DeadUnits {
            var rng = SeededGenerator(seed: 3)
            let stack = DeepStack("deep", width: 4, blocks: 2, residual: residual, rng: &rng)
            // Block 1's first conv: every channel's ReLU closed for every input.
            stack.convs[1].parameters[1].value.withUnsafeMutableBufferPointer { b in for c in b.indices { b[c] = -1000 } }
            let history = try Trainer(model: stack, optimizer: Adam(learningRate: 1e-4))
                .train(on: try Self.dataset(), steps: 60, batchSize: 4, quiet: true)
            return try XCTUnwrap(history.deadUnits)
        }
        let plain = try trained(residual: false)
        XCTAssertEqual(plain.fraction, 1)
        // Block 1's conv1 (4 of 27 bias entries) and the stem before it, which no gradient reaches.
        XCTAssertGreaterThanOrEqual(plain.overall, 8.0 / 27.0)
        let residual = try trained(residual: true)
        XCTAssertEqual(residual.overall, 0, "only the stem and the head are on the main path, and both live")
        XCTAssertFalse(residual.parameter.contains("block"), residual.parameter)
    }

    /// Lesson 2's Adam exercise tells the learner the course's learning rate: it must be this one.
    func testTheAdamExerciseQuotesTheCourseRate() throws {
        let rate = TrainingSettings(label: "", steps: 1).learningRate
        let thousandths = (rate * 1000).rounded()
        XCTAssertEqual(rate * 1000, thousandths, accuracy: 1e-9, "the stub writes the rate as Ne-3")
        let stub = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Exercises/Lesson2/AdamStep.swift")
        let text = try String(contentsOf: stub, encoding: .utf8)
        XCTAssertTrue(text.contains("(\(Int(thousandths))e-3) trains every model of the course"), "Exercises/Lesson2/AdamStep.swift")
    }
}
