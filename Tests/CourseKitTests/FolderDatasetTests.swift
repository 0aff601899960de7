import Foundation
import PixelIO
import XCTest
@testable import CourseKit

final class FolderDatasetTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "folder-dataset-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    /// A `width` x `height` RGB picture: `inner` in the centered square, `outer` elsewhere.
    func picture(_ width: Int, _ height: Int, inner: Color, outer: Color) throws -> Image {
        var image = try Image(width: width, height: height, channels: 3, fill: outer)
        let side = min(width, height)
        image.fillRect(x: (width - side) / 2, y: (height - side) / 2, width: side, height: side, color: inner)
        return image
    }

    func testLoadsCropsResizesAndReportsBadFiles() throws {
        let red = Color(r: 0.8, g: 0.2, b: 0.1), blue = Color(r: 0.1, g: 0.3, b: 0.9)
        try picture(48, 32, inner: red, outer: blue).writePNG(to: folder + "/a-wide.png")
        try picture(20, 50, inner: blue, outer: red).writePNG(to: folder + "/b-tall.png")
        try Image(width: 7, height: 7, channels: 1, fill: .gray(0.5)).writePNG(to: folder + "/c-gray-small.png")
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: folder + "/d-broken.png"))
        try Data().write(to: URL(fileURLWithPath: folder + "/e-empty.png"))
        try Data("notes".utf8).write(to: URL(fileURLWithPath: folder + "/readme.txt"))

        var reports = [String]()
        let data = try Dataset.folder(folder, size: 16, seed: 1) { reports.append($0) }
        XCTAssertEqual(reports.count, 2, "\(reports)")
        XCTAssertTrue(reports[0].contains("\"d-broken.png\""), reports[0])
        XCTAssertTrue(reports[1].contains("\"e-empty.png\""), reports[1])
        // Three readable pictures: fewer than five, so the last one is held out.
        XCTAssertEqual(data.trainingCount, 2)
        XCTAssertEqual(data.heldOutCount, 1)
        XCTAssertEqual((data.training as! FolderPairs).names, ["a-wide.png", "b-tall.png"])
        XCTAssertEqual((data.heldOut as! FolderPairs).names, ["c-gray-small.png"])

        let (input, target) = data.training.batch([0, 1])
        XCTAssertEqual(input.shape, [2, 1, 16, 16])
        XCTAssertEqual(target.shape, [2, 3, 16, 16])
        // Center crops: only the inner square is left, so every pixel has the inner color.
        // (8-bit PNG values: compare with the color rounded to 1/255.)
        let q = { (v: Float) in (v * 255).rounded() / 255 }
        for (b, color) in [(0, red), (1, blue)] {
            for y in 0..<16 { for x in 0..<16 {
                XCTAssertEqual(target[b, 0, y, x], q(color.r), accuracy: 1e-5)
                XCTAssertEqual(target[b, 2, y, x], q(color.b), accuracy: 1e-5)
                XCTAssertEqual(input[b, 0, y, x], 0.299 * q(color.r) + 0.587 * q(color.g) + 0.114 * q(color.b), accuracy: 1e-5)
            } }
        }
        // A gray 7x7 picture is enlarged to 16x16 and becomes RGB with equal channels.
        let held = data.heldOutBatch(0..<1)
        XCTAssertEqual(held.target[0, 0, 5, 5], held.target[0, 1, 5, 5])
        XCTAssertEqual(held.target[0, 0, 15, 15], q(0.5), accuracy: 1e-5)
    }

    func testResizeAveragesAreas() {
        // 4 source pixels onto 2: each output is the mean of two.
        XCTAssertEqual(Dataset.areaWeights(from: 4, to: 2).map { $0.map(\.0) }, [[0, 1], [2, 3]])
        // 3 onto 2: the middle pixel is shared half and half.
        let w = Dataset.areaWeights(from: 3, to: 2)
        XCTAssertEqual(w[0].map(\.1), [2.0 / 3, 1.0 / 3].map(Float.init))
        XCTAssertEqual(w[1].map(\.0), [1, 2])
        for taps in Dataset.areaWeights(from: 50, to: 16) {
            XCTAssertEqual(taps.map(\.1).reduce(0, +), 1, accuracy: 1e-5)
        }
    }

    func testMissingFolderAndTooFewPictures() throws {
        XCTAssertThrowsError(try Dataset.folder(folder + "/nope", seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("no such folder"), "\(error)")
        }
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/only.png"))
        var reports = [String]()
        XCTAssertThrowsError(try Dataset.folder(folder, seed: 1) { reports.append($0) }) { error in
            XCTAssertTrue("\(error)".contains("found 0 readable PNG file(s) among 1"), "\(error)")
        }
        XCTAssertEqual(reports.count, 1)
    }
}
