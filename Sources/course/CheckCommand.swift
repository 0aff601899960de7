import ArgumentParser
import ExerciseGrading

/// `course check [N.M ...]`: grades exercises, each in its own child process, and prints what a
/// failing one got wrong (expected vs got, max |diff|, first differing index).
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade exercises (all when no id is given), each in its own process.")

    @Argument(help: "Exercise ids, e.g. 2.1 (default: all)") var ids: [String] = []

    func run() throws {
        let exercises = try ids.isEmpty ? Catalog.all : ids.map { id in
            guard let exercise = Catalog.exercise(id) else {
                throw ValidationError("no exercise \(id); `swift run course status` lists them (1.1 ... \(Catalog.all.last!.id))")
            }
            return exercise
        }
        var allDone = true
        for exercise in exercises {
            let outcome = try ChildGrading.grade(exercise.id, executable: try courseExecutable())
            allDone = allDone && outcome.isDone
            print("\(exercise.id) \(exercise.title) — \(exercise.file)")
            switch outcome {
            case .done:
                print("  done: every case matches the reference.")
            case .notStarted:
                let needs = exercise.needs.isEmpty ? "" : " (it also uses \(exercise.needs.joined(separator: ", ")))"
                print("  not started: the function still throws ExerciseError.notStarted\(needs). Open the file; its doc comment explains the exercise.")
            case .failing(let report):
                print("  failing:")
                print(report.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
                print("  stuck? `swift run course hint \(exercise.id)`")
            case .crashed(let report):
                print("  crashed: your code stopped the check process:")
                print(report.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            case .timedOut:
                print("  timed out: \(outcome.report!)")
            }
        }
        if !allDone { throw ExitCode(1) }
    }
}
