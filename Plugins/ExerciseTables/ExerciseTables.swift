import Foundation
import PackagePlugin

/// Writes each exercise's tables from its twin files at build time (the generator,
/// Sources/exercise-tables, says what goes where): `Implementation` and `ExerciseFunction.all`
/// for ExerciseFunctions, `Implementation.solutions` for ExerciseGrading, the XCTest methods for
/// ExerciseChecks. Adding an exercise is its two files and its catalog entry; nothing else names it.
@main
struct ExerciseTables: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let modes = ["ExerciseFunctions": "functions", "ExerciseGrading": "solutions", "ExerciseChecks": "checks"]
        guard let mode = modes[target.name] else {
            throw PluginError("ExerciseTables applies to \(modes.keys.sorted().joined(separator: ", ")), not \(target.name)")
        }
        let root = context.package.directoryURL
        let solutions = try sourceFiles(of: "Solutions", in: context)
        // The learner's files matter only for "is it written?" (functions); listing them as inputs
        // reruns the generator whenever one is edited.
        let learner = mode == "functions" ? try sourceFiles(of: "Exercises", in: context) : []
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("ExerciseTables+\(mode).swift")
        return [.buildCommand(
            displayName: "Exercise tables (\(mode)) for \(target.name)",
            executable: try context.tool(named: "exercise-tables").url,
            arguments: [mode, output.path, root.path] + solutions.map(\.path),
            inputFiles: solutions + learner,
            outputFiles: [output])]
    }

    /// The lesson files (`LessonN/*.swift`) of a source target of this package.
    func sourceFiles(of name: String, in context: PluginContext) throws -> [URL] {
        guard let target = context.package.targets.first(where: { $0.name == name }) as? SourceModuleTarget else {
            throw PluginError("the package has no source target \(name)")
        }
        return target.sourceFiles(withSuffix: "swift").map(\.url).filter { $0.path.contains("/Lesson") }
    }
}

struct PluginError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
