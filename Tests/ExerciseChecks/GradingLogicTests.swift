@testable import LearnerParts
import XCTest
import TensorCore
import Exercises
@testable import ExerciseGrading
@testable import ExerciseFunctions

/// How `Exercise.grade` turns what an implementation does into done / not started / failing.
final class GradingLogicTests: XCTestCase {
    let relu = Catalog.exercise("2.3")!

    func testAStubEverywhereIsNotStarted() {
        var stub = Implementation.solutions
        stub.reluForward = { _ in throw ExerciseError.notStarted }
        stub.reluBackward = { _, _ in throw ExerciseError.notStarted }
        stub.notStarted = ["reluForward", "reluBackward"]  // as the generated `.exercises` reads them from the file
        XCTAssertEqual(relu.grade(stub), .notStarted)
    }

    func testHalfWrittenIsFailingAndSaysSo() {
        var half = Implementation.solutions
        half.reluBackward = { _, _ in try stub("reluBackward") { throw ExerciseError.notStarted } }  // as `.exercises` wraps it
        half.notStarted = ["reluBackward"]
        guard case .failing(let mismatch) = relu.grade(half) else { return XCTFail("expected failing") }
        XCTAssertTrue(mismatch.summary.contains("partly written"), mismatch.summary)
        XCTAssertTrue(mismatch.summary.contains("reluBackward still threw"), "names the stub: \(mismatch.summary)")
    }

    func testWrittenButCallingAnUnfinishedExerciseSaysWhichToFinishFirst() {
        // The learner's ssim (6.3) is written and calls their gaussianKernel (6.1), still a stub.
        var learner = Implementation.solutions
        learner.ssim = { _, _ in try stub("ssim") { throw ExerciseError.notStarted } }  // as `.exercises` wraps it
        learner.notStarted = ["gaussianKernel"]
        guard case .failing(let mismatch) = Catalog.exercise("6.3")!.grade(learner) else { return XCTFail("expected failing") }
        XCTAssertTrue(mismatch.summary.hasPrefix("your code is written but calls exercise 6.1"), mismatch.summary)
        XCTAssertTrue(mismatch.summary.contains("finish 6.1 first"), mismatch.summary)
    }

    func testAnotherErrorIsFailingWithItsMessage() {
        var throwing = Implementation.solutions
        throwing.reluForward = { _ in throw CourseError("my own message") }
        guard case .failing(let mismatch) = relu.grade(throwing) else { return XCTFail("expected failing") }
        XCTAssertTrue(mismatch.description.contains("my own message"), mismatch.description)
    }

    func testSummaryLineCounts() {
        XCTAssertEqual(summaryLine([.done, .notStarted, .failing("y"), .done]), "exercises: 2 done, 1 failing, 1 not started")
        XCTAssertEqual(summaryLine([.crashed("x"), .timedOut(seconds: 10), .failing("y"), .done]),
                       "exercises: 1 done, 3 failing, 0 not started (1 crashed, 1 timed out)")
    }
}

/// `LearnerParts`' table names functions, not exercise ids: the ids come from the generated table.
final class LearnerPartTableTests: XCTestCase {
    func testEachLessonTakesTheExercisesItTeaches() {
        let expected: [Int: [String]] = [2: ["2.1", "2.2", "2.3", "2.4", "2.5"], 3: ["3.1", "3.2"], 4: ["4.1", "4.2", "4.3"],
                                         5: ["4.1", "4.2", "4.3", "5.1", "5.2"], 7: ["7.1"]]
        for lesson in 1...7 { XCTAssertEqual(LearnerParts.exercises(forLesson: lesson), expected[lesson] ?? [], "lesson \(lesson)") }
    }

    /// A part that ran some of an exercise's functions but not all would mix the learner's code
    /// with the built-in one silently.
    func testEveryPartRunsEveryFunctionOfItsExercises() {
        for part in LearnerParts.parts {
            let all = part.exercises.flatMap { ExerciseFunction.of(exercise: $0).map(\.name) }
            XCTAssertEqual(Set(part.functions), Set(all), part.label)
        }
    }

