@testable import CourseKit
import XCTest

/// Lesson 7's sentences that compare scores: each says what the numbers show, ties included.
final class SegmentationVerdictTests: XCTestCase {
    /// The reference run's confusion matrices (Reference/lesson7/metrics.json, seed 1), each
    /// count divided by 10: rows are true sky, lake, grass, dirt, flower, horse.
    static let plain: [Int] = [42681, 418, 14, 0, 0, 1, 9332, 14084, 315, 13, 0, 26, 18, 291, 31699, 270, 16, 51,
                        1, 28, 533, 2187, 5, 15, 0, 1, 38, 3, 1179, 4, 0, 15, 82, 18, 4, 1518]
    static let autoencoder: [Int] = [43078, 8, 28, 0, 0, 0, 0, 22939, 492, 12, 0, 327, 8, 386, 31340, 496, 0, 114,
                        2, 76, 1401, 1204, 0, 85, 0, 4, 1197, 21, 0, 3, 34, 479, 192, 233, 0, 700]
    static let unet: [Int] = [43098, 0, 15, 0, 0, 1, 0, 23267, 478, 4, 0, 20, 5, 294, 31578, 340, 57, 71,
                        0, 14, 684, 2034, 4, 31, 0, 2, 132, 6, 1073, 11, 8, 6, 114, 52, 5, 1452]

    static func matrix(_ counts: [Int]) -> ConfusionMatrix {
        var m = ConfusionMatrix(classes: 6)
        var truth: [Int] = [], predicted: [Int] = []
        for (i, n) in counts.enumerated() {
            truth += Array(repeating: i / 6, count: n)
            predicted += Array(repeating: i % 6, count: n)
        }
        m.add(truth: truth, predicted: predicted)
        return m
    }

    func testAccuracyAgainstIoUIsExplainedWithTheRegionsThatDecideEach() throws {
        let models = [("plain stack", Self.matrix(Self.plain)), ("autoencoder", Self.matrix(Self.autoencoder)), ("U-Net", Self.matrix(Self.unet))]
        let text = try XCTUnwrap(SegmentationVerdict.accuracyAgainstIoU(models))
        XCTAssertTrue(text.hasPrefix("Pixel accuracy ranks the autoencoder above the plain stack (94.7% against 89.0%)"), text)
        XCTAssertTrue(text.contains("The plain stack's mistakes on the lake cost it 9.2 points"), text)
        XCTAssertTrue(text.contains("IoU 0.000 on the flower against 0.943, which costs it only 1.2 points"), text)
        // When accuracy and mean IoU agree there is nothing to explain.
        XCTAssertNil(SegmentationVerdict.accuracyAgainstIoU([models[0], models[2]]))
        XCTAssertNil(SegmentationVerdict.accuracyAgainstIoU([models[1], models[2]]))
    }

    func testWhereTheUNetIsBehindNamesEveryRegionItLosesAndNoTie() throws {
        let models = [("plain stack", Self.matrix(Self.plain)), ("autoencoder", Self.matrix(Self.autoencoder)), ("U-Net", Self.matrix(Self.unet))]
        let text = try XCTUnwrap(SegmentationVerdict.whereTheUNetIsBehind(models))
        for region in ["grass (plain stack", "dirt (plain stack", "flower (plain stack 0.943 against 0.832)", "horse (plain stack"] {
            XCTAssertTrue(text.contains(region), "\(region): \(text)")
        }
        XCTAssertTrue(text.contains("It leads on lake (0.966 against autoencoder's 0.928)"), text)
        XCTAssertFalse(text.contains("sky"), "sky is a tie (0.999 against 0.998): \(text)")
        // A U-Net best everywhere: nothing to say.
        XCTAssertNil(SegmentationVerdict.whereTheUNetIsBehind([("autoencoder", Self.matrix(Self.autoencoder)), ("U-Net", Self.matrix(Self.unet))]))
    }

    func testOrderSentenceSaysFlipsAndTiesNeverCallsATieADifference() {
        let names = ["plain stack", "autoencoder", "U-Net"]
        let same = SegmentationVerdict.orderSentence(names, "A", [1, 2, 3], " dB", tie: 0.1, "B", [0.1, 0.2, 0.3], "", tie: 0.005)
        XCTAssertEqual(same, "A and B order the models the same way.")
        let flipped = SegmentationVerdict.orderSentence(names, "A", [1, 2, 3], " dB", tie: 0.1, "B", [0.1, 0.3, 0.2], "", tie: 0.005)
        XCTAssertEqual(flipped, "A and B order the autoencoder and the U-Net (A 2.00 dB against 3.00 dB, B 0.300 against 0.200) the other way round.")
        // The reference run's big picture: lake→sky 39.3%, 0.0%, 0.0% ties the autoencoder and the U-Net.
        let tied = SegmentationVerdict.orderSentence(names, "PSNR low", [27.0, 32.9, 41.0], " dB", tie: 0.1,
                                                     "lake→sky", [-39.3, 0, 0], "%", tie: 0.5)
        XCTAssertEqual(tied, "PSNR low and lake→sky order the models the same way; lake→sky cannot tell apart the autoencoder "
                       + "and the U-Net (PSNR low 32.90 dB against 41.00 dB, lake→sky 0.0% against 0.0%).")
        // Tied on one measure only: said, and not counted as a disagreement.
        XCTAssertEqual(SegmentationVerdict.orderSentence(["a", "b"], "A", [1, 1.05], "", tie: 0.1, "B", [2, 1], "", tie: 0.005),
                       "A and B order the models the same way; A cannot tell apart the a and the b (A 1.000 against 1.050, B 2.000 against 1.000).")
    }

    /// F1 alone cannot say why one model's edges score higher: the sentence names who finds more
    /// true edges and who draws fewer false ones, from the counts (reference run: the plain stack
    /// finds 99.4% against 72.9%, the autoencoder's edges are right 96.5% against 82.5%).
    func testTheEdgeSentenceSaysWhoFindsMoreAndWhoDrawsFewerFalseEdges() {
        func score(truth: Int, found: Int, drawn: Int, right: Int) -> BoundaryScore {
            var b = BoundaryScore(tolerance: 1)
            (b.truePixels, b.trueMatched, b.predictedPixels, b.predictedMatched) = (truth, found, drawn, right)
            return b
        }
        let plain = score(truth: 1000, found: 994, drawn: 1200, right: 990), ae = score(truth: 1000, found: 729, drawn: 750, right: 724)
        XCTAssertEqual(SegmentationVerdict.edgeTradeOff(plain: plain, autoencoder: ae),
                       "The plain stack finds more of the true edges (recall 99.4% against 72.9%); the autoencoder draws fewer "
                       + "edges where there are none (precision 96.5% against 82.5%).")
        let swapped = SegmentationVerdict.edgeTradeOff(plain: ae, autoencoder: plain)
        XCTAssertEqual(swapped, "The autoencoder finds more of the true edges (recall 99.4% against 72.9%); the plain stack draws "
                       + "fewer edges where there are none (precision 96.5% against 82.5%).", "the leader's value first")
    }
}
