import ArgumentParser
import ExerciseGrading

/// `course status`: every exercise — not started, failing, done (or crashed) — and what to do next.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show which exercises are done, failing or not started, and your quiz scores.")

    /// Where the quiz scores are kept (beside the lessons' outputs, as `course quiz` writes them).
    @OptionGroup var outputsOption: OutputsOption

    func run() throws {
        print("Exercises (edit the file, then `swift run course check N.M`):")
        var outcomes: [ChildOutcome] = []
        let titleWidth = Catalog.all.map(\.title.count).max() ?? 0
        for exercise in Catalog.all {
            let outcome = try ChildGrading.grade(exercise.id, executable: try courseExecutable())
            outcomes.append(outcome)
            let title = exercise.title.padding(toLength: titleWidth, withPad: " ", startingAt: 0)
            let label = outcome.label.padding(toLength: 11, withPad: " ", startingAt: 0)
            print("  \(exercise.id)  \(title)  \(label)  \(exercise.file)")
        }
        print(summaryLine(outcomes))
        if let next = zip(Catalog.all, outcomes).first(where: { !$0.1.isDone }) {
            let verb = next.1.isNotStarted ? "start" : "fix"
            print("next: \(verb) \(next.0.id) \(next.0.title) — `swift run course check \(next.0.id)`, `swift run course hint \(next.0.id)`")
        }
        print(QuizScores.line(outputs: outputsOption.outputs) ?? "quizzes: none taken yet; after a lesson, `swift run course quiz N` asks what your run showed")
    }
}
