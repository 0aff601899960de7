import CourseKit
import TensorCore
import XCTest

/// A collapsed model is called collapsed, a healthy one is not, and the lessons' "why" sentences
/// follow the numbers they are given.
final class TrainingHealthTests: XCTestCase {
    /// The last conv's weights zeroed and never updated: the model paints its bias, one color,
    /// on every pixel — what a dead-ReLU collapse looks like from outside.
    func testAModelThatPaintsOneColorIsReportedCollapsed() throws {
        let data = try Dataset.meadow(size: 16, seed: 1, trainingScenes: 32, heldOutScenes: 16)
        var rng = SeededGenerator(seed: 3)
        let model = PlainStack(width: 8, depth: 3, rng: &rng)
        let head = model.parameters[model.parameters.count - 2]
        head.value = Tensor(shape: head.value.shape)
        let frozen = FrozenOptimizer()
        let history = try Trainer(model: model, optimizer: frozen).train(on: data, steps: 20, batchSize: 4, quiet: true)
        let evaluation = try HeldOutEvaluation.run(model, on: data)
        let health = TrainingHealth(losses: history.losses, heldOut: evaluation.spread)
        XCTAssertLessThan(health.spread, 1e-6)
        XCTAssertTrue(health.isCollapsed)
        let text = try XCTUnwrap(health.diagnosis(model: "plain"))
        XCTAssertTrue(text.contains("COLLAPSED"), text)
        XCTAssertTrue(text.contains("--seed"), "says what to try: \(text)")
    }

    func testAModelThatPaintsTheTargetIsHealthy() throws {
        let data = try Dataset.meadow(size: 16, seed: 1, trainingScenes: 8, heldOutScenes: 8)
        let batch = data.heldOutBatch(0..<8)
        var spread = ChannelSpread()
        spread.add(prediction: batch.target, target: batch.target)
        XCTAssertEqual(spread.spreadRatio, 1, accuracy: 1e-9)
        let health = TrainingHealth(losses: Array(repeating: 0.001, count: 100), heldOut: spread)
        XCTAssertFalse(health.isCollapsed)
        XCTAssertNil(health.diagnosis(model: "unet"))
    }

    /// Predictions that vary but a loss stuck at the predict-the-mean level: collapsed, too.
    func testALossStuckAtTheMeanLevelIsCollapsed() throws {
        let data = try Dataset.meadow(size: 16, seed: 1, trainingScenes: 8, heldOutScenes: 8)
        let batch = data.heldOutBatch(0..<8)
        var spread = ChannelSpread()
        spread.add(prediction: batch.target, target: batch.target)
        let meanLevel = Float(spread.predictTheMeanMSE)
        let stuck = (0..<200).map { $0 < 20 ? meanLevel * 3 : meanLevel * 0.95 }
        let health = TrainingHealth(losses: stuck, heldOut: spread)
        XCTAssertTrue(health.isCollapsed)
        XCTAssertEqual(health.stalledAt, 30, accuracy: 11, "stalled when the loss stopped falling")
    }

