import Foundation
import PixelIO
import TensorCore
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
        // Each with a 2x2 speck at the crop's top-left corner: a picture of one flat color would be
        // skipped (see testSkipsPicturesOfOneFlatColor).
        var wide = try picture(48, 32, inner: red, outer: blue)
        wide.fillRect(x: 8, y: 0, width: 2, height: 2, color: blue)
        try wide.writePNG(to: folder + "/a-wide.png")
        var tall = try picture(20, 50, inner: blue, outer: red)
        tall.fillRect(x: 0, y: 15, width: 2, height: 2, color: red)
        try tall.writePNG(to: folder + "/b-tall.png")
        var small = try Image(width: 7, height: 7, channels: 1, fill: .gray(0.5))
        small.fillRect(x: 0, y: 0, width: 1, height: 1, color: .gray(1))
        try small.writePNG(to: folder + "/c-gray-small.png")
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
        // Center crops: only the inner square is left, so every pixel has the inner color (but
        // near the speck). (8-bit PNG values: compare with the color rounded to 1/255.)
        let q = { (v: Float) in (v * 255).rounded() / 255 }
        for (b, color) in [(0, red), (1, blue)] {
            for y in 0..<16 { for x in 0..<16 where x >= 4 || y >= 4 {
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
            XCTAssertTrue("\(error)".contains("found 0 usable PNG file(s) among 1"), "\(error)")
        }
        XCTAssertEqual(reports.count, 1)
    }

    /// A picture of one flat color (any color, after resizing) is skipped and named: scored among
    /// the others, a flat color or the blurred target would paint it exactly, and every mean PSNR
    /// would be infinite. All of them flat: one error.
    func testSkipsPicturesOfOneFlatColor() throws {
        let red = Color(r: 1, g: 0, b: 0), blue = Color(r: 0.1, g: 0.3, b: 0.9)
        for i in 0..<4 {
            var speck = try Image(width: 24, height: 24, channels: 3, fill: red)
            speck.fillRect(x: i, y: 2 * i, width: 3, height: 3, color: blue)
            try speck.writePNG(to: folder + "/detail\(i).png")
        }
        try Image(width: 30, height: 20, channels: 3, fill: red).writePNG(to: folder + "/flat-red.png")
        try Image(width: 9, height: 9, channels: 1, fill: .gray(0)).writePNG(to: folder + "/flat-black.png")
        var reports = [String]()
        let data = try Dataset.folder(folder, size: 16, seed: 1) { reports.append($0) }
        XCTAssertEqual(reports.count, 2, "\(reports)")
        XCTAssertTrue(reports.contains { $0.contains("\"flat-red.png\"") && $0.contains("one flat color (every pixel (255, 0, 0)/255)") }, "\(reports)")
        XCTAssertTrue(reports.contains { $0.contains("\"flat-black.png\"") && $0.contains("(0, 0, 0)/255") }, "\(reports)")
        let names = (data.training as! FolderPairs).names + (data.heldOut as! FolderPairs).names
        XCTAssertEqual(Set(names), Set((0..<4).map { "detail\($0).png" }))
        // The baselines stay finite.
        var rng = SeededGenerator(seed: 1)
        let eval = try HeldOutEvaluation.run(Conv2D("head", in: 1, out: 3, kernel: 1, rng: &rng), on: data)
        let baselines = try Baselines.measure(on: data, spread: eval.spread)
        XCTAssertTrue(baselines.blurredTarget.psnrHigh.isFinite && baselines.flatColor.psnrHigh.isFinite, "\(baselines)")

        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where !file.hasPrefix("flat") {
            try FileManager.default.removeItem(atPath: folder + "/" + file)
        }
        XCTAssertThrowsError(try Dataset.folder(folder, seed: 1) { _ in }) { error in
            XCTAssertTrue("\(error)".contains("all 2 readable pictures are one flat color"), "\(error)")
        }
    }
}
