// Lesson 4 — The autoencoder.
//
// Pool the picture down to a small bottleneck and grow it back with transposed convolutions: the
// network now sees the whole scene, but everything must pass through an 8x8 grid. Run it:
//
//     swift run -c release lesson4            (1-1.5 minutes on 2 cores; README: measured times)
import ArgumentParser
import CourseKit
import LearnerParts
import ExerciseFunctions
import Exercises

struct Lesson4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson4",
        abstract: "Lesson 4 — The autoencoder: pooling down to a bottleneck, transposed convs back up.",
        discussion: "Default: \(defaultSteps) training steps of \(LessonRun.defaultBatchSize) scenes at 64x64 (--quick: \(quickSteps) steps at 32x32).")

    static let defaultSteps = ColorizerSteps.autoencoder
    static let quickSteps = 6

    @OptionGroup var options: LessonOptions

    func run() throws {
        let experiment = options.useExercises && learnerHasWritten("4.4")  // exercise 4.4: a wider bottleneck
        let lesson = try LessonRun(4, options: options, experiments: experiment ? ["4.4"] : [])
        let steps = options.steps(default: Self.defaultSteps, quick: Self.quickSteps)
        let size = lesson.dataset.size

        Chapter.tell("""
        Lesson 2's stack saw only a small window. The classic fix is to shrink the picture: a 2x2
        max-pool keeps the largest value of every 2x2 block, halving width and height, so a 3x3
        conv after it spans twice as many input pixels. Three pools (with two convs before each)
        take \(size)x\(size) down to \(size / 8)x\(size / 8). Then the decoder grows it back: a
        2x2 transposed convolution turns every pixel into a learned 2x2 block, three times, with two
        convs after each, and a 1x1 conv makes the three color channels. This is an autoencoder; in
        this course it is literally the U-Net of lesson 5 with its skips switched off.
        """)

        // With --use-exercises: your max-pool (4.1, 4.2) and transposed conv (4.3) where written.
        let parts = LearnerParts.forRun(lesson: 4, options: options)
        // With --use-exercises: the experiment of exercise 4.4, a bottleneck with twice the room.
        let wider = experiment ? widerBottleneck(side: size) : nil
        var rng = SeededGenerator(seed: UInt64(options.seed))
        let model = CourseModel.autoencoder.buildUNet(bottleneckChannels: wider, parts: parts, rng: &rng)
        Chapter.listing("The model, layer by layer:", parts: parts, size: size) { parts, rng in
            CourseModel.autoencoder.buildUNet(bottleneckChannels: wider, parts: parts, rng: &rng)
        }

        Chapter.heading("The bottleneck")
        let bottleneckSide = size >> model.depth
        let bottleneckChannels = wider ?? Self.usualBottleneckChannels
        let bottleneckValues = bottleneckSide * bottleneckSide * bottleneckChannels
        // The meadow's regions are the example; the learner's own pictures (--data) have none.
        let (summary, finest, lake) = lesson.usesMeadowScenes
            ? ("\"lake here, horse there\"", "1-px grass blade", " — the lake teal, at last —") : ("what is where", "1-px edge", "")
        Chapter.tell("""
        Everything the decoder knows about a scene passes through a \(bottleneckSide)x\(bottleneckSide) grid of \
        \(bottleneckChannels) channels: \(bottleneckValues) numbers for a \(size)x\(size) gray picture of \
        \(size * size) pixels. That is not few numbers. But each of them stands for an \
        \(size / bottleneckSide)x\(size / bottleneckSide) block, and through the convs and pools one output \
        pixel depends on a window \(UNet.receptiveField(depth: model.depth, throughSkip: nil)) px wide of the \
        \(size) px scene (the plain stack's: \(CourseModel.receptiveFields.plain) px). The encoder is rewarded for summarising \
        (\(summary)), and the decoder must redraw every \(finest) from that summary. Prediction: the right broad \
        colors\(lake) and blurred detail. \
        (Is it the number of values or the poolings that loses the detail? `lesson6 --depth-sweep` \
        measures it, with bottlenecks of 32 to 4 px.)
        """)

        Chapter.heading("Training")
        Chapter.tell("""
        Same data, same loss, same optimizer and schedule as lesson 2, \(steps) steps. The model has \
        \(parameterCount(model)) weights.
        """)
        let result = try lesson.trainAndReport(model, name: "autoencoder", lesson.training("autoencoder", steps: steps),
                                               title: "Lesson 4: autoencoder, training and held-out loss")

        var conclusion = """
        Held-out PSNR \(fmt(result.scores.psnr)) dB: \(fmt(result.scores.psnrLow)) dB on the big picture \
        (low band) and \(fmt(result.scores.psnrHigh)) dB on the detail (high band).
        """
        if let scale = LessonVerdicts.detailAgainstBaseline("autoencoder", psnrHigh: result.scores.psnrHigh, baselines: lesson.baselines) {
            conclusion += " " + scale
        }
        let plain = lesson.earlierResult(lesson: 2, model: "plain")
        if let earlier = plain {
            conclusion += """
             Your lesson 2 plain stack scored \(fmt(earlier.psnrLow)) dB (low) and \(fmt(earlier.psnrHigh)) dB \
            (high): the autoencoder is \(signed(result.scores.psnrLow - earlier.psnrLow)) dB on the big picture \
            and \(signed(result.scores.psnrHigh - earlier.psnrHigh)) dB on the detail.
            """
        }
        if let regions = result.evaluation.regions {
            print("")
            print("Where the errors are (held-out scenes, by what each pixel shows):")
            regions.printTable(model: "autoencoder")
            if let lake = regions.entry(.lake), let shift = regions.shift(of: .lake, toward: .sky) {
                conclusion += """


                The lake: \(fmt(lake.psnr)) dB, mean painted color \(lake.predictedColor.rgbText) for a true \
                \(lake.trueColor.rgbText) — it moved \(fmt(100 * shift, 0))% of the way toward sky color \
                (\(fmt(100 * lake.bluerThanGreen, 0))% of its pixels bluer than green). The small things: flowers \
                \(regions.entry(.flower).map { fmt($0.psnr) } ?? "-") dB, the horse \
                \(regions.entry(.horse).map { fmt($0.psnr) } ?? "-") dB, dirt \(regions.entry(.dirt).map { fmt($0.psnr) } ?? "-") dB. \
                Compare the blades, flowers and horse with the target column in samples.png.
                """
            }
        }
        if let wider {
            conclusion += "\n\n" + experimentResult(wider, result.scores, blurredDetail: lesson.baselines?.blurredTarget.psnrHigh)
        }
        conclusion += "\n\n" + LessonVerdicts.autoencoderWhy(
            autoencoder: result.scores, collapsed: result.collapsed, plain: plain, bottleneckSide: bottleneckSide, steps: steps,
            meadow: lesson.usesMeadowScenes)
        try lesson.finish(conclusion: conclusion, settings: lesson.settings(steps: steps),
                          pictures: ["samples.png", "detail.png", "curves.png", "metrics.json"])
    }

    /// Lesson 4's bottleneck: 16 channels doubled at each of the three levels.
    static let usualBottleneckChannels = 16 << CourseModel.levels
    /// Exercise 4.4's experiment: room for this many numbers per input pixel, twice lesson 4's.
    static let experimentValuesPerPixel = 4

    /// The learner's `bottleneckChannels` (4.4) for the experiment, or nil (said why) when it
    /// throws or gives a width this laptop should not train.
    func widerBottleneck(side: Int) -> Int? {
        let call = "your bottleneckChannels (exercise 4.4) for \(Self.experimentValuesPerPixel) values per pixel"
        do {
            let channels = try Exercises.bottleneckChannels(side: side, depth: CourseModel.levels, valuesPerPixel: Self.experimentValuesPerPixel)
            guard (1...1024).contains(channels) else {
                print("--use-exercises: \(call) gives \(channels) channels, outside 1...1024: the autoencoder keeps its \(Self.usualBottleneckChannels) (`swift run course check 4.4`).")
                return nil
            }
            print("--use-exercises: \(call) gives \(channels) channels (lesson 4's model: \(Self.usualBottleneckChannels)); the autoencoder trains with it.")
            return channels
        } catch {
            print("--use-exercises: \(call) threw \(error): the autoencoder keeps its \(Self.usualBottleneckChannels) (`swift run course check 4.4`).")
            return nil
        }
    }

    /// The experiment's result beside the reference run's autoencoder, when this run trained like it.
    func experimentResult(_ channels: Int, _ scores: QualityScores, blurredDetail: Double?) -> String {
        var text = "Your experiment (exercise 4.4): a bottleneck of \(channels) channels instead of \(Self.usualBottleneckChannels)."
        guard options.trainsLikeReferenceRun, let reference = ReferenceRun.metrics(lesson: 4)?.models.first(where: { $0.model == "autoencoder" }) else {
            return text + " Run it with the default flags (seed 1, default steps, 64 px) to set it beside the reference run's autoencoder."
        }
        let detail = scores.psnrHigh - reference.psnrHigh, big = scores.psnrLow - reference.psnrLow
        text += """
         Beside the reference run's autoencoder (same seed, data and steps; Reference/lesson4): \
        \(signed(detail)) dB on the detail band (\(fmt(reference.psnrHigh)) -> \(fmt(scores.psnrHigh))) and \(signed(big)) dB on the \
        big picture (\(fmt(reference.psnrLow)) -> \(fmt(scores.psnrLow))). The exercise asked whether the detail would rise by \
        more than 1 dB: \(detail > 1 ? "it did" : "it did not"). One seed decides little (lesson 6 measures the spread between seeds); \
        the blurred target, a picture with no detail at all, scores \(blurredDetail.map { fmt($0) } ?? "-") dB there.
        """
        return text
    }
}

Lesson4.main()
