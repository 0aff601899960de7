import Foundation
import PixelIO

/// One run of a lesson: its options, its data, its output folder and its clock. Lessons call it
/// to train and score colorizers the same way, to write every lesson's outputs (samples.png, curves.png, metrics.json), to print
/// their numbers next to the reference run's, and to finish with `lesson.json`.
public final class LessonRun {
    public let number: Int
    public let options: LessonOptions
    /// `Outputs/lessonN`, where this run's files end up when it finishes.
    public let folder: URL
    /// The private folder the run writes into until `finish` swaps it in (see `RunFolder`).
    private let runFolder: RunFolder
    public let dataset: Dataset
    private var started = Date()
    /// The learner's predictions for this run (asked on a terminal, or recorded ahead by
    /// `course predict N`); nil when none.
    private var predictions: [String: Int]?
    /// Every colorizer this run trained, so `finish` can name the ones that collapsed.
    public private(set) var trained: [ColorizerResult] = []
    /// A flat color's and the blurred target's scores on the scenes this run scores, measured
    /// once by `writeColorizerOutputs` (nil before).
    public private(set) var baselines: Baselines?

    /// Prints the chapter title, applies `--threads`, creates the output folder, takes the
    /// learner's predictions (`experiments`: the experiment exercises this run carries out, whose
    /// predictions it asks too) and loads the data (the meadow scenes, or the learner's PNGs with `--data`).
    public init(_ number: Int, options: LessonOptions, defaultSize: Int = 64, experiments: Set<String> = []) throws {
        self.number = number
        self.options = options
        setvbuf(stdout, nil, _IOLBF, 0)  // line by line into a pipe or log too, so an error (stderr) lands after the text before it
        try options.check()
        options.apply()
        returnLargeFreedBlocksToTheSystem()
        Chapter.title(number, LessonCatalog.entry(number).title)
        if let warning = KernelPath.warning { print(warning) }
        if options.referenceKernels {
            print("Reference kernels: every layer runs its plain loops from TensorCore's Reference (see Conv2D.swift).")
            print("  Far slower; compare this run's img/s and metrics with a run without --reference-kernels.")
        }
        #if DEBUG
        print("note: this is a debug build, about 4x slower: use swift run -c release lesson\(number)")
        #endif
        runFolder = try RunFolder(outputs: options.outputs, lesson: number)
        folder = runFolder.final
        predictions = try Self.predictions(Predictions.asked(lesson: number, experiments: experiments), lesson: number, options: options)
        started = Date()  // the learner's thinking time is not the lesson's
        dataset = try Self.dataset(options, size: options.imageSize(default: defaultSize))
    }

    /// This run's data at another size (lesson 6's depth sweep trains at 64 px beside its 32 px
    /// experiments): the meadow scenes, or the learner's PNGs with `--data`.
    public func dataset(size: Int) throws -> Dataset { try Self.dataset(options, size: size) }

    private static func dataset(_ options: LessonOptions, size: Int) throws -> Dataset {
        let seed = UInt64(options.seed)
        if let directory = options.dataDirectory { return try Dataset.folder(directory, size: size, seed: seed) }
        return try Dataset.meadow(size: size, seed: seed)
    }

    /// Recorded predictions, with any of `asked` not recorded yet asked now on a terminal (not for
    /// a --quick run); without a terminal only the recorded ones (a run never waits for input
    /// that cannot come).
    static func predictions(_ asked: [Prediction], lesson: Int, options: LessonOptions) throws -> [String: Int]? {
        guard !asked.isEmpty else { return nil }
        let recorded = Predictions.recorded(outputs: options.outputs, lesson: lesson) ?? [:]
        let known = asked.filter { recorded[$0.text] != nil }
        if !known.isEmpty {
            print(Chapter.wrap("Your predictions (recorded by `course predict \(lesson)`): "
                + known.map { "\($0.text) \($0.options[recorded[$0.text]!])." }.joined(separator: " ")))
        }
        var choices = recorded
        if known.count < asked.count, isatty(0) != 0, !options.quick {
            print("")
            choices = try Predictions.ask(asked, lesson: lesson, recorded: recorded, outputs: options.outputs) { readLine() } ?? recorded
        }
        let answered = choices.filter { text, _ in asked.contains { $0.text == text } }
        return answered.isEmpty ? nil : answered
    }

    /// Whether the data are the meadow scenes (region reports need their labels).
    public var usesMeadowScenes: Bool { dataset.heldOut is MeadowScenes }

