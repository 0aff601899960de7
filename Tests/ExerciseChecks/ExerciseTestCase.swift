import XCTest
import Foundation
import ExerciseGrading

/// The three tests every exercise gets (generated from the twin files by Plugins/ExerciseTables):
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

    /// Grades the learner's exercise in a child process (`course _check-one`), never in this
    /// one: a crash or an endless loop in one exercise fails that test and every other exercise
    /// still grades.
    func learnerPasses(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let exercise = exercise(id, file: file, line: line) else { return }
        let outcome = try learnerOutcome(id, file: file, line: line)
        switch outcome {
        case .done:
            return
        case .notStarted:
            throw XCTSkip("not started — edit \(exercise.file)")
        case .failing, .crashed, .timedOut:
            XCTFail("exercise \(id) (\(exercise.title)) in \(exercise.file) \(outcome.label == "failing" ? "is not right yet" : outcome.label):\n\(outcome.report ?? "")",
                    file: file, line: line)
        }
    }

    /// The child's verdict on exercise `id`, graded once per test run and remembered for the summary.
    func learnerOutcome(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> ChildOutcome {
        if let known = ExerciseSummary.outcomes[id] { return known }
        guard let course = Self.courseExecutable else {
            XCTFail("cannot find the `course` executable next to the test bundle: run `swift build` first", file: file, line: line)
            throw XCTSkip("no course executable")
        }
        let outcome = try ChildGrading.grade(id, executable: course)
        ExerciseSummary.outcomes[id] = outcome
        return outcome
    }

    /// The `course` binary that `swift test` builds beside the test bundle (macOS: a folder
    /// `X.xctest` in the build folder; Linux: an executable `X.xctest` there).
    static let courseExecutable: URL? = {
        var folders = [Bundle(for: ExerciseTestCase.self).bundleURL.deletingLastPathComponent(),
                       Bundle(for: ExerciseTestCase.self).bundleURL,
                       URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        return folders.map { $0.appendingPathComponent("course") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

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

/// Prints "exercises: D done, F failing, N not started" once, when the test run ends, for the
/// exercises this run graded (each in its own child process, see `learnerPasses`).
final class ExerciseSummary: NSObject, XCTestObservation {
    nonisolated(unsafe) private static var registered = false
    nonisolated(unsafe) private static let shared = ExerciseSummary()
    nonisolated(unsafe) static var outcomes: [String: ChildOutcome] = [:]

    static func register() {
        guard !registered else { return }
        registered = true
        XCTestObservationCenter.shared.addTestObserver(shared)
    }

    func testBundleDidFinish(_ testBundle: Bundle) {
        let graded = Catalog.all.compactMap { Self.outcomes[$0.id] }
        if !graded.isEmpty { print(summaryLine(graded)) }
    }
}