    /// Channels killed by a loss spike: collapsed (partly dead), and the diagnosis says so and
    /// names the worst layer. Dead channels without a spike, or a near miss without dead
    /// channels, are not. Every case is a measured run (`stability`, lesson 6).
    func testAPartlyDeadModelIsCollapsedAndHealthyOnesAreNot() throws {
        let data = try Dataset.meadow(size: 16, seed: 1, trainingScenes: 8, heldOutScenes: 8)
        let batch = data.heldOutBatch(0..<8)
        var spread = ChannelSpread()
        spread.add(prediction: batch.target, target: batch.target)
        let losses = Array(repeating: Float(0.002), count: 100)
        func health(_ overall: Double, _ fraction: Double, _ layer: String, jump: Double) -> TrainingHealth {
            TrainingHealth(losses: losses, heldOut: spread,
                           deadUnits: DeadUnits(fraction: fraction, parameter: layer, overall: overall), largestLossJump: jump)
        }
        // The least dead of the autoencoders a spike left damaged at 8e-3 (seed 100, 20.6 dB).
        let damaged = health(0.159, 0.375, "autoencoder.enc1.conv2.bias", jump: 6.44)
        XCTAssertTrue(damaged.isCollapsed)
        XCTAssertTrue(damaged.isPartlyDead)
        let text = try XCTUnwrap(damaged.diagnosis(model: "autoencoder"))
        XCTAssertTrue(text.contains("a loss spike (its loss rose to 6.4 times its best) left 16% of its channels never turning on, "
                                    + "38% of those of autoencoder.enc1.conv2"), text)
        XCTAssertTrue(text.contains("a damaged model"), text)
        // The same damage after the smallest spike measured (seed 119, 3.14x) is still flagged.
        XCTAssertTrue(health(0.188, 0.352, "autoencoder.bottleneck.conv1.bias", jump: 3.14).isCollapsed)
        // Lesson 6's seed-1 autoencoder: 13% dead at 32 px, no spike (1.08x), 19.3 dB beside 19.9 and 18.1.
        XCTAssertFalse(health(0.131, 0.48, "autoencoder.bottleneck.conv2.bias", jump: 1.08).isCollapsed)
        // The sweep's largest jump (autoencoder, 1.5x the rate, seed 108) and its most dead run (plain, 1.5x, seed 143).
        XCTAssertFalse(health(0.051, 0.125, "autoencoder.enc0.conv2.bias", jump: 2.17).isCollapsed)
        XCTAssertFalse(health(0.072, 0.094, "plain.conv3.bias", jump: 1.38).isCollapsed)
        XCTAssertFalse(TrainingHealth(losses: losses, heldOut: spread, deadUnits: nil, largestLossJump: 9).isCollapsed)
    }

    private func scores(low: Double, high: Double) -> QualityScores {
        QualityScores(psnr: (low + high) / 2, ssim: 0.5, psnrLow: low, psnrHigh: high, images: 256)
    }

    private func record(_ model: String, low: Double, high: Double) -> MetricsRecord {
        MetricsRecord(lesson: "lesson2", model: model, params: 1, steps: 650, seconds: 10, seed: 1,
                      psnr: (low + high) / 2, ssim: 0.5, psnrLow: low, psnrHigh: high)
    }

    private let healthy = TrainingHealth(spread: 0.9, lossRatio: 0.1, stalledAt: 900, steps: 1000)

    /// Fed the expected ordering, lesson 4 explains it; fed the reverse, it must not.
    func testLessonFourWhyFollowsTheOrdering() {
        let plain = record("plain", low: 24, high: 30)
        let usual = LessonVerdicts.autoencoderWhy(autoencoder: scores(low: 28, high: 24), collapsed: healthy.isCollapsed,
                                                  plain: plain, bottleneckSide: 8, steps: 1000)
        let reversed = LessonVerdicts.autoencoderWhy(autoencoder: scores(low: 22, high: 31), collapsed: healthy.isCollapsed,
                                                     plain: plain, bottleneckSide: 8, steps: 1000)
        XCTAssertTrue(usual.contains("which can decide sky or lake: +4.00 dB"), usual)
        XCTAssertFalse(reversed.contains("which can decide sky or lake:"), reversed)
        XCTAssertTrue(reversed.contains("did not beat the plain stack on the big picture (-2.00 dB)"), reversed)
        XCTAssertTrue(reversed.contains("did not suffer"), reversed)
        let collapsed = TrainingHealth(spread: 0.01, lossRatio: 0.95, stalledAt: 200, steps: 1000)
        let dead = LessonVerdicts.autoencoderWhy(autoencoder: scores(low: 16, high: 22), collapsed: collapsed.isCollapsed,
                                                 plain: plain, bottleneckSide: 8, steps: 1000)
        XCTAssertTrue(dead.contains("collapsed"), dead)
        XCTAssertFalse(dead.contains("decide sky or lake:"), dead)
    }