    /// How many held-out images to score: all of them, or 8 with `--quick`.
    public var evaluationLimit: Int? { options.quick ? 8 : nil }

    /// Scenes per training step in every lesson's default run.
    public static let defaultBatchSize = 8

    /// Scenes per training step: `defaultBatchSize`, or 4 with `--quick` (seconds, even in a debug build).
    public var batchSize: Int { options.quick ? 4 : Self.defaultBatchSize }

    /// The flags of this run, e.g. "seed 1, 600 steps, 64 px" (steps as given).
    public func settings(steps: Int) -> String {
        var parts = ["seed \(options.seed)", "\(steps) steps", "\(dataset.size) px"] + lessonFlags
        if options.quick { parts.append("--quick") }
        if let data = options.dataDirectory { parts.append("--data \(data)") }
        if options.useExercises { parts.append("--use-exercises") }
        if options.referenceKernels { parts.append("--reference-kernels") }
        return parts.joined(separator: ", ")
    }

    /// Seconds since the lesson started.
    public var elapsed: Double { Date().timeIntervalSince(started) }

    /// Where to write `file` during the run (in the private run folder).
    public func path(_ file: String) -> String { runFolder.staging.appendingPathComponent(file).path }

    // MARK: - Training colorizers

    /// The settings every colorizer of this run trains with: `steps` steps of this run's batch
    /// size, labelled `label` on the progress line. A lesson changes what it needs and passes
    /// them to `trainColorizer`.
    public func training(_ label: String, steps: Int) -> TrainingSettings {
        var settings = TrainingSettings(label: label, steps: steps)
        settings.batchSize = batchSize
        return settings
    }

    /// Trains `model` with `settings`, scores it on the held-out set, saves its checkpoint and
    /// its pictures of the first held-out scenes (for `course compare`).
    /// `observe` sees each step's gradients (see `TrainingSettings.train`); `seed`, when it is not
    /// the run's `--seed` (lesson 6's second and third seeds), is the one the model was made with,
    /// and orders the training batches. `data`: another size of this run's data (`dataset(size:)`).
    public func trainColorizer(_ model: Layer, name: String, _ settings: TrainingSettings,
                               observe: ((Int, [Parameter]) -> Void)? = nil, seed: Int? = nil,
                               save: Bool = true, data: Dataset? = nil) throws -> ColorizerResult {
        let data = data ?? dataset
        let history = try settings.train(model, on: seed.map { data.ordered(by: UInt64($0)) } ?? data, observe: observe)
        let evaluation = try HeldOutEvaluation.run(model, on: data, limit: evaluationLimit)
        let result = ColorizerResult(name: name, model: model, history: history, evaluation: evaluation,
                                     lesson: "lesson\(number)", seed: UInt64(seed ?? options.seed),
                                     judgesHealth: !options.quick)
        trained.append(result)
        if save {
            try Checkpoint.save(model.parameters, to: path("\(name).checkpoint"))
            try result.writeHeldOutPictures(into: self)
        }
        return result
    }

    /// The shell around lessons 2, 4 and 5's one model: train it, write samples.png, detail.png,
    /// curves.png and metrics.json, and print its scores beside the reference run's. `before`:
    /// columns painted by earlier lessons' models on the same held-out scenes (lesson 5).
    public func trainAndReport(_ model: Layer, name: String, _ settings: TrainingSettings, title: String,
                               before: (HeldOutEvaluation) -> [(name: String, images: Tensor)] = { _ in [] }) throws -> ColorizerResult {
        let result = try trainColorizer(model, name: name, settings)
        try writeColorizerOutputs([result], title: title, before: before(result.evaluation))
        printScores([result])
        return result
    }

    /// Writes samples.png (input | target | each model), detail.png, curves.png (each model's
    /// loss) and metrics.json (one record per model). `before`: columns painted by earlier
    /// lessons' models, left of this run's (lesson 5); `records`: what metrics.json lists, when it
    /// is more than `results` (lesson 6: every seed's run).
    public func writeColorizerOutputs(_ results: [ColorizerResult], title: String = "Training loss",
                                      before: [(name: String, images: Tensor)] = [],
                                      records: [MetricsRecord]? = nil) throws {
        guard let first = results.first else { return }
        let columns = before + results.map { ($0.name, $0.evaluation.prediction) }
        try LessonOutputs.writeSamples(
            to: path("samples.png"), inputs: first.evaluation.input, targets: first.evaluation.target, predictions: columns)
        try LessonOutputs.detailImage(targets: first.evaluation.target, predictions: columns).writePNG(to: path("detail.png"))
        try LessonOutputs.writeCurves(to: path("curves.png"), results.map { ($0.name, $0.history) }, title: title)
        if baselines == nil {
            baselines = try Baselines.measure(on: dataset, limit: evaluationLimit, spread: first.evaluation.spread)
        }
        try MetricsFile(lesson: "lesson\(number)", models: records ?? results.map(\.record), baselines: baselines)
            .write(to: path("metrics.json"))
    }

