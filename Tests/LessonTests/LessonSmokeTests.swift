import CourseKit
import Foundation
import PixelIO
import XCTest

/// Runs every lesson executable with `--quick` (as a learner would, in a child process) and
/// checks that what it promises to write exists and parses. The executables are found next to
/// this test bundle in the build products folder (`swift test` builds them).
final class LessonSmokeTests: XCTestCase {
    /// One output folder for the whole class, so lesson 5 and `course compare` see earlier lessons.
    static let outputs = FileManager.default.temporaryDirectory
        .appendingPathComponent("lesson-smoke-\(ProcessInfo.processInfo.processIdentifier)")

    override class func tearDown() {
        try? FileManager.default.removeItem(at: outputs)
        super.tearDown()
    }

    func testLesson1WritesTheScenesSheet() throws {
        let output = try runLesson(1)
        XCTAssertTrue(output.contains("Lesson 1"), output)
        try assertPNG(lesson: 1, "scenes.png")
        XCTAssertEqual(try record(1).pictures, ["scenes.png"])
    }

    func testLesson2TrainsThePlainStack() throws {
        try runLesson(2)
        try assertColorizerOutputs(lesson: 2, models: ["plain"])
    }

    func testLesson3RecordsGradientNorms() throws {
        try runLesson(3)
        try assertColorizerOutputs(lesson: 3, models: ["deep-plain", "deep-residual"])
        try assertPNG(lesson: 3, "gradnorms.png")
    }

    func testLesson4TrainsTheAutoencoder() throws {
        try runLesson(4)
        try assertColorizerOutputs(lesson: 4, models: ["autoencoder"])
    }

    func testLesson5TrainsTheUNetAndCourseCompares() throws {
        try runLesson(2)
        try runLesson(4)
        let lesson5 = try runLesson(5)
        try assertColorizerOutputs(lesson: 5, models: ["unet"])
        // The trained U-Net scored on scenes 2 and 4 times its size (16 px here: 32 and 64).
        try assertPNG(lesson: 5, "sizes.png")
        XCTAssertTrue(lesson5.contains("larger scenes") && lesson5.contains("64 px"), lesson5)
        let output = try run("course", ["compare", "--outputs", Self.outputs.path])
        XCTAssertTrue(output.contains("compare.png"), output)
        // The 32 px (--quick) models on scenes up to 256 px and a wide crop.
        let painted = try run("course", ["paint", "--outputs", Self.outputs.path])
        XCTAssertTrue(painted.contains("256x128") && painted.contains("Big picture (PSNR low)"), painted)
        for name in ["meadow-64", "meadow-128", "meadow-256", "meadow-256x128"] {
            let image = try Image.decodePNG(at: Self.outputs.appendingPathComponent("paint/\(name).png").path)
            XCTAssertGreaterThan(image.width, 5 * 64, name)
        }
        let compare = try Image.decodePNG(at: Self.outputs.appendingPathComponent("compare.png").path)
        let strip = try Image.decodePNG(at: Self.outputs.appendingPathComponent("lesson5/heldout-unet.png").path)
        // Columns input | target | plain | autoencoder | U-Net, each 3x as wide as a scene.
        XCTAssertGreaterThan(compare.width, 5 * 3 * strip.width)
        let html = try String(contentsOf: Self.outputs.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("data:image/png;base64,"), "report.html embeds its pictures")
        XCTAssertTrue(html.contains("Lesson 5"), "report.html has a section per lesson")
    }

    /// `--use-exercises` swaps the started lesson 4/5 exercises into the models (none in a fresh
    /// checkout), says which, and still trains and writes its outputs (into a folder of its own).
    func testLesson5LevelsTrainsADeeperUNetAndRefusesWhatItCannotBuild() throws {
        let outputs = Self.outputs.appendingPathComponent("levels").path
        let output = try run("lesson5", ["--quick", "--steps", "2", "--levels", "4", "--outputs", outputs])
        XCTAssertTrue(output.replacingOccurrences(of: "\n", with: " ").contains("through the bottleneck 204 px"), "four poolings: a 204 px window\n" + output)
        for (arguments, expected) in [(["--levels", "6"], "--levels must be between 1 and 5"),
                                      (["--size", "40", "--levels", "4"], "must be a multiple of 16")] {
            let (status, message) = try execute(program("lesson5"), ["--quick"] + arguments + ["--outputs", outputs])
            XCTAssertNotEqual(status, 0, message)
            XCTAssertTrue(message.contains(expected), message)
        }
    }

