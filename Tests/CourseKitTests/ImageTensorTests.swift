import XCTest
@testable import CourseKit

final class ImageTensorTests: XCTestCase {
    func testImageTensorRoundTrip() throws {
        let values = (0..<18).map { Float($0) / 17 }
        let image = try Image(width: 3, height: 2, channels: 3, pixels: values)
        let t = Tensor(image: image)
        XCTAssertEqual(t.shape, [1, 3, 2, 3])
        for y in 0..<2 { for x in 0..<3 { for c in 0..<3 { XCTAssertEqual(t[0, c, y, x], image[x, y, c]) } } }
        XCTAssertEqual(try Image(tensor: t), image)

        let stacked = try Tensor(images: [image, image])
        XCTAssertEqual(stacked.shape, [2, 3, 2, 3])
        XCTAssertEqual(try Image(tensor: stacked, index: 1), image)
        XCTAssertThrowsError(try Image(tensor: stacked, index: 2))
        XCTAssertThrowsError(try Tensor(images: [image, try Image(width: 2, height: 2, channels: 3)]))
    }

    func testPredictionsAreClampedAndGrayStaysGray() throws {
        let t = Tensor(shape: [1, 1, 1, 3], values: [-0.5, 0.25, 1.5])
        let image = try Image(tensor: t)
        XCTAssertEqual(image.channels, 1)
        XCTAssertEqual(image.pixels, [0, 0.25, 1])
        XCTAssertThrowsError(try Image(tensor: Tensor(shape: [1, 2, 4, 4])))
    }

    func testLuminance() throws {
        let rgb = Tensor(shape: [1, 3, 1, 2], values: [1, 0, 0, 1, 0, 0])
        XCTAssertEqual(try luminanceBT601(rgb).values, [0.299 + 0, 0.587] as [Float])
        XCTAssertThrowsError(try luminanceBT601(Tensor(shape: [1, 1, 2, 2])))
    }
}