    // MARK: - Numbers next to the reference run's

    /// A lesson's own flags that change what it trains (lesson 5's "--levels 4"): recorded in the
    /// settings, and the reference run's numbers are not shown beside such a run's.
    public var lessonFlags: [String] = []

    /// The reference run's metrics for this lesson, if Reference/lessonN/metrics.json exists.
    public var reference: MetricsFile? { ReferenceRun.metrics(lesson: number) }

    /// Prints a table of the held-out scores, with the reference run's numbers in brackets when
    /// this run used the reference run's settings (default flags).
    public func printScores(_ results: [ColorizerResult]) {
        let reference = self.reference
        let comparable = options.matchesReferenceRun && lessonFlags.isEmpty && reference != nil
        func cell(_ value: Double, _ ref: Double?, digits: Int = 2) -> String {
            guard comparable, let ref else { return fmt(value, digits) }
            return "\(fmt(value, digits)) (\(fmt(ref, digits)))"
        }
        var rows = [["model", "PSNR dB", "SSIM", "PSNR low", "PSNR high", "params", "steps", "seconds"]]
        for r in results {
            let ref = reference?.models.first { $0.model == r.name }
            let s = r.evaluation.scores
            let name = r.blewUp ? r.name + " (DIVERGED)" : r.collapsed ? r.name + " (COLLAPSED)" : r.name
            rows.append([name, cell(s.psnr, ref?.psnr), cell(s.ssim, ref?.ssim, digits: 3),
                         cell(s.psnrLow, ref?.psnrLow), cell(s.psnrHigh, ref?.psnrHigh),
                         "\(r.record.params)", "\(r.history.steps)",
                         cell(r.history.seconds, ref?.seconds, digits: 0)])
        }
        if let baselines {
            let refBaselines = comparable ? reference?.baselines : nil
            for (name, b, ref) in [("(flat color)", baselines.flatColor, refBaselines?.flatColor),
                                   ("(blurred target)", baselines.blurredTarget, refBaselines?.blurredTarget)] {
                rows.append([name, cell(b.psnr, ref?.psnr), cell(b.ssim, ref?.ssim, digits: 3),
                             cell(b.psnrLow, ref?.psnrLow), cell(b.psnrHigh, ref?.psnrHigh), "-", "-", "-"])
            }
        }
        print("")
        print("Held-out scores (\(results.first?.evaluation.scores.images ?? 0) scenes never trained on; higher is better):")
        Chapter.table(rows)
        print(referenceNote(comparable: comparable))
        if baselines != nil {
            print("  (no model: (flat color) paints the mean color everywhere, (blurred target) the true colors blurred like")
            print("   the low band — nearly all of the big picture, almost none of the detail. A model's PSNR high near the")
            print("   latter's recovered no detail.)")
        }
        if options.quick {
            print("  (--quick: a few steps on small pictures show that everything runs; the numbers are not the story.)")
        } else if results.contains(where: \.collapsed) {
            print("  (COLLAPSED: the model learned little or is partly dead; the conclusion below says what happened.)")
        }
    }

    /// One line saying whether the bracketed numbers are the reference run's, and why not.
    public func referenceNote(comparable: Bool) -> String {
        guard let reference else {
            return "  (no reference run found in Reference/lesson\(number); tools/update-reference.sh makes one)"
        }
        if comparable {
            return "  (in brackets: the reference run in Reference/lesson\(number), same flags; "
                + "only the seconds should differ much)"
        }
        let steps = reference.models.first.map { "\($0.steps) steps" } ?? ""
        return "  (the reference run in Reference/lesson\(number) used the default flags (seed 1, \(steps), 64 px); "
            + "this run's flags differ, so its numbers are not shown next to these)"
    }

