import ArgumentParser

/// `swift run course`: the course's front door. Owned by the exercises work (status/hint/check/reset);
/// lesson commands (all, compare) live in LessonCommands.swift.
@main
struct Course: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "UNetFromScratch: lessons, exercises and comparisons.",
        subcommands: [All.self, Compare.self])

    func run() throws {
        printLessonStatus()
    }
}
