// Lesson 2 — A plain conv stack.
//
// Seven 3x3 convolutions with ReLU between them, trained to turn a gray meadow into a colored
// one. No pooling, no skips: every layer works at full resolution. Run it:
//
//     swift run -c release lesson2            (about a minute)
//     swift run -c release lesson2 --help     (flags)
import ArgumentParser
import CourseKit
import Exercises
import ExerciseFunctions
import LearnerParts

struct Lesson2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson2",
        abstract: "Lesson 2 — A plain conv stack: conv, ReLU, MSE, Adam and the training loop.",
        discussion: "Default: \(defaultSteps) training steps of \(LessonRun.defaultBatchSize) scenes at 64x64 (--quick: \(quickSteps) steps at 32x32).")

    static let defaultSteps = ColorizerSteps.plain
    static let quickSteps = 6

    @OptionGroup var options: LessonOptions

    func run() throws {
        let lesson = try LessonRun(2, options: options)
        let steps = options.steps(default: Self.defaultSteps, quick: Self.quickSteps)

        Chapter.tell("""
        A convolution slides a small window (here 3x3 pixels) over the image and computes, at every
        pixel, a weighted sum of what the window sees — the same weights everywhere. Stack several,
        with a ReLU (max(0, x)) after each but the last, and the stack can learn any local rule
        "this patch of gray means that color". We stack 7 convs of 32 channels, keep the full
        \(lesson.dataset.size)x\(lesson.dataset.size) resolution throughout, and train them on
        \(lesson.dataset.summary).
        """)

        // The parts the model is built from: TensorCore's, or with --use-exercises your conv,
        // ReLU, MSE and Adam wherever you have written them (exercises 2.1-2.5).
        let parts = LearnerParts.forRun(lesson: 2, options: options)
        var rng = SeededGenerator(seed: UInt64(options.seed))
        let model = CourseModel.plainStack(parts: parts, rng: &rng)
        let training = lesson.training("plain", steps: steps).using(parts)
        Chapter.listing("The model, layer by layer:", parts: parts, size: lesson.dataset.size) { parts, rng in
            CourseModel.plain.build(parts: parts, rng: &rng)
        }

        Chapter.heading("How far can one output pixel see?")
        let field = model.receptiveField
        Chapter.tell("""
        Each 3x3 conv lets an output pixel depend on one more pixel in every direction, so after
        \(model.depth) convs one output pixel sees a \(field)x\(field) window of the input: \(fmt(100 * Double(field * field) / Double(lesson.dataset.size * lesson.dataset.size), 0))% of
        the picture. The lake and the sky have the same gray levels and are both smooth; only
        *where* a smooth patch sits (above the horizon, or below it and ringed by grass) says blue
        or teal. From the middle of the lake, \(field / 2) pixels in every direction are usually all
        lake. Prediction: sharp detail everywhere, the wrong color on the lake.
        """)
        if options.useExercises, learnerHasWritten("2.6") {
            let theirs = (try? receptiveField(kernels: Array(repeating: 3, count: model.depth),
                                              strides: Array(repeating: 1, count: model.depth))).map(String.init) ?? "an error"
            print("  Your receptiveField (exercise 2.6) says: \(theirs); the model's own count says \(field).")
        }

        Chapter.heading("Training")
        Chapter.tell("""
        The training loop, \(steps) times: take \(training.batchSize) scenes, run the stack forward, measure the mean
        squared error (MSE) against the true colors, run backward to get every weight's gradient,
        and let Adam move the weights a little (learning rate \(training.learningRate), reached
        after a \(training.schedule.warmupSteps)-step warmup, then falling along a cosine to \(fmt(training.schedule.finalFraction * 100, 0))% of it by the end).
        One safety measure: a gradient more than \(fmt(GradientClip.factor, 0))x the size of the recent ones is scaled
        down first, because Adam would turn it into a step several times the learning rate (every
        lesson trains this way; Sources/CourseKit/Training/GradientClip.swift says why).
        The model has \(parameterCount(model)) weights.
        """)
        let result = try lesson.trainAndReport(model, name: "plain", training, title: "Lesson 2: plain conv stack, training and held-out loss")

        var conclusion = """
        Held-out PSNR \(fmt(result.scores.psnr)) dB overall: \(fmt(result.scores.psnrHigh)) dB on the \
        detail (the high band) and \(fmt(result.scores.psnrLow)) dB on the big picture (the low band, \
        colors blurred over about 5 px).
        """
        if let scale = LessonVerdicts.detailAgainstBaseline("plain stack", psnrHigh: result.scores.psnrHigh, baselines: lesson.baselines) {
            conclusion += " " + scale
        }
        if let regions = result.evaluation.regions {
            print("")
            print("Where the errors are (held-out scenes, by what each pixel shows):")
            regions.printTable(model: "plain")
            if let lake = regions.entry(.lake), let sky = regions.entry(.sky), let grass = regions.entry(.grass),
               let shift = regions.shift(of: .lake, toward: .sky) {
                let worst = lake.psnr < sky.psnr && lake.psnr < grass.psnr
                conclusion += """


                On the lake the stack scores \(fmt(lake.psnr)) dB, against \(fmt(sky.psnr)) dB on the sky and \
                \(fmt(grass.psnr)) dB on the grass\(worst ? ": the lake is its worst large region" : ""). The mean \
                color it painted on the lake is \(lake.predictedColor.rgbText); the true lake is \
                \(lake.trueColor.rgbText) and the true sky \(sky.trueColor.rgbText): the painted lake moved \
                \(fmt(100 * shift, 0))% of the way from lake color toward sky color, and \(fmt(100 * lake.bluerThanGreen, 0))% \
                of its pixels came out bluer than green, as only sky should. \(shift > 0.25
                    ? "Locally the lake looks like the sky, and the stack hedges between the two."
                    : "In this run the stack told the lake from the sky better than expected.") The small \
                things: flowers \(regions.entry(.flower).map { fmt($0.psnr) } ?? "-") dB, the horse \
                \(regions.entry(.horse).map { fmt($0.psnr) } ?? "-") dB. Compare the lake and the blades with \
                the target column in samples.png.
                """
            }
        }
        // The meadow's lake is the example; on the learner's own pictures (--data) there is none.
        let farther = lesson.usesMeadowScenes ? "the lake needs the whole scene"
            : "whatever in your pictures needs more than that window to be told apart, it cannot tell"
        conclusion += """


        Why: every pixel's color is decided from a \(field)x\(field) window. Fine detail needs only \
        that; \(farther). Lesson 4 gives the network a way to see the whole scene — at a price.
        """
        try lesson.finish(conclusion: conclusion, settings: lesson.settings(steps: steps),
                          pictures: ["samples.png", "detail.png", "curves.png", "metrics.json"])
    }
}

Lesson2.main()