    func testTheLineNamesTheExercises() {
        let lines = LearnerParts.parts.map(\.line)
        XCTAssertTrue(lines.contains("conv 2.1+2.2"), "\(lines)")
        XCTAssertTrue(lines.contains("transposed conv 4.3 (backward: built-in)"), "\(lines)")
    }
}

/// The layers lessons swap in with `--use-exercises` agree with the grader's references, once the
/// learner's functions they call are done (graded in a child process first, so code that would
/// crash never runs here; skipped before, like the exercise checks).
final class LearnerLayerTests: ExerciseTestCase {
    func requireDone(_ ids: String..., for layer: String) throws {
        for id in ids where try learnerOutcome(id) != .done {
            throw XCTSkip("\(layer) needs exercise\(ids.count > 1 ? "s" : "") \(ids.joined(separator: ", ")) done first")
        }
    }

    func testLearnerConv2DMatchesTheReference() throws {
        try requireDone("2.1", "2.2", for: "LearnerConv2D")
        let c = convCases[0]
        let (x, w, b) = convFixture(c, seed: 77)
        let layer = LearnerConv2D("conv", weight: Parameter("w", w), bias: Parameter("b", b), stride: c.stride, padding: c.padding)
        let y = layer.forward(x)
        XCTAssertNoThrow(try Expect.tensor(y, Reference.conv2dForward(x, w, b, stride: c.stride, padding: c.padding), "forward"))
        var rng = SeededGenerator(seed: 78)
        let dy = Tensor.uniform(y.shape, -1, 1, using: &rng)
        let dx = layer.backward(dy)
        let expected = Reference.conv2dBackward(x, w, dy, stride: c.stride, padding: c.padding)
        XCTAssertNoThrow(try Expect.tensor(dx, expected.input, "dInput"))
        XCTAssertNoThrow(try Expect.tensor(layer.weight.grad, expected.weight, "dWeight"))
        XCTAssertNoThrow(try Expect.tensor(layer.bias.grad, expected.bias, "dBias"))
    }

    func testLearnerMaxPoolAndReLUMatchTheReference() throws {
        try requireDone("4.1", "4.2", "2.3", for: "LearnerMaxPool2D/LearnerReLU")
        var rng = SeededGenerator(seed: 79)
        let x = Tensor.uniform([2, 3, 6, 5], -1, 1, using: &rng)
        let pool = LearnerMaxPool2D("pool"), relu = LearnerReLU("relu")
        let y = relu.forward(pool.forward(x))
        XCTAssertNoThrow(try Expect.tensor(y, Tensor(shape: y.shape, values: Reference.maxPool2dForward(x).output.values.map { max(0, $0) }), "relu(pool(x))"))
        let dy = Tensor.uniform(y.shape, -1, 1, using: &rng)
        let pooled = Reference.maxPool2dForward(x).output
        let throughReLU = Tensor(shape: dy.shape, values: zip(pooled.values, dy.values).map { $0 > 0 ? $1 : 0 })
        XCTAssertNoThrow(try Expect.tensor(pool.backward(relu.backward(dy)), Reference.maxPool2dBackward(x, throughReLU), "backward"))
    }

    func testLearnerAdamMatchesTensorCoreAdam() throws {
        try requireDone("2.5", for: "LearnerAdam")
        var rng = SeededGenerator(seed: 80)
        let start = Tensor.uniform([4, 3], -1, 1, using: &rng)
        let mine = Parameter("p", start), reference = Parameter("p", start)
        let learner = LearnerAdam(learningRate: 0.01), adam = Adam(learningRate: 0.01)
        for _ in 0..<5 {
            let g = Tensor.uniform([4, 3], -1, 1, using: &rng)
            mine.grad = g
            reference.grad = g
            learner.step([mine])
            adam.step([reference])
        }
        XCTAssertNoThrow(try Expect.tensor(mine.value, reference.value, "after 5 steps", absolute: 1e-5))
    }
}
