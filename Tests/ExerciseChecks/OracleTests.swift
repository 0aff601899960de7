import XCTest

import TensorCore
@testable import ExerciseGrading

/// The grader's references are code too: here they meet the worked examples of the stubs' doc
/// comments, finite differences, and each other.
final class OracleTests: XCTestCase {
    func testConvForwardMatchesWorkedExamples() {
        let x = Tensor(shape: [1, 1, 3, 3], values: (1...9).map(Float.init))
        let w = Tensor(shape: [1, 1, 2, 2], values: [1, 0, 0, 1]), b = Tensor(shape: [1], values: [10])
        XCTAssertEqual(Reference.conv2dForward(x, w, b, stride: 1, padding: 0).values, [16, 18, 22, 24])
        let padded = Reference.conv2dForward(x, w, b, stride: 1, padding: 1)
        XCTAssertEqual(padded.shape, [1, 1, 4, 4])
        XCTAssertEqual(padded[0, 0, 0, 0], 11)
    }

    /// L = sum(conv(x, w) * dy) is linear in x and in w, so central differences are exact up to rounding.
    func testConvBackwardMatchesFiniteDifferences() {
        for c in convCases {
            let (x, w, b) = convFixture(c, seed: 7)
            var rng = SeededGenerator(seed: 8)
            let dy = Tensor.uniform(Reference.conv2dForward(x, w, b, stride: c.stride, padding: c.padding).shape, -1, 1, using: &rng)
            func loss(_ x: Tensor, _ w: Tensor, _ b: Tensor) -> Double {
                zip(Reference.conv2dForward(x, w, b, stride: c.stride, padding: c.padding).values, dy.values).reduce(0) { $0 + Double($1.0) * Double($1.1) }
            }
            let grads = Reference.conv2dBackward(x, w, dy, stride: c.stride, padding: c.padding)
            for (which, tensor, grad) in [("x", x, grads.input), ("w", w, grads.weight), ("b", b, grads.bias)] {
                for i in stride(from: 0, to: tensor.count, by: max(1, tensor.count / 7)) {
                    var plus = tensor, minus = tensor
                    plus.withUnsafeMutableBufferPointer { $0[i] += 0.5 }
                    minus.withUnsafeMutableBufferPointer { $0[i] -= 0.5 }
                    let args = { (t: Tensor) in which == "x" ? loss(t, w, b) : which == "w" ? loss(x, t, b) : loss(x, w, t) }
                    XCTAssertEqual(Double(grad.values[i]), args(plus) - args(minus), accuracy: 1e-3, "d\(which)[\(i)] for \(describe(c))")
                }
            }
        }
    }

    /// A transposed conv is the input-gradient of a conv: two oracles written differently agree.
    func testConvTransposeIsTheConvInputGradient() {
        var rng = SeededGenerator(seed: 9)
        for (k, s) in [(2, 2), (3, 2), (3, 1)] {
            let x = Tensor.uniform([2, 3, 2 * s + k, 3 * s + k], -1, 1, using: &rng)
            let w = Tensor.uniform([4, 3, k, k], -1, 1, using: &rng)
            let dy = Tensor.uniform(Reference.conv2dForward(x, w, Tensor(shape: [4]), stride: s, padding: 0).shape, -1, 1, using: &rng)
            let viaBackward = Reference.conv2dBackward(x, w, dy, stride: s, padding: 0).input
            let viaTranspose = Reference.convTranspose2dForward(dy, w, Tensor(shape: [3]), stride: s)
            XCTAssertNoThrow(try Expect.tensor(viaTranspose, viaBackward, "k \(k) s \(s)"))
        }
        let example = Reference.convTranspose2dForward(Tensor(shape: [1, 1, 1, 2], values: [1, 2]), Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4]), Tensor(shape: [1]), stride: 1)
        XCTAssertEqual(example.values, [1, 2 + 2, 4, 3, 4 + 6, 8] as [Float], "the stride-1 worked example: [a, b + 2a, 2b; c, d + 2c, 2d]")
    }

    func testMaxPoolBackwardMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 10)
        let x = Tensor.uniform([2, 2, 5, 4], -1, 1, using: &rng), dy = Tensor.uniform([2, 2, 2, 2], -1, 1, using: &rng)
        let grad = Reference.maxPool2dBackward(x, dy)
        func loss(_ t: Tensor) -> Double { zip(Reference.maxPool2dForward(t).output.values, dy.values).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
        for i in 0..<x.count {
            var plus = x, minus = x
            plus.withUnsafeMutableBufferPointer { $0[i] += 1e-3 }
            minus.withUnsafeMutableBufferPointer { $0[i] -= 1e-3 }
            XCTAssertEqual(Double(grad.values[i]), (loss(plus) - loss(minus)) / 2e-3, accuracy: 1e-2, "dx[\(i)]")
        }
    }

    func testMetricsMatchWorkedExamples() {
        XCTAssertEqual(Oracle.gaussianKernel(sigma: 1, radius: 1).map { ($0 * 1e4).rounded() / 1e4 }, [0.2741, 0.4519, 0.2741])
        let t = Tensor(shape: [1, 1, 2, 2], values: [0.2, 0.4, 0.6, 0.8])
        XCTAssertEqual(Oracle.psnr(Tensor(shape: t.shape, values: t.values.map { $0 + 0.1 }), t), 20, accuracy: 1e-3)
        XCTAssertEqual(Oracle.ssim(Tensor(shape: [1, 1, 11, 11], repeating: 0.5), Tensor(shape: [1, 1, 11, 11], repeating: 0.6)), 0.6001 / 0.6101, accuracy: 1e-6)
        var rng = SeededGenerator(seed: 11)
        let noise = Tensor.uniform([1, 2, 13, 12], 0, 1, using: &rng)
        XCTAssertEqual(Oracle.ssim(noise, noise), 1, accuracy: 1e-6)
    }

    func testBandSplitKeepsConstantsAndMass() {
        let constant = Tensor(shape: [1, 1, 6, 5], repeating: 0.3)
        let split = Oracle.bandSplit(constant, sigma: 2)
        XCTAssertTrue(split.low.values.allSatisfy { abs($0 - 0.3) < 1e-6 })
        XCTAssertTrue(split.high.values.allSatisfy { abs($0) < 1e-6 })
        var impulse = Tensor(shape: [1, 1, 40, 40])
        impulse[0, 0, 20, 20] = 1
        XCTAssertEqual(Oracle.bandSplit(impulse, sigma: 2).low.values.reduce(0, +), 1, accuracy: 1e-5)
        XCTAssertEqual((0..<12).map { Oracle.reflect($0 - 4, 4) }, [3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0])
    }

    func testMismatchNamesFirstIndexAndMaxDifference() {
        let expected = Tensor(shape: [1, 2, 2, 2], values: [0, 1, 2, 3, 4, 5, 6, 7])
        let got = Tensor(shape: [1, 2, 2, 2], values: [0, 1, 2, 3, 4, 5.5, 6, 9])
        XCTAssertThrowsError(try Expect.tensor(got, expected, "demo")) { error in
            let mismatch = error as! Mismatch
            XCTAssertEqual(mismatch.firstIndex, "[0, 1, 0, 1]")
            XCTAssertEqual(mismatch.maxDifference, 2)
            XCTAssertTrue(mismatch.description.contains("expected 5, got 5.5"), mismatch.description)
            XCTAssertTrue(mismatch.description.contains("max |diff| 2 at [0, 1, 1, 1]"), mismatch.description)
        }
        XCTAssertThrowsError(try Expect.tensor(Tensor(shape: [2, 4]), expected, "demo")) { error in
            XCTAssertTrue("\(error)".contains("shape [2, 4], expected [1, 2, 2, 2]"), "\(error)")
        }
    }
}

