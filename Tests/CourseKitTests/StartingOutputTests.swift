import CourseKit
import TensorCore
import XCTest

/// The starting scale changes only the last layer, and only by the factor that gives the first
/// batch's prediction the asked-for size, on every course model.
final class StartingOutputTests: XCTestCase {
    func testTheFirstPredictionGetsTheAskedForSizeAndOnlyTheHeadChanges() throws {
        let data = try Dataset.meadow(size: 16, seed: 3, trainingScenes: 8, heldOutScenes: 2)
        let input = data.trainingBatch(step: 0, batchSize: 2).input
        for (kind, rms) in [(CourseModel.plain, 0.05), (.autoencoder, 2.0), (.unet, 0.3)] {
            do {
                var rng = SeededGenerator(seed: 11)
                let model = kind.build(rng: &rng)
                let before = model.parameters.map(\.value)
                let drawn = StartingOutput.rootMeanSquare(model.forward(input))
                StartingOutput.scale(model, on: input, toRMS: rms)
                XCTAssertEqual(StartingOutput.rootMeanSquare(model.forward(input)), rms, accuracy: rms * 1e-4, "\(kind) to \(rms)")
                let changed = zip(model.parameters, before).filter { $0.0.value.values != $0.1.values }.map { $0.0.name }
                XCTAssertEqual(changed, [model.parameters.last { $0.value.rank > 1 }!.name], "\(kind): only the last layer's weights")
                XCTAssertNotEqual(drawn, rms, accuracy: rms * 1e-2, "\(kind): the drawn size was not already \(rms)")
            }
        }
    }

    func testTheSettingIsAppliedByTrainingAndTheSameSeedGivesTheSameRun() throws {
        let data = try Dataset.meadow(size: 16, seed: 3, trainingScenes: 8, heldOutScenes: 2)
        var settings = TrainingSettings(label: "t", steps: 1)
        settings.batchSize = 2
        settings.heldOutLossPoints = 0
        func firstLoss(_ rms: Double?) throws -> Float {
            var rng = SeededGenerator(seed: 5)
            settings.startingOutputRMS = rms
            return try settings.train(CourseModel.plain.build(rng: &rng), on: data).losses[0]
        }
        let batch = data.trainingBatch(step: 0, batchSize: 2)
        let targetMeanSquare = batch.target.values.reduce(0) { $0 + $1 * $1 } / Float(batch.target.count)
        // A prediction of size r uncorrelated with the target has a loss near r^2 + the targets' mean square.
        XCTAssertEqual(try firstLoss(1e-3), targetMeanSquare, accuracy: 0.01 * targetMeanSquare)
        XCTAssertEqual(try firstLoss(0.3), try firstLoss(0.3))
        XCTAssertNotEqual(try firstLoss(0.3), try firstLoss(nil))
    }
}
