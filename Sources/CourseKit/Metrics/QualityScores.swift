import TensorCore

/// The four numbers every lesson reports for a model on the held-out set, each the mean over the
/// images of the per-image value (see `Metrics`).
public struct QualityScores: Codable, Equatable, Sendable {
    /// PSNR in dB (higher is better).
    public var psnr: Double
    /// SSIM in [-1, 1] (1 is identical).
    public var ssim: Double
    /// PSNR of the low bands (the big picture), dB.
    public var psnrLow: Double
    /// PSNR of the high bands (the detail), dB.
    public var psnrHigh: Double
    /// How many images were scored.
    public var images: Int

    public init(psnr: Double, ssim: Double, psnrLow: Double, psnrHigh: Double, images: Int) {
        self.psnr = psnr; self.ssim = ssim; self.psnrLow = psnrLow; self.psnrHigh = psnrHigh; self.images = images
    }
}

extension Metrics {
    /// Scores batch after batch and averages per image at the end, so a held-out set never has
    /// to be in memory at once.
    public struct Accumulator {
        private var sums = (psnr: 0.0, ssim: 0.0, low: 0.0, high: 0.0)
        public private(set) var images = 0

        public init() {}

        /// Adds the per-image scores of one batch.
        public mutating func add(prediction: Tensor, target: Tensor) throws {
            let p = try Metrics.psnr(prediction, target)
            let s = try Metrics.ssim(prediction, target)
            let bands = try Metrics.bandPSNR(prediction, target)
            sums.psnr += p.reduce(0, +)
            sums.ssim += s.reduce(0, +)
            sums.low += bands.low.reduce(0, +)
            sums.high += bands.high.reduce(0, +)
            images += p.count
        }

        /// The means so far. Throws if nothing was added.
        public func scores() throws -> QualityScores {
            guard images > 0 else { throw CourseError("no images were scored") }
            let n = Double(images)
            return QualityScores(psnr: sums.psnr / n, ssim: sums.ssim / n, psnrLow: sums.low / n,
                                 psnrHigh: sums.high / n, images: images)
        }
    }

    /// All four scores of one batch (means over its images).
    public static func scores(_ prediction: Tensor, _ target: Tensor) throws -> QualityScores {
        var accumulator = Accumulator()
        try accumulator.add(prediction: prediction, target: target)
        return try accumulator.scores()
    }
}