    func testLessonFiveWhyFollowsTheOrdering() {
        let ae = record("autoencoder", low: 28, high: 24)
        let wins = LessonVerdicts.uNetWhy(unet: scores(low: 33, high: 30), collapsed: healthy.isCollapsed, autoencoder: ae)
        let loses = LessonVerdicts.uNetWhy(unet: scores(low: 33, high: 23.9), collapsed: healthy.isCollapsed, autoencoder: ae)
        XCTAssertTrue(wins.contains("recover fine-grained detail\" means, measured: +6.00 dB"), wins)
        XCTAssertFalse(loses.contains("means, measured"), loses)
        XCTAssertTrue(loses.contains("did not clearly beat"), loses)
        // A U-Net whose switch-off test found its bottleneck unused is not told that its bottleneck
        // decides sky or lake; the learner's own pictures have no sky or lake.
        let bypass = scores(low: 33, high: 30)
        XCTAssertTrue(LessonVerdicts.ignoresBottleneck(full: bypass, skipsOnly: scores(low: 32.9, high: 30.1)))
        XCTAssertFalse(LessonVerdicts.ignoresBottleneck(full: bypass, skipsOnly: scores(low: 25, high: 30)))
        let ignoring = LessonVerdicts.uNetWhy(unet: bypass, collapsed: false, autoencoder: ae, ignoresBottleneck: true)
        XCTAssertFalse(ignoring.contains("the upsampled summary, which can decide"), ignoring)
        XCTAssertTrue(ignoring.contains("rather than its bottleneck"), ignoring)
        XCTAssertTrue(wins.contains("the upsampled summary, which can decide sky or lake"), wins)
        let photos = LessonVerdicts.uNetWhy(unet: bypass, collapsed: false, autoencoder: ae, meadow: false)
        XCTAssertFalse(photos.contains("sky") || photos.contains("blade"), photos)
        var collapsedAE = ae
        collapsedAE.collapsed = true
        XCTAssertTrue(LessonVerdicts.uNetWhy(unet: scores(low: 33, high: 30), collapsed: healthy.isCollapsed, autoencoder: collapsedAE)
            .contains("no baseline"))
        let plain = record("plain", low: 24, high: 30.5)
        XCTAssertTrue(LessonVerdicts.uNetAgainstPlain(unet: scores(low: 33, high: 30), plain: plain)
            .contains("did not beat it"))
        XCTAssertTrue(LessonVerdicts.uNetAgainstPlain(unet: scores(low: 33, high: 31), plain: plain)
            .contains("the thin one"))
    }

    /// Lesson 5's switch-one-path-off sentences follow the numbers (these are seed 1's).
    func testWhatEachPathCarriesFollowsTheNumbers() {
        func q(_ high: Double, _ low: Double) -> QualityScores { QualityScores(psnr: 0, ssim: 0, psnrLow: low, psnrHigh: high, images: 128) }
        let seed1 = LessonVerdicts.whatEachPathCarries(full: q(34.46, 43.57), skipsOnly: q(31.70, 21.25), bottleneckOnly: q(23.36, 9.13))
        XCTAssertTrue(seed1.contains("The detail comes across the skips"), seed1)
        XCTAssertTrue(seed1.contains("Neither path alone keeps the big picture (-22.32 dB with the skips only, -34.44 dB"), seed1)
        let bottleneckCarries = LessonVerdicts.whatEachPathCarries(full: q(34, 43), skipsOnly: q(31, 30), bottleneckOnly: q(24, 42.5))
        XCTAssertTrue(bottleneckCarries.contains("The big picture comes up the bottleneck"), bottleneckCarries)
        let noDetail = LessonVerdicts.whatEachPathCarries(full: q(34, 43), skipsOnly: q(24, 30), bottleneckOnly: q(24.1, 42.5))
        XCTAssertTrue(noDetail.contains("no more detail than the bottleneck alone"), noDetail)
        // Photo patches, seed 1 (issue 21): zeroing the bottleneck changed nothing.
        let ignores = LessonVerdicts.whatEachPathCarries(full: q(31.87, 21.51), skipsOnly: q(31.86, 21.51), bottleneckOnly: q(22, 12))
        XCTAssertTrue(ignores.contains("This U-Net ignores its bottleneck"), ignores)
        XCTAssertFalse(seed1.contains("ignores"), seed1)
    }
}

/// An optimizer that never changes a weight.
private final class FrozenOptimizer: Optimizer {
    var learningRate = 0.0
    var state = OptimizerState()
    func step(_ parameters: [Parameter]) {}
}
