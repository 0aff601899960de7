import ArgumentParser

/// Placeholder until the lessons land: `course all` and `course compare`.
struct All: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run every lesson, then compare them.")
    func run() throws { print("course all: not built yet") }
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Put every model side by side.")
    func run() throws { print("course compare: not built yet") }
}

func printLessonStatus() { print("lessons: not built yet") }
