import Foundation
import ArgumentParser
import CourseKit
import ExerciseGrading
import Exercises

/// `course _check-one N.M` (hidden): grades the learner's exercise N.M in *this* process and
/// reports through the exit code, so that `course check`/`status` can run each exercise in a
/// child process and survive a crash in the learner's code.
struct CheckOne: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_check-one", abstract: "Grade one exercise in this process (used by check/status).",
        shouldDisplay: false)

    @Argument(help: "Exercise id, e.g. 2.1") var id: String

    func run() throws {
        guard let exercise = Catalog.exercise(id) else { throw ValidationError("no exercise \(id)") }
        let outcome = exercise.grade(.exercises)
        // An exercise that calls another's function (6.3 and 6.4 call 6.1's gaussianKernel) can
        // only be as right as that function: say where a failure comes from.
        let unfinished = exercise.needs.compactMap { need -> (id: String, outcome: Outcome)? in
            guard let other = Catalog.exercise(need) else { return nil }
            let o = other.grade(.exercises)
            return o == .done ? nil : (need, o)
        }
        let blame = unfinished.map { "\($0.id) (\(Catalog.exercise($0.id)!.title), \($0.outcome.label))" }.joined(separator: ", ")
        switch outcome {
        case .done:
            throw ExitCode(ChildExitCode.done.rawValue)
        case .notStarted:
            throw ExitCode(ChildExitCode.notStarted.rawValue)
        case .failing(let mismatch):
            if !unfinished.isEmpty {
                print("note: \(id) uses your code from exercise \(blame): fix that first; the differences below may all come from it")
            }
            print(mismatch.description)
            throw ExitCode(ChildExitCode.failing.rawValue)
        }
    }
}

/// This `course` binary, which `check`/`status` run again as `course _check-one ID`.
func courseExecutable() throws -> URL {
    guard let executable = Bundle.main.executableURL else { throw CourseCLIError("course: cannot find its own executable") }
    return executable
}