    func testLessons4And5SayWhichExercisesTheyTrainWith() throws {
        let outputs = Self.outputs.appendingPathComponent("use-exercises")
        for n in [4, 5] {
            let output = try run("lesson\(n)", ["--quick", "--size", "16", "--steps", "2", "--use-exercises", "--outputs", outputs.path])
            XCTAssertTrue(output.contains("--use-exercises: training with ") || output.contains("--use-exercises: none of lesson \(n)'s model exercises"),
                          output)
            let metrics = try MetricsFile.read(outputs.appendingPathComponent("lesson\(n)/metrics.json").path)
            XCTAssertTrue(metrics.models.allSatisfy { $0.psnr.isFinite }, "\(metrics.models)")
        }
    }

    func testLesson6RunsTheExperiments() throws {
        try runLesson(6)
        let metrics = try MetricsFile.read(path(6, "metrics.json"))
        XCTAssertEqual(Set(metrics.models.map(\.model)),
                       ["unet", "no-skip0", "no-skip01", "autoencoder", "add", "zero-bottleneck"])
        try assertPNG(lesson: 6, "experiments.png")
        let table = try String(contentsOfFile: path(6, "experiments.txt"), encoding: .utf8)
        XCTAssertTrue(table.contains("±"), table)
    }

    func testLesson6DepthSweepDecidesTheBottleneckAt64Pixels() throws {
        let output = try run("lesson6", ["--quick", "--depth-sweep", "--outputs", Self.outputs.path + "/sweep"])
        let metrics = try MetricsFile.read(Self.outputs.appendingPathComponent("sweep/lesson6/metrics.json").path)
        // The sweep's runs are named "autoencoder d1" ... "unet d2, zero bottleneck": " d" and the depth.
        let sweep = metrics.models.compactMap { record in
            record.model.range(of: #" d[1-4]"#, options: .regularExpression).map { (record, Int(String(record.model[$0].last!))!) }
        }
        XCTAssertEqual(sweep.count, 10)
        for (record, depth) in sweep { XCTAssertEqual(record.bottleneckSide, 64 >> depth, record.model) }
        // The 32 px experiments' U-Nets (depth 3) have a 4 px bottleneck.
        XCTAssertEqual(metrics.models.first { $0.model == "unet" }?.bottleneckSide, 4)
        let table = try String(contentsOfFile: Self.outputs.appendingPathComponent("sweep/lesson6/depth-sweep.txt").path, encoding: .utf8)
        XCTAssertTrue(table.contains("unet d2, zero bottleneck") && table.contains("16 px"), table)
        XCTAssertTrue(output.contains("The bottleneck at 64 px"), output)
    }

    func testLesson7SegmentsWithTheThreeModels() throws {
        let output = try runLesson(7)
        let metrics = try SegmentationMetricsFile.read(path(7, "metrics.json"))
        XCTAssertEqual(metrics.models.map(\.model), ["plain", "autoencoder", "unet"])
        for m in metrics.models {
            XCTAssertEqual(m.confusion.count, 36, "a 6x6 confusion matrix")
            XCTAssertEqual(Set(m.iou.keys), ["sky", "lake", "grass", "dirt", "flower", "horse"])
            XCTAssertTrue((0...1).contains(m.boundaryF1) && (0...1).contains(m.meanIoU) && (0...1).contains(m.pixelAccuracy))
        }
        for picture in ["masks.png", "boundaries.png", "confusion.png", "curves.png"] { try assertPNG(lesson: 7, picture) }
        XCTAssertTrue(output.contains("boundary F1"), output)
        let (status, message) = try execute(program("lesson7"), ["--quick", "--data", "/tmp", "--outputs", Self.outputs.path])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(message.contains("only the meadow scenes know"), message)
    }

    func testBadFlagsGiveOneLineErrorAndNonZeroExit() throws {
        for arguments in [["--steps", "0"], ["--data", "/no/such/folder"], ["--size", "20"]] {
            let (status, output) = try execute(program("lesson2"), arguments + ["--quick", "--outputs", Self.outputs.path])
            XCTAssertNotEqual(status, 0, "lesson2 \(arguments) should fail")
            XCTAssertTrue(output.contains("Error:"), output)
            XCTAssertFalse(output.contains("Fatal error"), "no crash dump: \(output)")
        }
    }

    /// `course quiz` read from a pipe: the answers `--answers` gives score full marks, letters
    /// out of range none, and the best score is kept.
    func testQuizFromAPipe() throws {
        let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("quiz-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: outputs) }
        let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Reference")
        for lesson in [2, 4, 5] {
            try FileManager.default.createDirectory(at: outputs.appendingPathComponent("lesson\(lesson)"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: reference.appendingPathComponent("lesson\(lesson)/metrics.json"),
                                             to: outputs.appendingPathComponent("lesson\(lesson)/metrics.json"))
        }
        let shown = try run("course", ["quiz", "5", "--answers", "--outputs", outputs.path])
        let answers = shown.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: "answer: ") else { return nil }
            return String(line[r.upperBound...].split(separator: " ").first!)
        }
        XCTAssertEqual(answers.count, 5, shown)
        var (status, output) = try execute(program("course"), ["quiz", "5", "--outputs", outputs.path], input: answers.joined(separator: "\n") + "\n")
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("quiz 5: 5/5 right"), output)
        (status, output) = try execute(program("course"), ["quiz", "5", "--outputs", outputs.path], input: "z\nz\n")
        XCTAssertTrue(output.contains("quiz 5: 0/5 right"), output)
        let scores = try String(contentsOf: outputs.appendingPathComponent(".quiz-scores.json"), encoding: .utf8)
        XCTAssertTrue(scores.contains("\"5\":[5,5]"), scores)
        // `course status` shows the best score, from the same outputs folder.
        (status, output) = try execute(program("course"), ["status", "--outputs", outputs.path])
        XCTAssertTrue(output.contains("quizzes (best): lesson 5 5/5"), output)
    }

