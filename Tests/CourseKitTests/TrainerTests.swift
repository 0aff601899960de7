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
        trainer.evaluationBatchSize = 3
        let history = try trainer.train(on: data, steps: 4, batchSize: 2, evaluateAt: [2, 4], quiet: true)
        XCTAssertEqual(history.evaluations.map(\.step), [2, 4])
        let scores = try trainer.evaluate(on: data)
        XCTAssertEqual(scores.images, 8)
        XCTAssertEqual(scores, history.evaluations[1].scores)
        // Batched evaluation equals scoring all held-out images at once.
        let all = data.heldOutBatch(0..<8)
        let direct = try Metrics.scores(trainer.predict(all.input), all.target)
        XCTAssertEqual(scores.psnr, direct.psnr, accuracy: 1e-9)
        XCTAssertEqual(scores.ssim, direct.ssim, accuracy: 1e-9)
        XCTAssertEqual(try trainer.evaluate(on: data, limit: 5).images, 5)
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
}
