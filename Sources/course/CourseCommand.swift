import ArgumentParser

/// `swift run course`: the course's front door. With no subcommand it shows where the learner
/// stands: every lesson, then every exercise. Lesson commands (all, compare) live in
/// LessonCommands.swift; exercise commands (status, hint, check, reset) in their own files.
@main
struct Course: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "UNetFromScratch: lessons, exercises and comparisons.",
        discussion: """
            Exercises: edit the files under Exercises/, then
              swift run course status        which exercises are done, failing, not started
              swift run course check 2.1     grade one exercise, with a readable diff
              swift run course watch         re-grade each exercise when you save it
              swift run course hint 2.1      one more hint each time
              swift run course reset 2.1     put the stub back (asks first)
            Before lesson N: swift run course predict N   what will it show?
            After lesson N:  swift run course quiz N      what your run showed, and why
            """,
        subcommands: [All.self, Compare.self, Paint.self, Status.self, Check.self, Watch.self, Hint.self, Reset.self, CheckOne.self, QuizCommand.self, PredictCommand.self])

    func run() throws {
        printLessonStatus()
        print("")
        try Status().run()
    }
}
