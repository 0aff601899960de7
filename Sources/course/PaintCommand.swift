import ArgumentParser
import CourseKit
import ExerciseGrading
import Foundation

/// `course paint`: the colorizers of lessons 2, 4 and 5, trained on 64 px scenes, applied to
/// bigger and non-square pictures — meadow scenes they never saw, or any PNG.
struct Paint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Colorize pictures of any size with the models lessons 2, 4 and 5 trained.",
        discussion: """
            Without files: held-out meadow scenes at 64, 128 and 256 px and a 256x128 crop, each with \
            its PSNR per model, into OUTPUTS/paint/. With PNG files: each one in gray, colorized by every \
            model (its own colors beside them). Sizes: multiples of 8 (other sizes are cropped to one), \
            16 to \(Painting.maximumSide) px a side.
            """)

    @Argument(help: "PNG files to colorize (default: meadow scenes at several sizes).")
    var files: [String] = []

    @OptionGroup var outputsOption: OutputsOption
    var outputs: String { outputsOption.outputs }

    @Flag(help: "Crop with your centerCrop (exercise 5.3) once it is written.")
    var useExercises = false

    func run() throws {
        // Pictures are cropped around the middle to multiples of 8 (and the wide scene to 256x128):
        // with --use-exercises by the learner's exercise 5.3.
        var cropper = Painting.centerCrop
        if useExercises {
            if learnerHasWritten("5.3") {
                cropper = Implementation.exercises.centerCrop
                print("--use-exercises: cropping with your centerCrop (exercise 5.3).")
            } else {
                print("--use-exercises: your centerCrop (exercise 5.3) is not written yet; cropping with the course's.")
            }
        }
        let (models, missing) = try Painting.trained(outputs: outputs)
        guard !models.isEmpty else {
            throw CourseCLIError("course paint: no trained colorizer in \(outputs)/: run lessons 2, 4 and 5 first "
                + "(swift run -c release lesson5)")
        }
        if !missing.isEmpty { print("course paint: not trained yet, so not shown: \(missing.joined(separator: ", ")).") }
        let folder = "\(outputs)/paint"
        try ensureDirectory(folder)

        if files.isEmpty {
            var rows = [["picture", "model", "PSNR dB", "PSNR low", "PSNR high"]]
            var bySize: [Int: [String: QualityScores]] = [:]
            for (size, width, height) in [(64, 64, 64), (128, 128, 128), (256, 256, 256), (256, 256, 128)] {
                let (gray, color) = try Painting.meadowScenes(size: size, width: width, height: height, count: size > 128 ? 2 : 3,
                                                              cropper: cropper)
                let predictions = models.map { ($0.name, $0.model.forward(gray)) }
                let name = width == height ? "meadow-\(size)" : "meadow-\(width)x\(height)"
                try LessonOutputs.writeSamples(to: "\(folder)/\(name).png", inputs: gray, targets: color,
                                               predictions: predictions, scale: size > 128 ? 1 : 2)
                for (model, prediction) in predictions {
                    var scores = Metrics.Accumulator()
                    try scores.add(prediction: prediction, target: color)
                    let s = try scores.scores()
                    rows.append(["\(width)x\(height) (\(name).png)", model, fmt(s.psnr), fmt(s.psnrLow), fmt(s.psnrHigh)])
                    if width == height { bySize[size, default: [:]][model] = s }
                }
            }
            print("Held-out meadow scenes, painted by models trained on 64x64 ones:")
            Chapter.table(rows)
            print("Pictures: \(folder)/meadow-*.png (input | target | each model).")
            func pair(_ model: String) -> (small: QualityScores, large: QualityScores)? {
                guard let small = bySize[64]?[model], let large = bySize[256]?[model] else { return nil }
                return (small, large)
            }
            if let verdict = Painting.sizeVerdict(trainingSize: 64, largest: 256, plain: pair("plain"), unet: pair("unet")) {
                print("")
                print(Chapter.wrap(verdict))
            }
            return
        }
        var written: Set<String> = []
        for file in files {
            let (gray, color, note) = try Painting.picture(file, cropper: cropper)
            // a/pic.png and b/pic.png: the second is pic-2-painted.png, not written over the first.
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let unique = sequence(first: 1) { $0 + 1 }.lazy.map { $0 == 1 ? name : "\(name)-\($0)" }.first { !written.contains($0) }!
            written.insert(unique)
            let out = "\(folder)/\(unique)-painted.png"
            try LessonOutputs.writeSamples(to: out, inputs: gray, targets: color,
                                           predictions: models.map { ($0.name, $0.model.forward(gray)) },
                                           scale: max(1, 256 / max(gray.shape[2], gray.shape[3])))
            print("\(file) -> \(out) (gray | its own colors | \(models.map(\.name).joined(separator: " | ")))"
                + (note.map { "; \($0)" } ?? ""))
        }
    }
}
