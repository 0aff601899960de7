import Foundation
import PixelIO
import XCTest
@testable import CourseKit

final class OutputsTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "outputs-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func testSamplesSheetHasOneLabelledColumnPerModel() throws {
        let (inputs, targets) = MeadowScenes(size: 32, seed: 1).batch([0, 1, 2])
        let blank = Tensor(shape: [3, 3, 32, 32], repeating: 0.5)
        let path = folder + "/samples.png"
        try LessonOutputs.writeSamples(to: path, inputs: inputs, targets: targets,
                                       predictions: [("plain", blank), ("unet", targets)], scale: 3)
        let sheet = try Image.decodePNG(at: path)
        XCTAssertEqual(sheet.channels, 3)
        // 4 columns and 3 rows of 96 px cells, 3 px apart, under a label strip (2x font: 14 px + gap).
        let gap = 3, cell = 96, labels = BitmapFont.height(scale: 2) + gap
        XCTAssertEqual(sheet.width, gap + 4 * (cell + gap))
        XCTAssertEqual(sheet.height, gap + labels + 3 * (cell + gap))
        // Row 1's "plain" cell is gray 0.5; its "unet" cell is the target enlarged 3x.
        let top = gap + labels + (cell + gap)
        let plainLeft = gap + 2 * (cell + gap), unetLeft = gap + 3 * (cell + gap)
        XCTAssertEqual(sheet[plainLeft + 50, top + 50, 1], 128.0 / 255, accuracy: 1e-6)
        for (x, y) in [(0, 0), (2, 2), (31, 17), (10, 31)] {
            for dy in 0..<3 { for dx in 0..<3 {
                XCTAssertEqual(sheet[unetLeft + 3 * x + dx, top + 3 * y + dy, 0], (targets[1, 0, y, x] * 255).rounded() / 255,
                               accuracy: 1e-6)
            } }
        }
        XCTAssertThrowsError(try LessonOutputs.samplesImage(inputs: inputs, targets: targets,
                                                            predictions: [("bad", Tensor(shape: [2, 3, 16, 16]))])) {
            XCTAssertTrue("\($0)".contains("'bad'"), "\($0)")
        }
    }

    /// A history with these training losses and a held-out loss every 100 steps (a little above).
    func history(_ losses: [Float]) -> TrainingHistory {
        var h = TrainingHistory()
        h.losses = losses
        h.heldOutLosses = stride(from: 100, through: losses.count, by: 100).map { .init(step: $0, loss: 1.2 * losses[$0 - 1]) }
        return h
    }

    func testCurvesAreWrittenAndWindowed() throws {
        let fast = (0..<500).map { Float(0.2 * exp(-Double($0) / 100) + 0.01) }
        let slow = (0..<500).map { Float(0.2 * exp(-Double($0) / 300) + 0.02) }
        try LessonOutputs.writeCurves(to: folder + "/curves.png", [("unet", history(fast)), ("plain", history(slow))])
        let image = try Image.decodePNG(at: folder + "/curves.png")
        XCTAssertEqual(image.width, 720)
        XCTAssertEqual(image.height, 420)
        let points = LessonOutputs.windowMeans(fast, points: 200)
        XCTAssertEqual(points.count, 167)  // windows of 3 steps
        XCTAssertEqual(points[0].x, 2)  // steps 1, 2, 3
        XCTAssertEqual(points[0].y, Double(fast[0...2].reduce(0, +)) / 3, accuracy: 1e-7)
    }

    func testMetricsFileRoundTrip() throws {
        let record = MetricsRecord(lesson: "lesson5", model: "unet", params: 481_779, steps: 1500, seconds: 74.5,
                                   seed: 1, psnr: 27.5, ssim: 0.91, psnrLow: 33.1, psnrHigh: .infinity)
        let file = MetricsFile(lesson: "lesson5", models: [record])
        try file.write(to: folder + "/metrics.json")
        XCTAssertEqual(try MetricsFile.read(folder + "/metrics.json"), file)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: folder + "/metrics.json")), as: UTF8.self)
        for key in ["\"lesson\"", "\"model\"", "\"params\"", "\"steps\"", "\"seconds\"", "\"seed\"", "\"psnr\"",
                    "\"ssim\"", "\"psnr_low\"", "\"psnr_high\" : \"inf\""] {
            XCTAssertTrue(text.contains(key), "\(key) missing in \(text)")
        }
        XCTAssertThrowsError(try MetricsFile.read(folder + "/missing.json"))
    }

    /// Whatever stands where a later step reads metrics.json, lesson.json or a checkpoint: a FIFO
    /// is refused at once (it used to wait forever for a writer), a 2 GiB file unread.
    func testFilesReadBackAreRefusedWhenTheyCannotBeOurs() throws {
        let fifo = folder + "/fifo.json"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let huge = folder + "/huge.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: huge, contents: Data("{".utf8)))
        XCTAssertEqual(truncate(huge, 2 << 30), 0)
        for path in [fifo, huge] {
            XCTAssertThrowsError(try MetricsFile.read(path)) { error in
                XCTAssertTrue("\(error)".contains("not a regular file") || "\(error)".contains("more than the"), "\(error)")
            }
            XCTAssertThrowsError(try SegmentationMetricsFile.read(path))
            XCTAssertThrowsError(try Checkpoint.read(path))
        }
        try FileManager.default.createDirectory(atPath: folder + "/lesson9", withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(folder + "/lesson9/lesson.json", 0o644), 0)
        XCTAssertThrowsError(try LessonRecord.read(from: URL(fileURLWithPath: folder + "/lesson9")))
    }

    /// A run the spike guard rolled back records the steps in metrics.json, with its dead share.
    func testMetricsRecordTheRecoveriesAndDeadUnits() throws {
        var history = TrainingHistory()
        history.steps = 600
        history.recoveries = [173, 412]
        history.deadUnits = DeadUnits(fraction: 0.5, parameter: "unet.bottleneck.conv2.bias", overall: 0.04)
        let scores = QualityScores(psnr: 27, ssim: 0.9, psnrLow: 33, psnrHigh: 28, images: 64)
        let record = MetricsRecord(lesson: "lesson5", model: "unet", params: 1, seed: 7, history: history, scores: scores)
        try MetricsFile(lesson: "lesson5", models: [record]).write(to: folder + "/metrics.json")
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: folder + "/metrics.json")), as: UTF8.self)
        XCTAssertTrue(text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "")
            .contains("\"recoveries\":[173,412]"), text)
        XCTAssertTrue(text.contains("\"dead_units\" : 0.04"), text)
        XCTAssertEqual(try MetricsFile.read(folder + "/metrics.json").models[0].recoveries, [173, 412])
    }

    /// The README's picture of the dataset. Set WRITE_DOCS_IMAGES=1 to (re)write
    /// Sources/CourseKit/CourseKit.docc/Resources/meadow-scenes.png from the held-out scenes.
    func testSceneGrid() throws {
        let scenes = MeadowScenes(seed: Dataset.meadowHeldOutSeed)
        let grid = try LessonOutputs.sceneGrid(scenes, indices: Array(0..<8), pairsPerRow: 2, scale: 2)
        XCTAssertEqual(grid.channels, 3)
        XCTAssertGreaterThan(grid.width, 4 * 128)
        XCTAssertGreaterThan(grid.height, 4 * 128)
        if ProcessInfo.processInfo.environment["WRITE_DOCS_IMAGES"] == "1" {
            let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../Sources/CourseKit/CourseKit.docc/Resources").standardized.path
            try ensureDirectory(docs)
            try grid.writePNG(to: docs + "/meadow-scenes.png")
            print("wrote \(docs)/meadow-scenes.png")
        }
    }

    func testDetailImageShowsTheHighBandAroundMidGray() throws {
        // A flat image has no detail: mid-gray everywhere; a checkerboard's detail is far from it.
        let flat = Tensor(shape: [1, 3, 16, 16], repeating: 0.3)
        let checker = Tensor(shape: [1, 3, 16, 16], values: (0..<768).map { i in Float(((i % 16) + (i / 16 % 16)) % 2) })
        XCTAssertTrue(try LessonOutputs.visibleDetail(flat).values.allSatisfy { abs($0 - 0.5) < 1e-6 })
        XCTAssertTrue(try LessonOutputs.visibleDetail(checker).values.allSatisfy { abs($0 - 0.5) > 0.4 })
        let sheet = try LessonOutputs.detailImage(targets: flat, predictions: [("checker", checker)], scale: 1)
        XCTAssertEqual(sheet.channels, 3)
    }
}
