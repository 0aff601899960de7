import XCTest
@testable import CourseKit

final class DatasetTests: XCTestCase {
    func testTrainingOrderFollowsSeedAndCoversEveryScene() throws {
        let a = try Dataset.meadow(size: 32, seed: 1, trainingScenes: 40, heldOutScenes: 8)
        let b = try Dataset.meadow(size: 32, seed: 2, trainingScenes: 40, heldOutScenes: 8)
        XCTAssertEqual(a.trainingIndices(step: 3, batchSize: 4), a.trainingIndices(step: 3, batchSize: 4))
        XCTAssertNotEqual((0..<10).flatMap { a.trainingIndices(step: $0, batchSize: 4) },
                          (0..<10).flatMap { b.trainingIndices(step: $0, batchSize: 4) })
        // Each epoch is a permutation: 10 batches of 4 = one epoch of 40.
        XCTAssertEqual(Set((0..<10).flatMap { a.trainingIndices(step: $0, batchSize: 4) }), Set(0..<40))
        // A batch that straddles two epochs is still full.
        XCTAssertEqual(a.trainingIndices(step: 4, batchSize: 9).count, 9)
        XCTAssertEqual(a.trainingBatch(step: 2, batchSize: 4).input, a.trainingBatch(step: 2, batchSize: 4).input)
    }

    /// The held-out scenes do not depend on the lesson's seed and are not training scenes.
    func testHeldOutIsFixed() throws {
        let a = try Dataset.meadow(size: 32, seed: 1, heldOutScenes: 8)
        let b = try Dataset.meadow(size: 32, seed: 99, heldOutScenes: 8)
        XCTAssertEqual(a.heldOutBatch(0..<8).target, b.heldOutBatch(0..<8).target)
        XCTAssertNotEqual(a.heldOutBatch(0..<1).target, a.training.batch([0]).target)
        XCTAssertEqual(a.heldOutRanges(batchSize: 3), [0..<3, 3..<6, 6..<8])
        XCTAssertEqual(a.heldOutCount, 8)
        XCTAssertThrowsError(try Dataset.meadow(size: 4, seed: 1))
    }
}