    /// Predictions recorded by `course predict` come back in the conclusion, answered by the run
    /// (every other smoke test runs a lesson without a terminal or a recording: none waits).
    func testPredictionsAreComparedWithTheRunAndNeverWaitedFor() throws {
        let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("predict-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: outputs) }
        let small = ["--quick", "--steps", "2", "--size", "16", "--outputs", outputs.path]
        var (status, output) = try execute(program("course"), ["predict", "2", "--outputs", outputs.path], input: "a\nb\n")
        XCTAssertEqual(status, 0, output)
        (status, output) = try execute(program("lesson2"), small, input: "")
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("Your predictions (recorded by `course predict 2`)"), output)
        let conclusion = try record(2, in: outputs).conclusion
        XCTAssertTrue(conclusion.contains("You predicted yes; your run shows"), conclusion)
        XCTAssertTrue(conclusion.contains("You predicted no; your run shows"), conclusion)
        (status, output) = try execute(program("course"), ["predict", "3", "--outputs", outputs.path], input: "")
        XCTAssertNotEqual(status, 0, "an input that ends records nothing")
    }

    // MARK: - helpers

    /// `--quick`, made smaller still (16x16, 2 steps): tests run a debug build, ~50x slower than release.
    @discardableResult
    func runLesson(_ n: Int) throws -> String {
        try run("lesson\(n)", ["--quick", "--size", "16", "--steps", "2", "--outputs", Self.outputs.path])
    }

    func run(_ name: String, _ arguments: [String]) throws -> String {
        let (status, output) = try execute(program(name), arguments)
        XCTAssertEqual(status, 0, "\(name) \(arguments.joined(separator: " ")) failed:\n\(output)")
        return output
    }

    func path(_ lesson: Int, _ file: String) -> String {
        Self.outputs.appendingPathComponent("lesson\(lesson)/\(file)").path
    }

    func record(_ lesson: Int, in outputs: URL = outputs) throws -> LessonRecord {
        try XCTUnwrap(LessonRecord.read(from: outputs.appendingPathComponent("lesson\(lesson)")),
                      "lesson\(lesson) wrote no readable lesson.json")
    }

    func assertPNG(lesson: Int, _ file: String) throws {
        let image = try Image.decodePNG(at: path(lesson, file))
        XCTAssertGreaterThan(image.width * image.height, 100, "\(file) is suspiciously small")
    }

    /// samples.png, curves.png, metrics.json with one finite record per model, lesson.json.
    func assertColorizerOutputs(lesson: Int, models: [String]) throws {
        try assertPNG(lesson: lesson, "samples.png")
        try assertPNG(lesson: lesson, "curves.png")
        try assertPNG(lesson: lesson, "detail.png")
        let metrics = try MetricsFile.read(path(lesson, "metrics.json"))
        XCTAssertEqual(metrics.models.map(\.model), models)
        for m in metrics.models {
            XCTAssertTrue(m.psnr.isFinite && m.psnrLow.isFinite && m.psnrHigh.isFinite && m.ssim.isFinite, "\(m)")
            XCTAssertGreaterThan(m.params, 0)
            XCTAssertGreaterThan(m.steps, 0)
        }
        XCTAssertEqual(try record(lesson).lesson, lesson)
    }

    /// The build products folder: where this test bundle and the executables are.
    func program(_ name: String) throws -> URL {
        let candidates = [Bundle.main.bundleURL, Bundle(for: Self.self).bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for folder in candidates {
            let url = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw XCTSkip("\(name) is not built next to the tests (looked in \(candidates.map(\.path))); run `swift build` first")
    }

    /// Runs `program` (with `input` on its standard input) and returns its exit code and combined output.
    func execute(_ program: URL, _ arguments: [String], input: String? = nil) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
