import TensorCore

/// A colorizer's scores on the held-out set, per region when the data are meadow scenes, and its
/// predictions for the first few held-out scenes (for pictures and `course compare`).
public struct HeldOutEvaluation {
    public var scores: QualityScores
    /// The predictions' and targets' per-channel spread (for `TrainingHealth`).
    public var spread: ChannelSpread
    public var regions: RegionReport?
    /// Inputs, targets and predictions of the first `pictureCount` held-out scenes.
    public var input: Tensor
    public var target: Tensor
    public var prediction: Tensor

    /// `run` on a U-Net with one path switched off at test time only (`\.zeroBottleneck` or
    /// `\.zeroSkips`), switched back on after: what the trained model relies on that path for.
    public static func run(_ model: UNet, zeroing path: ReferenceWritableKeyPath<UNet, Bool>, on dataset: Dataset,
                           limit: Int? = nil) throws -> HeldOutEvaluation {
        model[keyPath: path] = true
        defer { model[keyPath: path] = false }
        return try run(model, on: dataset, limit: limit)
    }

    /// Scores `model` on every held-out pair of `dataset`, `batchSize` (by default the dataset's
    /// `evaluationBatchSize`) at a time. `limit` scores only the first `limit` pairs (for `--quick`).
    public static func run(_ model: Layer, on dataset: Dataset, pictureCount: Int = 6,
                           batchSize: Int? = nil, limit: Int? = nil) throws -> HeldOutEvaluation {
        let batchSize = batchSize ?? dataset.evaluationBatchSize
        var accumulator = Metrics.Accumulator()
        var spread = ChannelSpread()
        let meadow = dataset.heldOut as? MeadowScenes
        var regions = meadow == nil ? nil : RegionReport()
        let count = min(dataset.heldOutCount, limit ?? dataset.heldOutCount)
        var shown: [(input: Tensor, target: Tensor, prediction: Tensor)] = [], shownCount = 0
        for start in stride(from: 0, to: count, by: batchSize) {
            let range = start..<min(start + batchSize, count)
            let batch = dataset.heldOutBatch(range)
            let prediction = model.forward(batch.input)
            try accumulator.add(prediction: prediction, target: batch.target)
            spread.add(prediction: prediction, target: batch.target)
            if let meadow {
                regions?.add(prediction: prediction, target: batch.target, labels: meadow.regionLabels(Array(range)))
            }
            let k = min(pictureCount - shownCount, range.count)
            if k > 0 {
                shown.append((batch.input.firstImages(k), batch.target.firstImages(k), prediction.firstImages(k)))
                shownCount += k
            }
        }
        return HeldOutEvaluation(scores: try accumulator.scores(), spread: spread, regions: regions,
                                 input: concatBatches(shown.map(\.input)), target: concatBatches(shown.map(\.target)),
                                 prediction: concatBatches(shown.map(\.prediction)))
    }
}

extension Tensor {
    /// The first `n` images of a [N, C, H, W] batch.
    public func firstImages(_ n: Int) -> Tensor { images(0..<n) }

    /// The images `range` of a [N, C, H, W] batch.
    public func images(_ range: Range<Int>) -> Tensor {
        let per = count / Swift.max(shape[0], 1)
        let values = withUnsafeBufferPointer { Array($0[(range.lowerBound * per)..<(range.upperBound * per)]) }
        return Tensor(shape: [range.count] + shape.dropFirst(), values: values)
    }
}

/// Tensors [n_i, ...] with equal trailing shapes stacked into one [sum n_i, ...].
func concatBatches(_ parts: [Tensor]) -> Tensor {
    guard let first = parts.first else { return Tensor(shape: [0]) }
    let tail = Array(first.shape.dropFirst())
    var out = Tensor(shape: [parts.reduce(0) { $0 + $1.shape[0] }] + tail)
    out.withUnsafeMutableBufferPointer { dst in
        var offset = 0
        for part in parts {
            checkShape("concatBatches", Array(part.shape.dropFirst()), tail)
            part.withUnsafeBufferPointer { src in
                (dst.baseAddress! + offset).update(from: src.baseAddress!, count: src.count)
                offset += src.count
            }
        }
    }
    return out
}

/// The number of trainable values in `model`.
public func parameterCount(_ model: Layer) -> Int { model.parameters.reduce(0) { $0 + $1.value.count } }
