import Foundation

/// The folder holding the course's Package.swift, found from the current directory upwards, so
/// `course` works from any subfolder of the package.
func packageRoot() throws -> URL {
    var dir = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
    while true {
        let manifest = dir.appendingPathComponent("Package.swift").path
        if FileManager.default.fileExists(atPath: manifest),
           FileManager.default.fileExists(atPath: dir.appendingPathComponent("Exercises").path) {
            return dir
        }
        let parent = dir.deletingLastPathComponent()
        if parent.path == dir.path {
            throw CourseCLIError("course: run this from inside the UNetFromScratch package (no Package.swift with an Exercises/ folder above \(FileManager.default.currentDirectoryPath))")
        }
        dir = parent
    }
}

/// A one-line error for the command line (ArgumentParser prints it and exits non-zero).
struct CourseCLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
