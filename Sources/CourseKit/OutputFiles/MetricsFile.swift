import Foundation
import PixelIO

/// One model's result in a lesson: what was trained, for how long, and how well it does on the
/// held-out set. The JSON keys are the same in every lesson, so `course compare` can read them all.
public struct MetricsRecord: Codable, Equatable, Sendable {
    public var lesson: String
    public var model: String
    /// Number of trainable values.
    public var params: Int
    public var steps: Int
    /// Training time in seconds (wall clock; varies run to run, unlike everything else here).
    public var seconds: Double
    public var seed: UInt64
    public var psnr: Double
    public var ssim: Double
    public var psnrLow: Double
    public var psnrHigh: Double
    /// True when the model collapsed (see `TrainingHealth`); absent after --quick (not judged) and
    /// in files written before the check.
    public var collapsed: Bool?
    /// Steps at which the loss spiked and the trainer rolled back (see `SpikeGuard`); empty for a
    /// calm run, absent in files written before the guard.
    public var recoveries: [Int]?
    /// The share of the model's channels that stayed off at the end of training (see
    /// `DeadUnits`); absent in files written before it was measured.
    public var deadUnits: Double?
    /// The largest 10-step mean loss over the best before it (see `SpikeGuard.largestJump`): how
    /// close the run came to a spike; absent in files written before it was measured.
    public var largestLossJump: Double?
    /// How wide a window of the input one output pixel sees, per path ("output" for a stack
    /// without paths; "skip0"... and "bottleneck" for a U-Net), in pixels: `receptiveFields(of:)`.
    public var receptiveField: [String: Int]?
    /// The side, in pixels, of a U-Net's (or autoencoder's) bottleneck grid for this run's image
    /// size: the input halved once per level. Absent for a model without one.
    public var bottleneckSide: Int?

    enum CodingKeys: String, CodingKey {
        case lesson, model, params, steps, seconds, seed, psnr, ssim, collapsed, recoveries
        case psnrLow = "psnr_low", psnrHigh = "psnr_high", deadUnits = "dead_units", largestLossJump = "largest_loss_jump"
        case receptiveField = "receptive_field_px", bottleneckSide = "bottleneck_side"
    }

    public init(lesson: String, model: String, params: Int, steps: Int, seconds: Double, seed: UInt64,
                psnr: Double, ssim: Double, psnrLow: Double, psnrHigh: Double) {
        self.lesson = lesson; self.model = model; self.params = params; self.steps = steps
        self.seconds = seconds; self.seed = seed
        self.psnr = psnr; self.ssim = ssim; self.psnrLow = psnrLow; self.psnrHigh = psnrHigh
    }

    /// A record from a training run's history and its held-out scores.
    public init(lesson: String, model: String, params: Int, seed: UInt64, history: TrainingHistory,
                scores: QualityScores) {
        self.init(lesson: lesson, model: model, params: params, steps: history.steps, seconds: history.seconds,
                  seed: seed, psnr: scores.psnr, ssim: scores.ssim, psnrLow: scores.psnrLow, psnrHigh: scores.psnrHigh)
        recoveries = history.recoveries
        deadUnits = history.deadUnits?.overall
        largestLossJump = history.largestLossJump
    }
}

/// `metrics.json`: a lesson's results, one record per model it trained.
///
///     {"lesson": "lesson5", "models": [{"lesson": "lesson5", "model": "unet", "params": 481779, ...}]}
public struct MetricsFile: Codable, Equatable, Sendable {
    public var lesson: String
    public var models: [MetricsRecord]
    /// The same scores of a flat color and of the blurred target (`Baselines`); absent in files
    /// written before they were measured.
    public var baselines: Baselines?
    /// Lesson 5's U-Net on scenes of other sizes, the trained size first; absent elsewhere.
    public var sceneSizes: [SceneSizeScores]?

    enum CodingKeys: String, CodingKey {
        case lesson, models, baselines, sceneSizes = "scene_sizes"
    }

    public init(lesson: String, models: [MetricsRecord], baselines: Baselines? = nil) {
        self.lesson = lesson
        self.models = models
        self.baselines = baselines
    }

    /// The file as pretty-printed JSON with sorted keys (stable, diff-friendly). A PSNR of
    /// identical images (+infinity) is written as the string "inf".
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    /// Writes the file atomically (temporary file, then rename). The folder must exist.
    public func write(to path: String) throws {
        try writeFileAtomically(encoded(), to: path)
    }

    /// Reads a metrics.json written by `write(to:)`.
    public static func read(_ path: String) throws -> MetricsFile {
        let bytes = try readFileBytes(path, maxBytes: ReadLimit.json)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(MetricsFile.self, from: Data(bytes))
        } catch {
            throw CourseError("'\(path)' is not a metrics.json of this course: \(error)")
        }
    }
}
