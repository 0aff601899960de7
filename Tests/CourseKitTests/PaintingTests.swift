import CourseKit
import Foundation
import PixelIO
import XCTest

final class PaintingTests: XCTestCase {
    func testSizesTheUNetCannotTakeAreRefusedWithTheReason() {
        XCTAssertNoThrow(try Painting.check(width: 256, height: 128, what: "x"))
        for (w, h, says) in [(100, 64, "multiples of 8"), (8, 64, "at least 16"), (1024, 64, "up to 512")] {
            XCTAssertThrowsError(try Painting.check(width: w, height: h, what: "x")) { error in
                XCTAssertTrue("\(error)".contains(says), "\(w)x\(h): \(error)")
            }
        }
    }

    func testMeadowScenesAreCroppedAroundTheirMiddle() throws {
        let full = try Painting.meadowScenes(size: 64, width: 64, height: 64, count: 1)
        let wide = try Painting.meadowScenes(size: 64, width: 64, height: 32, count: 1)
        XCTAssertEqual(wide.gray.shape, [1, 1, 32, 64])
        XCTAssertEqual(wide.color.shape, [1, 3, 32, 64])
        for y in 0..<32 {
            for x in [0, 17, 63] { XCTAssertEqual(wide.color[0, 2, y, x], full.color[0, 2, y + 16, x]) }
        }
    }

    func testAPictureIsCroppedToMultiplesOf8AndSaysSo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("paint-\(getpid()).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let pixels = (0..<(30 * 21 * 3)).map { Float($0 % 7) / 6 }
        try Image(width: 30, height: 21, channels: 3, pixels: pixels).writePNG(to: path)
        let (gray, color, note) = try Painting.picture(path)
        XCTAssertEqual(gray.shape, [1, 1, 16, 24])
        XCTAssertEqual(color.shape, [1, 3, 16, 24])
        XCTAssertTrue(note?.contains("30x21 to 24x16") ?? false, "\(String(describing: note))")
    }

    /// `course paint --use-exercises` crops with the learner's centerCrop (5.3): its result is
    /// used as it is, and a wrong shape or a throw is a clear error that names the exercise.
    func testAPictureIsCroppedByTheCropperGiven() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("paint-cropper-\(getpid()).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Image(width: 30, height: 21, channels: 3, pixels: (0..<(30 * 21 * 3)).map { Float($0) / Float(30 * 21 * 3) }).writePNG(to: path)
        let course = try Painting.picture(path)
        var calls = 0
        let same = try Painting.picture(path) { x, h, w in calls += 1; return try Painting.centerCrop(x, h, w) }
        XCTAssertEqual(calls, 1)
        XCTAssertTrue(same.color.values == course.color.values, "the course's crop, passed in, gives the same picture")
        let topLeft = try Painting.picture(path) { x, h, w in   // an off-centre crop is used as given
            Tensor(shape: [1, 3, h, w], values: (0..<(3 * h * w)).map { i in x.values[(i / (h * w)) * 21 * 30 + (i % (h * w)) / w * 30 + i % w] })
        }
        XCTAssertFalse(topLeft.color.values == course.color.values, "the cropper's own window is used")
        for (name, wrong) in [("wrong shape", { (x: Tensor, h: Int, w: Int) throws -> Tensor in Tensor(shape: [1, 3, w, h]) }),
                              ("throws", { (_: Tensor, _: Int, _: Int) throws -> Tensor in throw CourseError("height too large") })] {
            XCTAssertThrowsError(try Painting.picture(path, cropper: wrong), name) { error in
                XCTAssertTrue("\(error)".contains("5.3"), "\(name): \(error)")
            }
        }
    }

    func testTheSizeVerdictFollowsTheNumbers() throws {
        func scores(low: Double, high: Double) -> QualityScores {
            QualityScores(psnr: (low + high) / 2, ssim: 0.5, psnrLow: low, psnrHigh: high, images: 2)
        }
        let plain = (small: scores(low: 25, high: 30), large: scores(low: 24, high: 33))
        let fallsBehind = try XCTUnwrap(Painting.sizeVerdict(trainingSize: 64, largest: 256, plain: plain,
                                                             unet: (scores(low: 43, high: 34), scores(low: 20, high: 36))))
        XCTAssertTrue(fallsBehind.contains("falls behind") && fallsBehind.contains("-4.00 dB at 256 px"), fallsBehind)
        XCTAssertTrue(fallsBehind.contains("still carry every blade"), fallsBehind)
        let keeps = try XCTUnwrap(Painting.sizeVerdict(trainingSize: 64, largest: 256, plain: plain,
                                                       unet: (scores(low: 43, high: 34), scores(low: 42, high: 31))))
        XCTAssertTrue(keeps.contains("keeps its lead"), keeps)
        XCTAssertFalse(keeps.contains("still carry every blade"), keeps)
        XCTAssertNil(Painting.sizeVerdict(trainingSize: 64, largest: 256, plain: nil, unet: plain))
    }
}
