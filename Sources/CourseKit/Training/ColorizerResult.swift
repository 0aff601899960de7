import Foundation
import TensorCore

/// A trained colorizer's scores and health. It does not keep the model: a lesson that trains
/// many (lesson 6: 18) kept every one's last activations alive (one --quick step at --size 256:
/// 4.80 GB with them, 1.41 GB without).
public struct ColorizerResult {
    public let name: String
    public let history: TrainingHistory
    public let evaluation: HeldOutEvaluation
    public let record: MetricsRecord
    /// Whether it learned a picture or collapsed to one flat color.
    public let health: TrainingHealth
    /// Called collapsed (`health`), in the table, the conclusion and metrics.json. Never after
    /// --quick's few steps: a model has learned too little to judge (its predictions may still
    /// be nearly one color), and the table already says the numbers mean little.
    public let collapsed: Bool

    public init(name: String, model: Layer, history: TrainingHistory, evaluation: HeldOutEvaluation,
                lesson: String, seed: UInt64, judgesHealth: Bool = true) {
        self.name = name
        self.history = history
        self.evaluation = evaluation
        health = TrainingHealth(history: history, heldOut: evaluation.spread)
        var record = MetricsRecord(lesson: lesson, model: name, params: parameterCount(model), seed: seed,
                                   history: history, scores: evaluation.scores)
        record.receptiveField = receptiveFields(of: model)
        record.bottleneckSide = (model as? UNet).map { evaluation.prediction.shape[3] >> $0.depth }
        collapsed = judgesHealth && health.isCollapsed
        record.collapsed = judgesHealth ? collapsed : nil
        self.record = record
    }

    public var scores: QualityScores { evaluation.scores }

    /// Diverged without a NaN: a held-out PSNR below 0 dB (colors off by more than the whole 0-1
    /// range on average, worse than painting everything black) *and* a training loss that ended
    /// higher than it started. A wrong optimizer or gradient (say the learner's own, with
    /// --use-exercises) does that. An untrained model can score below 0 dB too, so under 20 steps
    /// there is too little to tell.
    public var blewUp: Bool {
        let losses = history.losses, tenth = max(1, losses.count / 10)
        guard losses.count >= 20 else { return false }
        let start = losses.prefix(tenth).reduce(0, +), end = losses.suffix(tenth).reduce(0, +)
        return !(evaluation.scores.psnr >= 0) && !(end <= start)
    }

    /// `heldout-<name>.png`: the first held-out predictions stacked top to bottom (and
    /// `heldout-input.png`, `heldout-target.png`), which `course compare` lays side by side.
    func writeHeldOutPictures(into run: LessonRun) throws {
        try HeldOutStrip.image(evaluation.input).writePNG(to: run.path("heldout-input.png"))
        try HeldOutStrip.image(evaluation.target).writePNG(to: run.path("heldout-target.png"))
        try HeldOutStrip.image(evaluation.prediction).writePNG(to: run.path("heldout-\(name).png"))
    }
}