/// The catalog keeps its promises: enough exercises, files where it says, hints, wrong answers.
final class CatalogTests: XCTestCase {
    /// The package root, found from this file's path.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryLessonHasAtLeastThreeExercisesAndEighteenInAll() {
        XCTAssertGreaterThanOrEqual(Catalog.all.count, 18)
        for lesson in 1...7 {
            XCTAssertGreaterThanOrEqual(Catalog.all.filter { $0.id.hasPrefix("\(lesson).") }.count, 3, "lesson \(lesson)")
        }
        XCTAssertEqual(Set(Catalog.all.map(\.id)).count, Catalog.all.count, "ids are unique")
        XCTAssertEqual(Catalog.all.map(\.id), testedExerciseIDs, "the catalog and the twin files (which the generated tests follow) name the same exercises, in order")
    }

    func testEveryExerciseHasItsFilesHintsAndWrongAnswers() {
        for exercise in Catalog.all {
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(exercise.file).path), exercise.file)
            let twin = exercise.file.replacingOccurrences(of: "Exercises/", with: "Solutions/")
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(twin).path), twin)
            XCTAssertGreaterThanOrEqual(exercise.hints.count, 2, exercise.id)
            XCTAssertFalse(exercise.wrongImplementations.isEmpty, exercise.id)
        }
    }

    func testEachLessonsChapterListsItsExercises() throws {
        for exercise in Catalog.all {
            let chapter = "Sources/CourseKit/CourseKit.docc/Lesson\(exercise.id.prefix(while: { $0 != "." })).md"
            let text = try String(contentsOf: root.appendingPathComponent(chapter), encoding: .utf8)
            XCTAssertTrue(text.contains("- \(exercise.id) ") && text.contains("`\(exercise.file)`"), "\(chapter) lists \(exercise.id) and its file")
        }
    }

    func testEveryFunctionBelongsToAnExerciseAndTheSolutionsWriteEveryOne() {
        let ids = Set(Catalog.all.map(\.id))
        for function in ExerciseFunction.all {
            XCTAssertTrue(ids.contains(function.exercise), "\(function.name): no exercise \(function.exercise)")
            XCTAssertTrue(function.isWritten(in: .solutions), "Implementation.solutions leaves \(function.name) calling the learner's stub")
        }
        for exercise in Catalog.all { XCTAssertFalse(exercise.functions.isEmpty, "exercise \(exercise.id) has no function") }
        XCTAssertEqual(Set(ExerciseFunction.all.map(\.name)).count, ExerciseFunction.all.count, "function names are unique")
    }

    func testPristineStubsThrowAndTeach() {
        XCTAssertEqual(Set(pristineStubs.keys), Set(Catalog.all.map(\.file)), "one embedded stub per exercise file")
        for (path, text) in pristineStubs {
            XCTAssertTrue(text.contains("throw ExerciseError.notStarted"), path)
            XCTAssertFalse(text.contains("fatalError"), path)
            XCTAssertTrue(text.contains("**Worked example.**") && text.contains("**Why.**"), "\(path) teaches: why and a worked example")
        }
    }
}
