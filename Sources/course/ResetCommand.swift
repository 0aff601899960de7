import ArgumentParser
import CourseKit
import ExerciseGrading
import Foundation

/// `course reset N.M`: puts the untouched stub back. The stub comes from a copy embedded in the
/// program (not from git), so it works in a download without history and after a commit.
struct Reset: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Restore an exercise's stub (asks for confirmation).")

    @Argument(help: "Exercise id, e.g. 2.1") var id: String
    @Flag(name: [.customShort("y"), .long], help: "Do not ask for confirmation.") var yes = false

    func run() throws {
        guard let exercise = Catalog.exercise(id) else { throw ValidationError("no exercise \(id); `swift run course status` lists them") }
        guard let stub = pristineStubs[exercise.file] else { throw CourseCLIError("course reset: no embedded stub for \(exercise.file)") }
        let url = try packageRoot().appendingPathComponent(exercise.file)
        let pristine = stub + "\n"
        if let current = try? readFileText(url.path), current == pristine {
            print("\(exercise.file) is already the untouched stub.")
            return
        }
        if !yes {
            print("Restore the stub of \(exercise.id) \(exercise.title)? This replaces \(exercise.file) and your code in it is lost. [y/N] ", terminator: "")
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                print("reset cancelled; nothing changed.")
                return
            }
        }
        try Data(pristine.utf8).write(to: url, options: .atomic)
        print("restored \(exercise.file). `swift run course status` will show \(exercise.id) as not started.")
    }
}
