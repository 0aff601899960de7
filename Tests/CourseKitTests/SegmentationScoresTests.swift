import XCTest
import Foundation
@testable import CourseKit
import TensorCore

/// Lesson 7's metrics against numpy / scikit-image / scipy on the label maps in
/// Fixtures/segmentation.json (tools/make_segmentation_fixtures.py): counts must match exactly.
final class SegmentationScoresTests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable {
            struct Boundary: Decodable {
                let predicted: Int, predicted_matched: Int, `true`: Int, true_matched: Int
            }
            let height: Int, width: Int
            let truth: [Int], predicted: [Int], confusion: [Int]
            let iou: [Double?]
            let pixel_accuracy: Double, mean_iou: Double
            let boundary: [String: Boundary]
        }
        let classes: Int
        let cases: [Case]
    }

    func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/segmentation.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func testConfusionIoUAndAccuracyMatchNumpy() throws {
        let f = try fixture()
        XCTAssertEqual(f.cases.count, 4)
        for (k, c) in f.cases.enumerated() {
            var m = ConfusionMatrix(classes: f.classes)
            m.add(truth: c.truth, predicted: c.predicted)
            XCTAssertEqual(m.counts, c.confusion, "case \(k)")
            for cls in 0..<f.classes {
                switch (m.iou(cls), c.iou[cls]) {
                case (nil, nil): break
                case let (a?, b?): XCTAssertEqual(a, b, accuracy: 1e-12, "case \(k) class \(cls)")
                default: XCTFail("case \(k) class \(cls): \(String(describing: m.iou(cls))) vs \(String(describing: c.iou[cls]))")
                }
            }
            XCTAssertEqual(m.pixelAccuracy, c.pixel_accuracy, accuracy: 1e-12)
            XCTAssertEqual(m.meanIoU, c.mean_iou, accuracy: 1e-12)
        }
    }

    func testBoundaryF1MatchesScikitImageAndScipy() throws {
        let f = try fixture()
        for (k, c) in f.cases.enumerated() {
            for tolerance in [1, 2] {
                var b = BoundaryScore(tolerance: tolerance)
                b.add(truth: c.truth, predicted: c.predicted, width: c.width, height: c.height)
                let e = c.boundary[String(tolerance)]!
                XCTAssertEqual([b.predictedPixels, b.predictedMatched, b.truePixels, b.trueMatched],
                               [e.predicted, e.predicted_matched, e.true, e.true_matched], "case \(k), tolerance \(tolerance)")
            }
        }
    }

    func testPerfectAndEmptyPredictions() {
        let truth = [0, 0, 1, 1, 0, 0, 1, 1]
        var perfect = BoundaryScore(tolerance: 1)
        perfect.add(truth: truth, predicted: truth, width: 4, height: 2)
        XCTAssertEqual(perfect.f1, 1)
        var flat = BoundaryScore(tolerance: 1)
        flat.add(truth: truth, predicted: Array(repeating: 0, count: 8), width: 4, height: 2)
        XCTAssertEqual(flat.f1, 0, "one flat class draws no boundary")
        var m = ConfusionMatrix(classes: 3)
        m.add(truth: truth, predicted: truth)
        XCTAssertNil(m.iou(2), "a class that appears nowhere has no IoU")
        XCTAssertEqual(m.meanIoU, 1)
    }

    func testArgmaxTakesTheLargestLogitPerPixel() {
        // N=1, C=3, H=1, W=2: pixel 0 -> class 2, pixel 1 -> class 0 (a tie with class 1: the first).
        let logits = Tensor(shape: [1, 3, 1, 2], values: [0.1, 0.5, 0.2, 0.5, 0.9, -1])
        XCTAssertEqual(argmaxLabels(logits), [2, 0])
    }

    func testSegmentationBatchesCarryTheScenesRegions() {
        let scenes = MeadowScenes(size: 32, seed: 5)
        let (input, labels) = MeadowSegmentation(scenes).batch([3, 4])
        XCTAssertEqual(input.shape, [2, 1, 32, 32])
        XCTAssertEqual(labels.values.map { Int($0) }, scenes.regionLabels([3, 4]))
        XCTAssertEqual(input.values, scenes.batch([3, 4]).input.values, "the same gray input as the colorization lessons")
    }
}
