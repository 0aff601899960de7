import ArgumentParser
import CourseKit
import ExerciseGrading
import Foundation

/// `course hint N.M`: graded hints, one more each time. How many were shown is remembered in
/// Outputs/.hints.json (written atomically).
struct Hint: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the hints for an exercise, one more each time.")

    @Argument(help: "Exercise id, e.g. 2.1") var id: String
    @Flag(help: "Forget which hints were shown (for every exercise).") var forget = false

    func run() throws {
        let file = try packageRoot().appendingPathComponent("Outputs/.hints.json")
        if forget {
            try? FileManager.default.removeItem(at: file)
            print("hints: forgotten")
            return
        }
        guard let exercise = Catalog.exercise(id) else { throw ValidationError("no exercise \(id); `swift run course status` lists them") }
        var shown = readShown(file)
        let before = shown[id] ?? 0
        let count = min(before + 1, exercise.hints.count)
        print("\(exercise.id) \(exercise.title) — \(exercise.file)")
        for (i, hint) in exercise.hints.prefix(count).enumerated() {
            print("  hint \(i + 1)/\(exercise.hints.count)\(i == count - 1 && count > before ? " (new)" : ""): \(hint)")
        }
        if count == exercise.hints.count {
            print("  that was the last hint. The reference answer is in \(exercise.file.replacingOccurrences(of: "Exercises/", with: "Solutions/")).")
        } else {
            print("  run the same command again for the next hint.")
        }
        shown[id] = count
        try writeShown(shown, to: file)
    }

    private func readShown(_ file: URL) -> [String: Int] {
        guard let bytes = try? readFileBytes(file.path, maxBytes: ReadLimit.json),
              let decoded = try? JSONDecoder().decode([String: Int].self, from: Data(bytes)) else { return [:] }
        return decoded
    }

    private func writeShown(_ shown: [String: Int], to file: URL) throws {
        let folder = file.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw CourseCLIError("course hint: \(folder.path) is a file, but hints are remembered in a folder of that name: move the file away")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do {
            try ensureDirectory(folder.path)
            try writeFileAtomically([UInt8](try encoder.encode(shown)), to: file.path)
        } catch {
            throw CourseCLIError("course hint: cannot remember the hint in \(file.path): \(error)")
        }
    }
}
