import PixelIO
import TensorCore

/// The pictures every lesson writes `samples.png` and `curves.png`.
public enum LessonOutputs {
    /// A sheet with one row per example: input | target | one column per model's prediction,
    /// each enlarged `scale` times by nearest neighbour (so 1-px blades stay 1 block wide), with
    /// a label strip naming the columns.
    ///
    /// - Parameters:
    ///   - inputs: gray inputs [N, 1, H, W].
    ///   - targets: true colors [N, 3, H, W].
    ///   - predictions: (column label, [N, 3, H, W]) per model.
    ///   - scale: how many times each image is enlarged.
    public static func samplesImage(inputs: Tensor, targets: Tensor, predictions: [(name: String, images: Tensor)],
                                    scale: Int = 3) throws -> Image {
        let columns = [("input", inputs), ("target", targets)] + predictions.map { ($0.name, $0.images) }
        let n = inputs.shape.first ?? 0
        for (name, t) in columns where t.rank != 4 || t.shape[0] != n || t.shape[2...] != inputs.shape[2...] {
            throw CourseError("samples: column '\(name)' has shape \(t.shape), expected [\(n), C, "
                + "\(inputs.shape.dropFirst(2).map(String.init).joined(separator: ", "))]")
        }
        let rows = try (0..<n).map { i in
            try columns.map { try Image(tensor: $0.1, index: i).toRGB().upscaled(by: scale) }
        }
        return try Image.grid(rows, gap: 3, columnLabels: columns.map(\.0), labelScale: 2)
    }

    /// How much `detailImage` amplifies the high band: detail is a few hundredths of the 0-1 range.
    public static let detailGain: Float = 4

    /// The detail the PSNR-high numbers measure, as a picture: the high band (image minus its
    /// Gaussian blur, sigma 2) of the target and of each model's prediction, times `detailGain`
    /// around mid-gray. A model that blurs shows flat gray where the target has blades and edges.
    public static func detailImage(targets: Tensor, predictions: [(name: String, images: Tensor)], scale: Int = 3) throws -> Image {
        let columns = try [("target detail", visibleDetail(targets))] + predictions.map { ("\($0.name) detail", try visibleDetail($0.images)) }
        let rows = try (0..<targets.shape[0]).map { i in try columns.map { try Image(tensor: $0.1, index: i).upscaled(by: scale) } }
        return try Image.grid(rows, gap: 3, columnLabels: columns.map(\.0), labelScale: 2).withKey([
            "Mid-gray: no detail. Light and dark: the picture minus its blur (sigma 2), times \(Int(detailGain)).",
            "A column flatter than the target's has lost its blades and edges."])
    }

    /// `0.5 + detailGain * (images - lowBand(images))`, clipped to [0, 1]: the high band as pixels.
    static func visibleDetail(_ images: Tensor) throws -> Tensor {
        let low = try Metrics.lowBand(images)
        return Tensor(shape: images.shape, values: zip(images.values, low.values).map { min(1, max(0, 0.5 + detailGain * ($0 - $1))) })
    }

    /// Writes `samplesImage(...)` to `path` (atomically).
    public static func writeSamples(to path: String, inputs: Tensor, targets: Tensor,
                                    predictions: [(name: String, images: Tensor)], scale: Int = 3) throws {
        try samplesImage(inputs: inputs, targets: targets, predictions: predictions, scale: scale).writePNG(to: path)
    }

    /// Training-loss curves, one line per model, and each model's held-out loss as dots in its
    /// color (measured now and then during the run: a training line that falls while its dots do
    /// not is learning the training scenes, not the task), on a log axis against the step.
    ///
    /// Per-step losses are noisy (every batch is different), so each plotted point is the mean
    /// loss over a window of consecutive steps: at most `points` points per series.
    public static func curvesImage(_ runs: [(name: String, history: TrainingHistory)], title: String = "Training loss",
                                   yLabel: String = "loss (MSE)", points: Int = 200,
                                   width: Int = 720, height: Int = 420) throws -> Image {
        var chart = LineChart(title: title, xLabel: "step", yLabel: yLabel, logY: true)
        for run in runs {
            chart.addSeries(run.name, points: windowMeans(run.history.losses, points: points))
        }
        for (i, run) in runs.enumerated() where !run.history.heldOutLosses.isEmpty {
            chart.addSeries("\(run.name), held-out", points: run.history.heldOutLosses.map { (x: Double($0.step), y: Double($0.loss)) },
                            dots: true, colorOf: i, inLegend: false)
        }
        if runs.contains(where: { !$0.history.heldOutLosses.isEmpty }) {
            chart.legendNotes = [("held-out", true)]
        }
        return try chart.render(width: width, height: height)
    }

    /// Writes `curvesImage(...)` to `path` (atomically).
    public static func writeCurves(to path: String, _ runs: [(name: String, history: TrainingHistory)],
                                   title: String = "Training loss", yLabel: String = "loss (MSE)") throws {
        try curvesImage(runs, title: title, yLabel: yLabel).writePNG(to: path)
    }

    /// (mean step, mean loss) over consecutive windows of steps (steps are 1-based).
    static func windowMeans(_ losses: [Float], points: Int) -> [(x: Double, y: Double)] {
        let window = max(1, (losses.count + points - 1) / max(points, 1))
        return stride(from: 0, to: losses.count, by: window).map { start in
            let slice = losses[start..<min(start + window, losses.count)]
            let meanStep = Double(start + 1 + slice.count) / 2 + Double(start) / 2
            return (x: meanStep, y: slice.reduce(0.0) { $0 + Double($1) } / Double(slice.count))
        }
    }

    /// A sheet of meadow scenes as gray input | color target pairs, `pairsPerRow` pairs per row,
    /// enlarged `scale` times: the picture of the dataset in the README (Sources/CourseKit/CourseKit.docc/Resources/meadow-scenes.png).
    public static func sceneGrid(_ scenes: MeadowScenes, indices: [Int], pairsPerRow: Int = 2,
                                 scale: Int = 2) throws -> Image {
        let (inputs, targets) = scenes.batch(indices)
        var rows = [[Image]]()
        for (k, _) in indices.enumerated() {
            if k % pairsPerRow == 0 { rows.append([]) }
            rows[rows.count - 1] += [try Image(tensor: inputs, index: k).toRGB().upscaled(by: scale),
                                     try Image(tensor: targets, index: k).upscaled(by: scale)]
        }
        let labels = (0..<min(pairsPerRow, indices.count)).flatMap { _ in ["gray input", "color target"] }
        return try Image.grid(rows, gap: 3, columnLabels: labels, labelScale: 1)
    }
}
