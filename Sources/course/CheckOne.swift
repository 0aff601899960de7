import ArgumentParser
import ExerciseGrading

/// `course _check-one N.M` (hidden): grades the learner's exercise N.M in *this* process and
/// reports through the exit code, so that `course check`/`status` can run each exercise in a
/// child process and survive a crash in the learner's code.
struct CheckOne: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_check-one", abstract: "Grade one exercise in this process (used by check/status).",
        shouldDisplay: false)

    /// Exit codes the parent reads.
    enum Code: Int32 { case done = 0, failing = 1, notStarted = 3 }

    @Argument(help: "Exercise id, e.g. 2.1") var id: String

    func run() throws {
        guard let exercise = Catalog.exercise(id) else { throw ValidationError("no exercise \(id)") }
        switch exercise.grade(.exercises) {
        case .done:
            throw ExitCode(Code.done.rawValue)
        case .notStarted:
            throw ExitCode(Code.notStarted.rawValue)
        case .failing(let mismatch):
            print(mismatch.description)
            throw ExitCode(Code.failing.rawValue)
        }
    }
}
