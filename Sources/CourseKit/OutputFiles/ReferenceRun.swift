import Foundation

/// The reference run in `Reference/`: metrics and small pictures from a run with default flags.
public enum ReferenceRun {
    /// `Reference/` of this package, found from this source file's place (so a lesson run from
    /// any folder finds it; it used to look one folder too low and found it only in the package
    /// root), else in the current folder.
    public static var folder: URL? {
        var packageFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while packageFolder.pathComponents.count > 1,
              !FileManager.default.fileExists(atPath: packageFolder.appendingPathComponent("Package.swift").path) {
            packageFolder.deleteLastPathComponent()
        }
        let candidates = [
            packageFolder.appendingPathComponent("Reference"),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Reference"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("lesson1").path) }
    }

    public static func metrics(lesson: Int) -> MetricsFile? {
        guard let folder else { return nil }
        return try? MetricsFile.read(folder.appendingPathComponent("lesson\(lesson)/metrics.json").path)
    }
}
