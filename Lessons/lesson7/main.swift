// Lesson 7 — Segmentation: the job the U-Net was built for.
//
// The same three models as lessons 2, 4 and 5 (plain stack, autoencoder, U-Net), now labelling
// every pixel with its region — sky, lake, grass, dirt, flower, horse — instead of painting it.
// Run it:
//
//     swift run -c release lesson7            (1-2 minutes on 2 cores; README: measured times)
import ArgumentParser
import CourseKit
import ExerciseFunctions
import LearnerParts
import Exercises
import PixelIO
import TensorCore

struct Lesson7: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson7",
        abstract: "Lesson 7 — Segmentation: the plain stack, the autoencoder and the U-Net label every pixel's region.",
        discussion: """
        Default: \(SegmenterSettings.plainSteps) / \(SegmenterSettings.autoencoderSteps) / \(SegmenterSettings.unetSteps) steps (plain / autoencoder / U-Net) \
        of \(LessonRun.defaultBatchSize) scenes at 64x64 (--quick: \(quickSteps) steps at 32x32). --steps sets all three. \
        --data cannot be used: only the meadow scenes know every pixel's region.
        """)

    static let quickSteps = 6

    @OptionGroup var options: LessonOptions

    func run() throws {
        guard options.dataDirectory == nil else {
            throw CourseError("lesson 7 needs the region of every pixel, which only the meadow scenes know: run it without --data")
        }
        let lesson = try LessonRun(7, options: options)
        let size = lesson.dataset.size
        let data = try MeadowSegmentation.dataset(size: size, seed: UInt64(options.seed))
        let classes = MeadowSegmentation.classes.count

        Chapter.tell("""
        A U-Net was designed for segmentation: give every pixel a class. The meadow scenes know the
        region of every pixel, so the same three models can be measured on that job: \(classes) output
        channels instead of 3 colors, one per region (\(MeadowSegmentation.classes.map { "\($0)" }.joined(separator: ", "))),
        trained with softmax cross-entropy on \(data.summary). The scenes hold both tests at
        once. Sky and lake have the same gray levels and are both smooth: only the whole scene says
        which is which (the big picture). A horse leg is 1 px wide and a flower 2x2: only full
        resolution keeps them (the detail). And the edges between regions must land on the right pixel.
        """)

        Chapter.heading("The loss")
        Chapter.tell("""
        Each pixel's \(classes) outputs become probabilities with a softmax, p_k = exp(z_k) / Σ exp(z_j),
        and the loss is -log p of the true region, averaged over every pixel: cross-entropy. Its
        gradient is the simplest in the course: softmax minus one-hot (p_k - 1 for the true region, p_k
        for the others), divided by the number of pixels. Same optimizer, learning rate and schedule as
        the colorizers.
        """)

        // Each model is built when its turn comes (from one generator, in this order, so the
        // weights are the same) and let go after it is scored, so one model's activations are in
        // memory at a time.
        var rng = SeededGenerator(seed: UInt64(options.seed))
        let models: [(name: String, kind: CourseModel, steps: Int)] = [
            ("plain", .plain, options.steps(default: SegmenterSettings.plainSteps, quick: Self.quickSteps)),
            ("autoencoder", .autoencoder, options.steps(default: SegmenterSettings.autoencoderSteps, quick: Self.quickSteps)),
            ("unet", .unet, options.steps(default: SegmenterSettings.unetSteps, quick: Self.quickSteps)),
        ]

        Chapter.heading("Training")
        // With --use-exercises the loss is your softmaxCrossEntropy (7.1) once it is written.
        let parts = LearnerParts.forRun(lesson: 7, options: options)
        var results: [(name: String, history: TrainingHistory, evaluation: SegmentationEvaluation, record: SegmentationRecord)] = []
        for (name, kind, steps) in models {
            let model = kind.build(outChannels: classes, parts: options.kernelParts, rng: &rng)
            var training = lesson.training(name, steps: steps)
            training.loss = parts.crossEntropy()
            // The segmenters keep their drawn last layer: lesson 7's claims were checked with it
            // (tools/check-segmentation.sh); the starting-output setting was swept on colorizers.
            training.startingOutputRMS = nil
            let history = try training.train(model, on: data)
            let evaluation = SegmentationEvaluation.run(model, on: data, classes: classes, limit: lesson.evaluationLimit)
            results.append((name, history, evaluation,
                            SegmentationRecord(model: name, params: parameterCount(model), seed: UInt64(options.seed),
                                               history: history, evaluation: evaluation)))
        }

        let tolerance = SegmentationEvaluation.boundaryTolerance
        print("")
        print("Held-out scores (\(min(data.heldOutCount, lesson.evaluationLimit ?? data.heldOutCount)) scenes never trained on; "
              + "IoU and boundary F1 from 0 to 1, higher is better; lake→sky lower is better):")
        var rows = [["model", "pixel acc", "mean IoU", "boundary F1", "horse IoU", "flower IoU", "lake→sky", "sky IoU", "lake IoU", "steps", "s"]]
        for r in results {
            let e = r.evaluation
            rows.append([r.name, fmt(e.confusion.pixelAccuracy, 3), fmt(e.confusion.meanIoU, 3), fmt(e.boundary.f1, 3),
                         fmt(e.iou(.horse), 3), fmt(e.iou(.flower), 3), fmt(100 * e.lakeAsSky, 1) + "%",
                         fmt(e.iou(.sky), 3), fmt(e.iou(.lake), 3), "\(r.history.steps)", fmt(r.history.seconds, 0)])
        }
        Chapter.table(rows)
        print("  (boundary F1: a predicted edge pixel counts when a true edge lies within \(tolerance) px, and the other way round)")

        if options.useExercises { compareWithLearnerMetrics(results.last!.evaluation) }

        let predictions = results.map { (name: $0.name, labels: $0.evaluation.prediction) }
        let first = results[0].evaluation
        try SegmentationOutputs.masksImage(inputs: first.input, truth: first.truth, predictions: predictions)
            .writePNG(to: lesson.path("masks.png"))
        try SegmentationOutputs.boundariesImage(inputs: first.input, truth: first.truth, predictions: predictions, tolerance: tolerance)
            .writePNG(to: lesson.path("boundaries.png"))
        try SegmentationOutputs.confusionImage(results.map { ($0.name, $0.evaluation.confusion) })
            .writePNG(to: lesson.path("confusion.png"))
        try LessonOutputs.writeCurves(to: lesson.path("curves.png"), results.map { ($0.name, $0.history) },
                                      title: "Lesson 7: segmentation, training and held-out loss", yLabel: "loss (cross-entropy)")
        try SegmentationMetricsFile(models: results.map(\.record)).write(to: lesson.path("metrics.json"))

        let verdict = SegmentationVerdict(plain: results[0].evaluation, autoencoder: results[1].evaluation,
                                          unet: results[2].evaluation, bottleneckSide: lesson.dataset.size >> CourseModel.levels,
                                          judgesCollapse: !options.quick)
        var conclusion = verdict.text
        let recovered = options.quick ? [] : results.compactMap { $0.history.recoveryNote(model: $0.name) }
        if !recovered.isEmpty { conclusion = recovered.joined(separator: "\n\n") + "\n\n" + conclusion }
        if let table = colorizationTable(lesson, results.map { ($0.name, $0.evaluation) }) {
            print("")
            print("Next to your colorization runs (detail: PSNR high vs boundary F1; big picture: PSNR low vs lake→sky):")
            Chapter.table(table.rows)
            conclusion += "\n\n" + table.sentence
        }
        try lesson.finish(conclusion: conclusion, settings: lesson.settings(steps: models.map(\.steps).max() ?? 0),
                          pictures: ["masks.png", "boundaries.png", "confusion.png", "curves.png", "metrics.json"])
    }

    /// `--use-exercises`: the learner's IoU (7.2) and boundary F1 (7.3) on the U-Net's held-out
    /// pictures, beside the lesson's own numbers.
    func compareWithLearnerMetrics(_ e: SegmentationEvaluation) {
        if learnerHasWritten("7.2") {
            let k = e.confusion.classes
            func text(_ values: [Double?]) -> String { values.map { $0.map { fmt($0, 3) } ?? "nil" }.joined(separator: " ") }
            let rows: [[Int]] = (0..<k).map { t in (0..<k).map { e.confusion[t, $0] } }
            let theirs: String = (try? intersectionOverUnion(rows)).map(text) ?? "an error"
            let ours: String = text((0..<k).map { e.confusion.iou($0) })
            print("  Your intersectionOverUnion (7.2) on the U-Net's confusion matrix: \(theirs); the lesson's: \(ours)")
        }
        if learnerHasWritten("7.3") {
            let size = e.input.shape[2], plane = size * size
            var ours = BoundaryScore(tolerance: SegmentationEvaluation.boundaryTolerance)
            ours.add(truth: Array(e.truth.prefix(plane)), predicted: Array(e.prediction.prefix(plane)), width: size, height: size)
            let theirs = try? boundaryF1(truth: Array(e.truth.prefix(plane)), predicted: Array(e.prediction.prefix(plane)),
                                         width: size, height: size, tolerance: SegmentationEvaluation.boundaryTolerance)
            print("  Your boundaryF1 (7.3) on the U-Net's first held-out scene: \(theirs.map { fmt($0, 4) } ?? "an error"); "
                  + "the lesson's: \(fmt(ours.f1, 4))")
        }
    }

    /// The colorization scores of lessons 2, 4 and 5 beside this lesson's, when those ran on the same scenes.
    func colorizationTable(_ lesson: LessonRun, _ segmenters: [(String, SegmentationEvaluation)])
        -> (rows: [[String]], sentence: String)? {
        let earlier = [("plain", 2), ("autoencoder", 4), ("unet", 5)].map { lesson.earlierResult(lesson: $0.1, model: $0.0) }
        guard earlier.allSatisfy({ $0 != nil }) else { return nil }
        var rows = [["model", "PSNR high (detail)", "boundary F1", "PSNR low (big picture)", "lake→sky"]]
        for ((name, e), record) in zip(segmenters, earlier) {
            rows.append([name, fmt(record!.psnrHigh), fmt(e.boundary.f1, 3), fmt(record!.psnrLow), fmt(100 * e.lakeAsSky, 1) + "%"])
        }
        let names = segmenters.map { ["plain": "plain stack", "unet": "U-Net"][$0.0] ?? $0.0 }
        let detail = SegmentationVerdict.orderSentence(names, "PSNR high", earlier.map { $0!.psnrHigh }, " dB", tie: 0.1,
                                        "boundary F1", segmenters.map { $0.1.boundary.f1 }, "", tie: 0.005)
        let big = SegmentationVerdict.orderSentence(names, "PSNR low", earlier.map { $0!.psnrLow }, " dB", tie: 0.1,
                                     "lake→sky", segmenters.map { -100 * $0.1.lakeAsSky }, "%", tie: 0.5)
        let sentence = "Compared with your colorization runs of lessons 2, 4 and 5 (same scenes): on detail, " + detail
            + " On the big picture, " + big
        return (rows, sentence)
    }
}

Lesson7.main()
