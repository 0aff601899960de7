import CourseKit
import Foundation
import TensorCore
import XCTest

/// The no-model rulers are the scores of the pictures they name, on the scenes scored, and
/// metrics.json carries them under the names the docs use.
final class BaselinesTests: XCTestCase {
    /// The held-out targets' channel statistics, as `HeldOutEvaluation` gathers them.
    func spread(_ data: Dataset, _ count: Int) -> ChannelSpread {
        var spread = ChannelSpread()
        let target = data.heldOutBatch(0..<count).target
        spread.add(prediction: target, target: target)
        return spread
    }

    func testTheBaselinesAreTheScoresOfAFlatMeanColorAndOfTheBlurredTarget() throws {
        let data = try Dataset.meadow(size: 16, seed: 1, trainingScenes: 2, heldOutScenes: 5)
        for limit in [nil, 3] {
            let count = limit ?? 5
            // Batches of 2 inside, one batch of everything here: the split must not matter.
            let baselines = try Baselines.measure(on: data, limit: limit, batchSize: 2, spread: spread(data, count))
            let target = data.heldOutBatch(0..<count).target
            var mean = [Double](repeating: 0, count: 3)
            for n in 0..<count { for c in 0..<3 { for i in 0..<256 { mean[c] += Double(target.values[(n * 3 + c) * 256 + i]) } } }
            let flat = Tensor(shape: target.shape, values: (0..<target.count).map { Float(mean[($0 / 256) % 3] / Double(count * 256)) })
            let expectedFlat = try Metrics.scores(flat, target)
            let expectedBlurred = try Metrics.scores(try Metrics.lowBand(target), target)
            XCTAssertEqual(baselines.flatColor.psnr, expectedFlat.psnr, accuracy: 1e-6)
            XCTAssertEqual(baselines.flatColor.psnrHigh, expectedFlat.psnrHigh, accuracy: 1e-6)
            XCTAssertEqual(baselines.flatColor.psnrLow, expectedFlat.psnrLow, accuracy: 1e-6)
            XCTAssertEqual(baselines.flatColor.ssim, expectedFlat.ssim, accuracy: 1e-6)
            XCTAssertEqual(baselines.blurredTarget.psnr, expectedBlurred.psnr, accuracy: 1e-6)
            XCTAssertEqual(baselines.blurredTarget.psnrLow, expectedBlurred.psnrLow, accuracy: 1e-6)
            XCTAssertEqual(baselines.blurredTarget.psnrHigh, expectedBlurred.psnrHigh, accuracy: 1e-6)
            XCTAssertThrowsError(try Baselines.measure(on: data, limit: limit, spread: ChannelSpread()), "no mean color")
            // The blurred colors keep the big picture a flat color lacks.
            XCTAssertGreaterThan(baselines.blurredTarget.psnrLow, baselines.flatColor.psnrLow + 5)
        }
    }

    func testMetricsFileCarriesThemUnderTheirNames() throws {
        let data = try Dataset.meadow(size: 16, seed: 1, trainingScenes: 2, heldOutScenes: 2)
        let baselines = try Baselines.measure(on: data, spread: spread(data, 2))
        let file = MetricsFile(lesson: "lesson4", models: [], baselines: baselines)
        let text = String(decoding: try file.encoded(), as: UTF8.self)
        for key in ["\"baselines\"", "\"flat_color\"", "\"blurred_target\"", "\"psnr_high\"", "\"psnr_low\""] {
            XCTAssertTrue(text.contains(key), key)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baselines-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try file.write(to: path)
        XCTAssertEqual(try MetricsFile.read(path), file)
        XCTAssertNil(MetricsFile(lesson: "lesson4", models: []).baselines, "absent unless measured")
    }

    /// The sentence reads the detail score against the blurred colors, each way.
    func testTheDetailSentenceFollowsTheNumbers() throws {
        let data = try Dataset.meadow(size: 16, seed: 1, trainingScenes: 2, heldOutScenes: 2)
        let baselines = try Baselines.measure(on: data, spread: spread(data, 2))
        let none = baselines.blurredTarget.psnrHigh
        XCTAssertNil(LessonVerdicts.detailAgainstBaseline("autoencoder", psnrHigh: 24, baselines: nil))
        let above = try XCTUnwrap(LessonVerdicts.detailAgainstBaseline("U-Net", psnrHigh: none + 5, baselines: baselines))
        XCTAssertTrue(above.contains("+5.00 dB above the blurred colors") && above.contains("recovered part of the detail"), above)
        let same = try XCTUnwrap(LessonVerdicts.detailAgainstBaseline("autoencoder", psnrHigh: none + 0.1, baselines: baselines))
        XCTAssertTrue(same.contains("almost none of the detail"), same)
        let below = try XCTUnwrap(LessonVerdicts.detailAgainstBaseline("plain stack", psnrHigh: none - 2, baselines: baselines))
        XCTAssertTrue(below.contains("-2.00 dB below the blurred colors"), below)
    }
}
