import XCTest
import ExerciseGrading

/// The three tests every exercise gets (see `ExerciseChecks.swift` for the list):
/// - the reference solution passes its check;
/// - the learner's version passes, or is skipped while the stub is untouched;
/// - every plausible wrong implementation listed for the exercise is rejected — the proof that
///   the check can fail.
class ExerciseTestCase: XCTestCase {
    override class func setUp() {
        super.setUp()
        ExerciseSummary.register()
    }

    func exercise(_ id: String, file: StaticString = #filePath, line: UInt = #line) -> Exercise? {
        guard let exercise = Catalog.exercise(id) else {
            XCTFail("no exercise \(id) in the catalog", file: file, line: line)
            return nil
        }
        return exercise
    }

    func solutionPasses(_ id: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let exercise = exercise(id, file: file, line: line) else { return }
        let outcome = exercise.grade(.solutions)
        if case .failing(let mismatch) = outcome {
            XCTFail("Solutions fail exercise \(id):\n\(mismatch)", file: file, line: line)
        }
        XCTAssertEqual(outcome, .done, "Solutions for \(id)", file: file, line: line)
    }

    func learnerPasses(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let exercise = exercise(id, file: file, line: line) else { return }
        switch exercise.grade(.exercises) {
        case .done:
            return
        case .notStarted:
            throw XCTSkip("not started — edit \(exercise.file)")
        case .failing(let mismatch):
            XCTFail("exercise \(id) (\(exercise.title)) in \(exercise.file) is not right yet:\n\(mismatch)", file: file, line: line)
        }
    }

    func wrongAnswersRejected(_ id: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let exercise = exercise(id, file: file, line: line) else { return }
        XCTAssertFalse(exercise.wrongImplementations.isEmpty, "exercise \(id) lists no wrong implementation", file: file, line: line)
        for wrong in exercise.wrongImplementations {
            guard case .failing = exercise.grade(wrong.implementation) else {
                XCTFail("exercise \(id)'s check accepts a wrong answer: \(wrong.description)", file: file, line: line)
                continue
            }
        }
    }
}

/// Prints "exercises: D done, F failing, N not started" once, when the test run ends.
final class ExerciseSummary: NSObject, XCTestObservation {
    nonisolated(unsafe) private static var registered = false
    nonisolated(unsafe) private static let shared = ExerciseSummary()

    static func register() {
        guard !registered else { return }
        registered = true
        XCTestObservationCenter.shared.addTestObserver(shared)
    }

    func testBundleDidFinish(_ testBundle: Bundle) {
        print(summaryLine(Catalog.all.map { $0.grade(.exercises) }))
    }
}
