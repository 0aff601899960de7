import Foundation

/// The reference run in `Reference/`: metrics and small pictures from a run with default flags.
public enum ReferenceRun {
    /// `Reference/` in the current folder (where `swift run` runs), else next to this package's sources.
    public static var folder: URL? {
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Reference"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Reference"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    public static func metrics(lesson: Int) -> MetricsFile? {
        guard let folder else { return nil }
        return try? MetricsFile.read(folder.appendingPathComponent("lesson\(lesson)/metrics.json").path)
    }
}
