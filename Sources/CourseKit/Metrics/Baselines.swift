import TensorCore

/// Two rulers for a colorizer's scores that involve no model, scored on the same held-out scenes:
///
/// - **flat color**: every pixel painted the held-out set's mean color — no picture at all;
/// - **blurred target**: the true colors blurred like the low band (`Metrics.lowBand`) — the
///   whole big picture, no detail.
///
/// A model whose PSNR high is at the blurred target's recovered no detail; one whose PSNR low is
/// at the flat color's learned no big picture. Lessons print both under their scores and write
/// them to metrics.json (`baselines`).
public struct Baselines: Codable, Equatable, Sendable {
    public var flatColor: Scores
    public var blurredTarget: Scores

    /// The four numbers of `QualityScores`, with metrics.json's key names.
    public struct Scores: Codable, Equatable, Sendable {
        public var psnr: Double, ssim: Double, psnrLow: Double, psnrHigh: Double
        enum CodingKeys: String, CodingKey { case psnr, ssim, psnrLow = "psnr_low", psnrHigh = "psnr_high" }
        init(_ s: QualityScores) { psnr = s.psnr; ssim = s.ssim; psnrLow = s.psnrLow; psnrHigh = s.psnrHigh }
    }

    enum CodingKeys: String, CodingKey { case flatColor = "flat_color", blurredTarget = "blurred_target" }

    /// Both baselines on the first `limit` held-out scenes of `dataset` (all without a limit),
    /// `batchSize` at a time, like `HeldOutEvaluation`. The flat color is `spread`'s mean target
    /// color: a `HeldOutEvaluation` of the same scenes has already added them up.
    public static func measure(on dataset: Dataset, limit: Int? = nil, batchSize: Int = 32,
                               spread: ChannelSpread) throws -> Baselines {
        let count = min(dataset.heldOutCount, limit ?? dataset.heldOutCount)
        let mean = spread.targetMeans.map(Float.init)
        var flat = Metrics.Accumulator(), blurred = Metrics.Accumulator()
        for start in stride(from: 0, to: count, by: batchSize) {
            let target = dataset.heldOutBatch(start..<min(start + batchSize, count)).target
            guard mean.count == target.shape[1] else {
                throw CourseError("baselines: the mean color has \(mean.count) channels, the scenes \(target.shape[1])")
            }
            let plane = target.shape[2] * target.shape[3]
            var color = Tensor(shape: target.shape)
            color.withUnsafeMutableBufferPointer { p in
                for i in p.indices { p[i] = mean[(i / plane) % mean.count] }
            }
            try flat.add(prediction: color, target: target)
            try blurred.add(prediction: try Metrics.lowBand(target), target: target)
        }
        return Baselines(flatColor: Scores(try flat.scores()), blurredTarget: Scores(try blurred.scores()))
    }
}
