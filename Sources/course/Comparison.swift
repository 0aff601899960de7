import CourseKit
import Foundation
import PixelIO

/// The held-out predictions the training lessons saved (`heldout-<model>.png`), lined up as the
/// columns input | target | plain stack | autoencoder | U-Net.
struct ModelComparison {
    struct Column {
        let label: String
        let images: [Image]
    }

    /// The models `course compare` shows: (lesson, model name in its files, column label).
    static let models = [(2, "plain", "plain stack"), (4, "autoencoder", "autoencoder"), (5, "unet", "U-Net")]

    let columns: [Column]
    /// Lessons whose model has no saved predictions (not run yet, or run at another size).
    let missing: [String]
    var rows: Int { columns.first?.images.count ?? 0 }

    static func load(from root: URL) throws -> ModelComparison {
        var found: [(lesson: Int, column: Column)] = []
        var missing: [String] = []
        for (lesson, model, label) in models {
            let file = root.appendingPathComponent("lesson\(lesson)/heldout-\(model).png").path
            guard FileManager.default.fileExists(atPath: file) else { missing.append("lesson \(lesson) (\(label))"); continue }
            found.append((lesson, Column(label: label, images: try HeldOutStrip.images(try Image.decodePNG(at: file)))))
        }
        // Inputs and targets from the latest lesson that has predictions; every column must show
        // the same scenes at the same size.
        guard let source = found.last else {
            throw CourseError("no trained model to compare yet: run lessons 2, 4 and 5 (or `course all`) first")
        }
        let folder = root.appendingPathComponent("lesson\(source.lesson)")
        let input = try HeldOutStrip.images(try Image.decodePNG(at: folder.appendingPathComponent("heldout-input.png").path))
        let target = try HeldOutStrip.images(try Image.decodePNG(at: folder.appendingPathComponent("heldout-target.png").path))
        // Read back, so checked before use: a strip with fewer scenes than the inputs trapped here.
        func sameScenes(_ images: [Image]) -> Bool {
            images.count == input.count && zip(images, input).allSatisfy { $0.width == $1.width && $0.height == $1.height }
        }
        guard !input.isEmpty, sameScenes(target) else {
            throw CourseError("\(folder.path)/heldout-target.png does not hold the same \(input.count) scenes as heldout-input.png: "
                + "rerun lesson \(source.lesson)")
        }
        var columns = [Column(label: "input", images: input), Column(label: "target", images: target)]
        for (lesson, column) in found {
            if sameScenes(column.images) {
                columns.append(column)
            } else {
                missing.append("lesson \(lesson) (\(column.label): run at another size)")
            }
        }
        return ModelComparison(columns: columns, missing: missing)
    }

    /// One row per held-out scene, one labelled column per image kind, enlarged 3x.
    func picture() throws -> Image {
        let rows = try (0..<rows).map { r in try columns.map { try $0.images[r].toRGB().upscaled(by: 3) } }
        return try Image.grid(rows, gap: 3, columnLabels: columns.map(\.label), labelScale: 2)
    }
}