    /// The learner's own earlier result for `model` in lesson `lesson` (from its metrics.json),
    /// if that lesson ran on the same data at the same size.
    /// A broken earlier file is named (and this run goes on without the comparison).
    public func earlierResult(lesson: Int, model: String) -> MetricsRecord? {
        let other = URL(fileURLWithPath: options.outputs).appendingPathComponent("lesson\(lesson)")
        let metricsFile = other.appendingPathComponent("metrics.json")
        do {
            guard let record = try LessonRecord.read(from: other), record.size == dataset.size,
                  record.data == options.dataDirectory else { return nil }
            guard FileManager.default.fileExists(atPath: metricsFile.path) else { return nil }
            let metrics: MetricsFile
            do { metrics = try MetricsFile.read(metricsFile.path) } catch {
                throw CourseError("\(metricsFile.relativePathFromCurrent) is unreadable: rerun lesson \(lesson)")
            }
            return metrics.models.first { $0.model == model }
        } catch {
            print("note: \(error) to compare with it here.")
            return nil
        }
    }

    // MARK: - Finishing

    /// Prints the closing text and where the outputs are, and writes `lesson.json`.
    ///
    /// A collapsed model (see `TrainingHealth`) is named first, so no conclusion stands unqualified
    /// over a model that learned nothing; `--quick` says its numbers are not the story.
    public func finish(conclusion: String, settings: String, pictures: [String]) throws {
        var conclusion = conclusion
        if options.quick {
            // Lesson 7 trains its segmenters itself, so `trained` may be empty.
            let steps = trained.first.map { "\($0.history.steps) steps" } ?? "a few steps"
            conclusion = "(--quick: \(steps) on \(dataset.size) px scenes test the plumbing; "
                + "the models are barely trained, so the text below describes numbers that mean little. "
                + "Run without --quick for the real experiment.)\n\n" + conclusion
        } else {
            var warnings = trained.compactMap { $0.blewUp || !$0.collapsed ? nil : $0.health.diagnosis(model: $0.name) }
            warnings += trained.compactMap { $0.history.recoveryNote(model: $0.name) }
            if !warnings.isEmpty { conclusion = warnings.joined(separator: "\n\n") + "\n\n" + conclusion }
        }
        let blownUp = trained.filter(\.blewUp)
        if !blownUp.isEmpty {
            conclusion = "The rest of this lesson's text is left out: it would explain numbers the models did not earn."
        }
        for r in blownUp.reversed() {
            let cause = options.useExercises
                ? "It trained with your own functions (--use-exercises): a wrong adamStep (2.5) or a wrong gradient does exactly this; "
                    + "`swift run course check` grades them one by one."
                : "Try another --seed."
            conclusion = "The \(r.name) DIVERGED: its held-out PSNR is \(fmt(r.scores.psnr)) dB, so its colors are off by more than "
                + "the whole 0-1 range on average and training pushed it away from the answer. \(cause)\n\n" + conclusion
        }
        if let predictions, trained.allSatisfy({ !$0.blewUp }) {
            let run = QuizRun(outputs: options.outputs, running: number, folder: runFolder.staging.path)
            conclusion += "\n\nYour predictions: " + Predictions.comparison(lesson: number, choices: predictions, run: run)
        }
        Chapter.heading("What we saw")
        Chapter.tell(conclusion)
        let record = LessonRecord(lesson: number, title: LessonCatalog.entry(number).title, seconds: elapsed,
                                  settings: settings, size: dataset.size, data: options.dataDirectory,
                                  conclusion: conclusion, pictures: pictures)
        try record.write(to: runFolder.staging)
        try runFolder.commit()
        print("")
        print("Outputs: \(pictures.map { folder.appendingPathComponent($0).relativePathFromCurrent }.joined(separator: ", "))")
        print("Lesson \(number) finished in \(fmt(elapsed, 0)) s.")
        print("Exercises: Exercises/Lesson\(number)/ (write them, then `swift run course check`; "
              + "`swift run course status` lists them, `--use-exercises` runs this lesson with yours).")
        if let next = LessonCatalog.lessons.first(where: { $0.number == number + 1 }) {
            print("Next: lesson \(next.number), \(next.title): `swift run -c release \(next.executable)`.")
        } else {
            print("That was the last lesson: `swift run -c release course compare` puts every lesson's pictures side by side.")
        }
        if let r = blownUp.first {
            throw CourseError("the \(r.name) diverged (held-out PSNR \(fmt(r.scores.psnr)) dB): its outputs are written but mean nothing; "
                + (options.useExercises ? "check your exercises with `swift run course check`" : "try another --seed"))
        }
    }
}

extension URL {
    /// The path relative to the current folder when inside it ("Outputs/lesson2/samples.png").
    var relativePathFromCurrent: String {
        let here = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
    }
}
