import Foundation
import PixelIO
import TensorCore

/// A segmentation model's scores on the held-out scenes (lesson 7), and its labels for the first
/// few of them (for the pictures).
public struct SegmentationEvaluation {
    public var confusion: ConfusionMatrix
    public var boundary: BoundaryScore
    /// Gray inputs [P, 1, H, W] of the first `pictureCount` held-out scenes, their true labels
    /// and the model's (P*H*W each).
    public var input: Tensor
    public var truth: [Int]
    public var prediction: [Int]

    /// A predicted edge within this many pixels of a true one counts as right: 1 px at 64x64,
    /// where a horse leg is 1 px wide, so "near" still means "on the right pixel or its neighbor".
    public static let boundaryTolerance = 1

    /// Scores `model` on every held-out scene of `data` (a `MeadowSegmentation` dataset),
    /// `batchSize` (by default the dataset's `evaluationBatchSize`) at a time; `limit` scores only
    /// the first `limit` (for `--quick`).
    public static func run(_ model: Layer, on data: Dataset, classes: Int, pictureCount: Int = 6,
                           batchSize: Int? = nil, limit: Int? = nil) -> SegmentationEvaluation {
        let batchSize = batchSize ?? data.evaluationBatchSize
        let count = min(data.heldOutCount, limit ?? data.heldOutCount)
        let size = data.size, plane = size * size
        var confusion = ConfusionMatrix(classes: classes)
        var boundary = BoundaryScore(tolerance: boundaryTolerance)
        var shown: (input: [Float], truth: [Int], prediction: [Int]) = ([], [], [])
        for start in stride(from: 0, to: count, by: batchSize) {
            let batch = data.heldOutBatch(start..<min(start + batchSize, count))
            let truth = batch.target.values.map { Int($0) }
            let predicted = argmaxLabels(model.forward(batch.input))
            confusion.add(truth: truth, predicted: predicted)
            for b in 0..<batch.input.shape[0] {
                let image = (b * plane)..<((b + 1) * plane)
                boundary.add(truth: Array(truth[image]), predicted: Array(predicted[image]), width: size, height: size)
            }
            let k = min(pictureCount - shown.truth.count / plane, batch.input.shape[0])
            if k > 0 {
                shown.input += batch.input.values.prefix(k * plane)
                shown.truth += truth.prefix(k * plane)
                shown.prediction += predicted.prefix(k * plane)
            }
        }
        return SegmentationEvaluation(confusion: confusion, boundary: boundary,
                                      input: Tensor(shape: [shown.truth.count / plane, 1, size, size], values: shown.input),
                                      truth: shown.truth, prediction: shown.prediction)
    }

    /// IoU of a region, 0 when it appears nowhere.
    public func iou(_ region: SceneRegion) -> Double { confusion.iou(Int(region.rawValue)) ?? 0 }

    /// The fraction of lake pixels labelled sky: the big-picture failure (locally they look alike).
    public var lakeAsSky: Double { confusion.rate(truth: Int(SceneRegion.lake.rawValue), predicted: Int(SceneRegion.sky.rawValue)) }
}

/// One segmentation model's line in lesson 7's metrics.json.
public struct SegmentationRecord: Codable, Sendable {
    public var model: String
    public var params: Int
    public var seed: UInt64
    public var steps: Int
    public var seconds: Double
    public var finalLoss: Double
    public var pixelAccuracy: Double
    public var meanIoU: Double
    /// Per region, by name (sky, lake, grass, dirt, flower, horse).
    public var iou: [String: Double]
    public var boundaryF1: Double
    public var boundaryPrecision: Double
    public var boundaryRecall: Double
    public var boundaryTolerance: Int
    public var lakeAsSky: Double
    /// Row-major counts, true class by predicted class, in SceneRegion order.
    public var confusion: [Int]
    /// Steps at which the spike guard rolled the run back (see `SpikeGuard`); empty for a calm run.
    public var recoveries: [Int]?

    public init(model: String, params: Int, seed: UInt64, history: TrainingHistory, evaluation e: SegmentationEvaluation) {
        self.model = model
        self.params = params
        self.seed = seed
        steps = history.steps
        seconds = history.seconds
        let tail = history.losses.suffix(max(1, history.losses.count / 10))
        finalLoss = tail.isEmpty ? 0 : Double(tail.reduce(0, +)) / Double(tail.count)
        pixelAccuracy = e.confusion.pixelAccuracy
        meanIoU = e.confusion.meanIoU
        iou = Dictionary(uniqueKeysWithValues: SceneRegion.allCases.map { ("\($0)", e.iou($0)) })
        boundaryF1 = e.boundary.f1
        boundaryPrecision = e.boundary.precision
        boundaryRecall = e.boundary.recall
        boundaryTolerance = e.boundary.tolerance
        lakeAsSky = e.lakeAsSky
        confusion = e.confusion.counts
        recoveries = history.recoveries
    }

    enum CodingKeys: String, CodingKey {
        case model, params, seed, steps, seconds, iou, confusion, recoveries
        case finalLoss = "final_loss", pixelAccuracy = "pixel_accuracy", meanIoU = "mean_iou"
        case boundaryF1 = "boundary_f1", boundaryPrecision = "boundary_precision", boundaryRecall = "boundary_recall"
        case boundaryTolerance = "boundary_tolerance_px", lakeAsSky = "lake_as_sky"
    }
}

/// Lesson 7's metrics.json: one record per model.
public struct SegmentationMetricsFile: Codable, Sendable {
    public var lesson = "lesson7"
    public var models: [SegmentationRecord]

    public init(models: [SegmentationRecord]) { self.models = models }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeFileAtomically([UInt8](try encoder.encode(self)), to: path)
    }

    public static func read(_ path: String) throws -> SegmentationMetricsFile {
        try JSONDecoder().decode(SegmentationMetricsFile.self, from: Data(try readFileBytes(path, maxBytes: ReadLimit.json)))
    }
}
