import Foundation
import XCTest
@testable import CourseKit

/// CourseKit's metrics against scikit-image 0.26 / scipy on the pairs in Fixtures/metrics.json
/// (made by tools/make_metric_fixtures.py).
final class MetricsTests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let name: String
            let channels: Int, height: Int, width: Int
            let prediction: String, target: String
            let psnr: Double, ssim: Double, psnr_low: Double, psnr_high: Double
        }
        let cases: [Case]
    }

    static func loadFixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/metrics.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// Hex bytes (value v means v / 255) as a [1, C, H, W] tensor.
    static func tensor(hex: String, _ c: Int, _ h: Int, _ w: Int) -> Tensor {
        let chars = Array(hex.utf8)
        let values = stride(from: 0, to: chars.count, by: 2).map { i -> Float in
            Float(UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16)!) / 255
        }
        return Tensor(shape: [1, c, h, w], values: values)
    }

    func testAgreesWithScikitImage() throws {
        let fixture = try Self.loadFixture()
        XCTAssertGreaterThanOrEqual(fixture.cases.count, 4)
        for item in fixture.cases {
            let p = Self.tensor(hex: item.prediction, item.channels, item.height, item.width)
            let t = Self.tensor(hex: item.target, item.channels, item.height, item.width)
            XCTAssertEqual(try Metrics.psnr(p, t)[0], item.psnr, accuracy: 1e-4, item.name)
            XCTAssertEqual(try Metrics.ssim(p, t)[0], item.ssim, accuracy: 1e-4, item.name)
            let bands = try Metrics.bandPSNR(p, t)
            XCTAssertEqual(bands.low[0], item.psnr_low, accuracy: 1e-4, item.name)
            XCTAssertEqual(bands.high[0], item.psnr_high, accuracy: 1e-4, item.name)
        }
    }

    /// A batch's scores are the per-image scores, image by image, and the set score is their mean.
    func testBatchIsPerImage() throws {
        let fixture = try Self.loadFixture()
        let rgb = fixture.cases.filter { $0.channels == 3 }
        XCTAssertGreaterThanOrEqual(rgb.count, 2)
        let (c, h, w) = (3, rgb[0].height, rgb[0].width)
        let p = Tensor(shape: [2, c, h, w], values: rgb.prefix(2).flatMap { Self.tensor(hex: $0.prediction, c, h, w).values })
        let t = Tensor(shape: [2, c, h, w], values: rgb.prefix(2).flatMap { Self.tensor(hex: $0.target, c, h, w).values })
        let psnr = try Metrics.psnr(p, t), ssim = try Metrics.ssim(p, t)
        for i in 0..<2 {
            XCTAssertEqual(psnr[i], rgb[i].psnr, accuracy: 1e-4)
            XCTAssertEqual(ssim[i], rgb[i].ssim, accuracy: 1e-4)
        }
        let scores = try Metrics.scores(p, t)
        XCTAssertEqual(scores.images, 2)
        XCTAssertEqual(scores.psnr, (rgb[0].psnr + rgb[1].psnr) / 2, accuracy: 1e-4)
        XCTAssertEqual(scores.psnrHigh, (rgb[0].psnr_high + rgb[1].psnr_high) / 2, accuracy: 1e-4)
    }

    func testIdenticalImagesAndBadShapes() throws {
        let t = Tensor(shape: [1, 1, 16, 16], values: (0..<256).map { Float($0) / 255 })
        XCTAssertEqual(try Metrics.psnr(t, t)[0], .infinity)
        XCTAssertEqual(try Metrics.ssim(t, t)[0], 1, accuracy: 1e-12)
        XCTAssertThrowsError(try Metrics.psnr(t, Tensor(shape: [1, 3, 16, 16]))) { error in
            XCTAssertTrue("\(error)".contains("[1, 3, 16, 16]"), "\(error)")
        }
        XCTAssertThrowsError(try Metrics.ssim(Tensor(shape: [1, 1, 8, 8]), Tensor(shape: [1, 1, 8, 8])))
    }

    /// The low band of a constant image is the image; the reflect boundary keeps it exact at the edges.
    func testLowBandOfConstantAndOfLine() throws {
        let flat = Tensor(shape: [1, 1, 12, 12], repeating: 0.3)
        for v in try Metrics.lowBand(flat).values { XCTAssertEqual(v, 0.3, accuracy: 1e-6) }
        // A 1-px vertical line is almost all high band: its low band peaks at ~1/(sqrt(2π)·2) ≈ 0.2.
        var line = Tensor(shape: [1, 1, 20, 20])
        for y in 0..<20 { line[0, 0, y, 10] = 1 }
        let low = try Metrics.lowBand(line)
        XCTAssertEqual(low[0, 0, 10, 10], 0.1995, accuracy: 1e-3)
        XCTAssertEqual(low[0, 0, 0, 10], low[0, 0, 10, 10], accuracy: 1e-6)
    }
}
