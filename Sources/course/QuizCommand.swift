import ArgumentParser
import CourseKit
import ExerciseFunctions
import Foundation

/// `course quiz N`: lesson N's questions, answered from a terminal or a pipe, checked against the
/// learner's own run; the score is kept next to their outputs (`course status` shows it).
struct QuizCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiz",
        abstract: "Answer lesson N's questions: numbers from your own run, and why.",
        discussion: """
            Reads one answer per line (a number, or a letter for a choice), from the terminal or a pipe, \
            and ends with 'quiz N: K/M right'. Questions about a lesson you have not run are left out. \
            --answers shows the right answers, computed from your run: look after you have tried.
            """)

    @Argument(help: "The lesson, 2 to 7.")
    var lesson: Int

    @Flag(help: "Show the right answers for your run instead of asking.")
    var answers = false

    @OptionGroup var outputsOption: OutputsOption
    var outputs: String { outputsOption.outputs }

    func validate() throws {
        guard Quiz.lessons.contains(lesson) else {
            throw ValidationError("lessons \(Quiz.lessons.lowerBound) to \(Quiz.lessons.upperBound) have a quiz, not \(lesson)")
        }
    }

    func run() throws {
        let run = QuizRun(outputs: outputs)
        let all = Quiz.questions(lesson: lesson)
        let asked = all.filter { $0.rightAnswer(in: run) != nil }
        if asked.count < all.count {
            print("(\(all.count - asked.count) question(s) need lessons you have not run into \(outputs)/ yet: left out.)")
        }
        var right = 0
        for (number, question) in asked.enumerated() {
            print("")
            print("\(number + 1). \(question.text)")
            if case .choice(let options, _) = question.kind {
                for (i, option) in options.enumerated() { print("   \(QuizQuestion.letter(i))) \(option.text)") }
            }
            if answers {
                let answer = question.rightAnswer(in: run)!
                print("   answer: \(answer) — \(question.explanation)")
                continue
            }
            print("> ", terminator: "")
            fflush(stdout)
            guard let reply = readLine() else { print(""); print("(no more answers: the rest count as not answered)"); break }
            let verdict = question.judge(reply, in: run)!
            if verdict.right { right += 1 }
            print("   " + verdict.feedback)
        }
        guard !answers else { return }
        print("")
        print("quiz \(lesson): \(right)/\(asked.count) right")
        try QuizScores.record(lesson: lesson, right: right, of: asked.count, outputs: outputs)
    }
}

/// The best score of each quiz, in `Outputs/.quiz-scores.json`.
enum QuizScores {
    static func file(_ outputs: String) -> String { "\(outputs)/.quiz-scores.json" }

    static func read(outputs: String) -> [String: [Int]] {
        guard let bytes = try? readFileBytes(file(outputs), maxBytes: ReadLimit.json) else { return [:] }
        return (try? JSONDecoder().decode([String: [Int]].self, from: Data(bytes))) ?? [:]
    }

    /// Keeps the better of this score and the one recorded before.
    static func record(lesson: Int, right: Int, of total: Int, outputs: String) throws {
        var scores = read(outputs: outputs)
        if let old = scores[String(lesson)], old.count == 2, Double(old[0]) / Double(max(old[1], 1)) >= Double(right) / Double(max(total, 1)) {
            return
        }
        scores[String(lesson)] = [right, total]
        try ensureDirectory(outputs)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try writeFileAtomically([UInt8](try encoder.encode(scores)), to: file(outputs))
    }

    /// "quizzes: 2 5/5, 4 3/4" or nil when none was taken.
    static func line(outputs: String) -> String? {
        let scores = read(outputs: outputs).compactMap { key, value in Int(key).map { ($0, value) } }.sorted { $0.0 < $1.0 }
        guard !scores.isEmpty else { return nil }
        return "quizzes (best): " + scores.map { "lesson \($0.0) \($0.1.first ?? 0)/\($0.1.last ?? 0)" }.joined(separator: ", ")
            + "; `swift run course quiz N` for another"
    }
}

/// `course predict N`: lesson N's predictions, recorded ahead of the run from any input (a pipe
/// too); the lesson then compares them with what it measured instead of asking.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Record your predictions for lesson N before you run it.",
        discussion: """
            One letter per line. Run on a terminal, a lesson asks these itself when none are recorded. Once you have \
            written an experiment exercise (4.4, 6.5), its predictions are asked too.
            """)

    @Argument(help: "The lesson, 2 to 7.")
    var lesson: Int

    @OptionGroup var outputsOption: OutputsOption
    var outputs: String { outputsOption.outputs }

    func validate() throws {
        guard Quiz.lessons.contains(lesson) else {
            throw ValidationError("lessons \(Quiz.lessons.lowerBound) to \(Quiz.lessons.upperBound) ask for predictions, not \(lesson)")
        }
    }

    func run() throws {
        let experiments = Set(Predictions.questions(lesson: lesson).compactMap(\.experiment).filter(learnerHasWritten))
        guard try Predictions.ask(Predictions.asked(lesson: lesson, experiments: experiments), lesson: lesson, outputs: outputs,
                                  read: { readLine() }) != nil else {
            throw CourseCLIError("course predict: the input ended before every prediction was answered; nothing recorded")
        }
        print("Recorded. Run `swift run -c release lesson\(lesson)`: its conclusion compares them with what it measures.")
    }
}
