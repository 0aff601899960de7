// The ExerciseTables plugin's command (Plugins/ExerciseTables); what it writes:
// Sources/ExerciseTableGeneration.
//
//     exercise-tables functions|solutions|checks OUTPUT.swift PACKAGE_ROOT SOLUTION_FILE...
import Foundation
import ExerciseTableGeneration

let arguments = CommandLine.arguments
do {
    guard arguments.count >= 5 else {
        throw GenerationError("usage: exercise-tables functions|solutions|checks OUTPUT PACKAGE_ROOT SOLUTION_FILE...")
    }
    let output = arguments[2]
    let text = try generate(arguments[1], solutions: Array(arguments.dropFirst(4)), root: arguments[3])
    // Rewritten only when it changed, so an unchanged table does not rebuild what depends on it.
    if (try? String(contentsOfFile: output, encoding: .utf8)) != text {
        try text.write(toFile: output, atomically: true, encoding: .utf8)
    }
} catch {
    FileHandle.standardError.write(Data("exercise-tables: error: \(error)\n".utf8))
    exit(1)
}
