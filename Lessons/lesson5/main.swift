// Lesson 5 — The U-Net.
//
// Lesson 4's autoencoder plus one change: at every resolution, the decoder also receives the
// encoder's features of that resolution (concatenated as extra channels). Run it:
//
//     swift run -c release lesson5            (1-1.5 minutes on 2 cores; README: measured times)
import ArgumentParser
import CourseKit
import ExerciseFunctions
import LearnerParts
import Exercises
import PixelIO

struct Lesson5: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson5",
        abstract: "Lesson 5 — The U-Net: concatenate encoder features into the decoder at every level.",
        discussion: "Default: \(defaultSteps) training steps of \(LessonRun.defaultBatchSize) scenes at 64x64 (--quick: \(quickSteps) steps at 32x32).")

    static let defaultSteps = ColorizerSteps.unet
    static let quickSteps = 6

    @OptionGroup var options: LessonOptions

    @Option(help: "Poolings of the U-Net, 1 to 5 (default \(CourseModel.levels)). Each one more doubles what its bottleneck sees: `--size 128 --levels 4` is the measured fix for larger scenes (about 7 minutes on 2 cores; DocC lesson 5).")
    var levels: Int?

    /// Refuses a --levels the U-Net cannot be built with, before the lesson starts.
    func validate() throws {
        guard let levels else { return }
        if !(1...5).contains(levels) { throw CourseError("--levels must be between 1 and 5, got \(levels)") }
        let size = options.imageSize()
        guard size % (1 << levels) == 0 else {
            throw CourseError("--levels \(levels) halves the scene \(levels) times: the size (\(size) px) must be a multiple of \(1 << levels)")
        }
    }

    /// Exercise 5.5's windows beside the model's own count (UNet.receptiveField), path by path.
    func compareLearnerWindows(depth: Int) {
        let paths: [Int?] = (0..<depth).map { $0 } + [nil]
        func name(_ level: Int?) -> String { level.map { "skip \($0)" } ?? "bottleneck" }
        let theirs = paths.map { level in
            (try? uNetReceptiveField(depth: depth, throughSkip: level)).map { "\(name(level)) \($0) px" } ?? "\(name(level)): an error" }
        let ours = paths.map { "\(name($0)) \(UNet.receptiveField(depth: depth, throughSkip: $0)) px" }
        print("  Your uNetReceptiveField (exercise 5.5) says: \(theirs.joined(separator: ", ")); the model's own count says "
              + (theirs == ours ? "the same." : "\(ours.joined(separator: ", ")) (`swift run course check 5.5`)."))
        print("  Before the training below: at 256 px, which part of the sky can still see the horizon, and what color will the rest get?")
    }

    /// Which path's window covers most (three quarters) of a scene of `size` px.
    static func whoSeesTheScene(depth: Int, size: Int) -> String {
        let deepest = UNet.receptiveField(depth: depth, throughSkip: depth - 1), bottleneck = UNet.receptiveField(depth: depth, throughSkip: nil)
        if 4 * deepest >= 3 * size { return "The deepest skip alone already sees most of the scene." }
        if 4 * bottleneck >= 3 * size { return "Only the bottleneck sees most of the scene." }
        return "At this size no path sees most of the scene."
    }

    func run() throws {
        let lesson = try LessonRun(5, options: options)
        let steps = options.steps(default: Self.defaultSteps, quick: Self.quickSteps)
        let size = lesson.dataset.size
        let levels = self.levels ?? CourseModel.levels
        if let flag = self.levels { lesson.lessonFlags = ["--levels \(flag)"] }

        Chapter.tell("""
        The autoencoder knew *what* was where but had lost the fine *where*. The encoder had it: its
        first level still holds \(size)x\(size) features in which every blade and flower is sharp.
        A U-Net passes those features across — past the bottleneck — to the decoder level of the
        same resolution, and the decoder's convs take both: what came up from the bottleneck (the
        big picture) and what came across the skip (the detail). Nothing else changes: same layers,
        same pools, same transposed convs; the decoder's first conv at each level just takes twice
        as many input channels.
        """)

        // With --use-exercises: your concat (5.1, 5.2), max-pool and transposed conv (4.1-4.3)
        // where written; your uNetForward (5.4) is checked on the trained model afterwards.
        let parts = LearnerParts.forRun(lesson: 5, options: options)
        var rng = SeededGenerator(seed: UInt64(options.seed))
        let model = CourseModel.unet.buildUNet(levels: levels, parts: parts, rng: &rng)
        let withoutSkips = CourseModel.autoencoder.buildUNet(levels: levels, parts: options.kernelParts, rng: &rng)
        let checkWiring = options.useExercises ? learnerWiringCheck(parts, model) : nil
        Chapter.listing("The model, layer by layer (the joins are the skips):", parts: parts, size: lesson.dataset.size) { parts, rng in
            CourseModel.unet.buildUNet(levels: levels, parts: parts, rng: &rng)
        }
        Chapter.tell("""
        The U-Net has \(parameterCount(model)) weights; the same network without skips\(levels == CourseModel.levels ? " (lesson 4)" : "") has \
        \(parameterCount(withoutSkips)). The difference is only the wider first conv of each decoder level.

        How wide a window of the scene one output pixel sees, path by path (exercise 2.6's arithmetic \
        through the convs, pools and up-convs; metrics.json records it): through the skip of level \
        \((0..<model.depth).map { "\($0), \(UNet.receptiveField(depth: model.depth, throughSkip: $0)) px" }.joined(separator: "; ")) \
        (0 is full resolution); through the bottleneck \(UNet.receptiveField(depth: model.depth, throughSkip: nil)) px, \
        on a \(lesson.dataset.size) px scene. \(Self.whoSeesTheScene(depth: model.depth, size: lesson.dataset.size))
        """)
        if options.useExercises, learnerHasWritten("5.5") { compareLearnerWindows(depth: model.depth) }

        Chapter.heading("Training")
        Chapter.tell("Same data, loss, optimizer and schedule as lessons 2 and 4, \(steps) steps.")
        let earlier = [("plain stack", lesson.earlierResult(lesson: 2, model: "plain")),
                       ("autoencoder", lesson.earlierResult(lesson: 4, model: "autoencoder"))]
        let result = try lesson.trainAndReport(model, name: "unet", lesson.training("unet", steps: steps),
                                               title: "Lesson 5: U-Net, training and held-out loss") { evaluation in
            earlierPictures(evaluation.input, ran: earlier.map { $0.1 != nil })
        }
        checkWiring?(result.evaluation.input)

        let s = result.scores
        var conclusion = """
        Held-out PSNR \(fmt(s.psnr)) dB: \(fmt(s.psnrLow)) dB on the big picture and \(fmt(s.psnrHigh)) dB \
        on the detail.
        """
        if let scale = LessonVerdicts.detailAgainstBaseline("U-Net", psnrHigh: s.psnrHigh, baselines: lesson.baselines) {
            conclusion += " " + scale
        }
        let known = earlier.compactMap { name, record in record.map { (name, $0) } }
        if !known.isEmpty {
            print("")
            print("Side by side with your earlier lessons (same held-out scenes):")
            var rows = [["model", "PSNR dB", "PSNR low", "PSNR high", "steps", "training s"]]
            for (name, r) in known {
                rows.append([name, fmt(r.psnr), fmt(r.psnrLow), fmt(r.psnrHigh), "\(r.steps)", fmt(r.seconds, 0)])
            }
            rows.append(["U-Net", fmt(s.psnr), fmt(s.psnrLow), fmt(s.psnrHigh), "\(steps)", fmt(result.history.seconds, 0)])
            Chapter.table(rows)
            for (name, r) in known {
                conclusion += """
                 Against your \(name): \(signed(s.psnr - r.psnr)) dB overall, \(signed(s.psnrLow - r.psnrLow)) dB \
                low, \(signed(s.psnrHigh - r.psnrHigh)) dB high.
                """
            }
            if let plain = earlier[0].1 {
                // Say which margin is the thin one, from the numbers, rather than let a table imply
                // the U-Net wins everything by a mile.
                conclusion += " " + LessonVerdicts.uNetAgainstPlain(unet: s, plain: plain)
            }
        } else {
            conclusion += " (Run lessons 2 and 4 first to see all three side by side.)"
        }
        if let regions = result.evaluation.regions {
            print("")
            print("Where the errors are (held-out scenes, by what each pixel shows):")
            regions.printTable(model: "unet")
            if let lake = regions.entry(.lake), let shift = regions.shift(of: .lake, toward: .sky) {
                conclusion += """


                The lake: \(fmt(lake.psnr)) dB, its painted color \(fmt(100 * shift, 0))% of the way toward sky \
                color (\(fmt(100 * lake.bluerThanGreen, 0))% of its pixels bluer than green). The small things: \
                flowers \(regions.entry(.flower).map { fmt($0.psnr) } ?? "-") dB, the horse \
                \(regions.entry(.horse).map { fmt($0.psnr) } ?? "-") dB, dirt \(regions.entry(.dirt).map { fmt($0.psnr) } ?? "-") dB.
                """
            }
        }
        var skipPictures: [String] = [], ignoresBottleneck = false
        if !result.collapsed && !result.blewUp {
            skipPictures = ["skips.png", "skip-features.png"]
            let skipsOnly = try HeldOutEvaluation.run(model, zeroing: \.zeroBottleneck, on: lesson.dataset, limit: lesson.evaluationLimit)
            let bottleneckOnly = try HeldOutEvaluation.run(model, zeroing: \.zeroSkips, on: lesson.dataset, limit: lesson.evaluationLimit)
            conclusion += "\n\n" + LessonVerdicts.whatEachPathCarries(
                full: s, skipsOnly: skipsOnly.scores, bottleneckOnly: bottleneckOnly.scores)
            try writeSkipPictures(lesson, model, result, skipsOnly: skipsOnly, bottleneckOnly: bottleneckOnly)
            ignoresBottleneck = LessonVerdicts.ignoresBottleneck(full: s, skipsOnly: skipsOnly.scores)
        }
        conclusion += "\n\n" + LessonVerdicts.uNetWhy(unet: s, collapsed: result.collapsed, autoencoder: earlier[1].1,
                                                      ignoresBottleneck: ignoresBottleneck, meadow: lesson.usesMeadowScenes)
            + " Lesson 6 takes the skips away one level at a time to see which one carries what."
        var sizePictures: [String] = []
        if lesson.usesMeadowScenes && !result.collapsed && !result.blewUp {
            let (table, text, scores) = try OtherSizes(model: model, lesson: lesson).run(trained: result.evaluation)
            if table.count > 2 {
                // Kept in metrics.json: the prediction on larger scenes is answered from them.
                var metrics = try MetricsFile.read(lesson.path("metrics.json"))
                metrics.sceneSizes = scores
                try metrics.write(to: lesson.path("metrics.json"))
                print("")
                print("The same trained U-Net on larger scenes:")
                Chapter.table(table)
                conclusion += "\n\n" + text
                sizePictures = ["sizes.png"]
            }
        }
        try lesson.finish(conclusion: conclusion, settings: lesson.settings(steps: steps),
                          pictures: ["samples.png", "detail.png"] + skipPictures + sizePictures + ["curves.png", "metrics.json"])
    }

    /// skips.png: the first held-out scenes painted with both paths, with the skips only and with
    /// the bottleneck only (the evaluations' own pictures); skip-features.png: what each level's
    /// skip carries for the first scene.
    func writeSkipPictures(_ lesson: LessonRun, _ model: UNet, _ result: ColorizerResult,
                           skipsOnly: HeldOutEvaluation, bottleneckOnly: HeldOutEvaluation) throws {
        let e = result.evaluation
        try LessonOutputs.writeSamples(to: lesson.path("skips.png"), inputs: e.input.firstImages(3), targets: e.target.firstImages(3),
                                       predictions: [("unet", e.prediction.firstImages(3)),
                                                     ("skips only", skipsOnly.prediction.firstImages(3)),
                                                     ("bottleneck only", bottleneckOnly.prediction.firstImages(3))])
        _ = model.forward(e.input.firstImages(1))  // fills lastSkips with the first scene's
        let levels = model.lastSkips.enumerated().map { level, t in ("skip \(level) \(t.shape[2])px", t) }
        try SkipPictures.features(levels, size: lesson.dataset.size * 2).writePNG(to: lesson.path("skip-features.png"))
    }

    /// The plain stack's and the autoencoder's pictures of the same held-out scenes, painted by
    /// lessons 2 and 4's saved models (their checkpoints) for samples.png and detail.png: the
    /// exact colors, not the 8-bit strips. `ran`: whether each lesson ran on this data and size.
    func earlierPictures(_ input: Tensor, ran: [Bool]) -> [(name: String, images: Tensor)] {
        zip([CourseModel.plain, .autoencoder], ran).compactMap { kind, ran in
            guard ran, let model = (try? Painting.trained(kind, outputs: options.outputs)) ?? nil else { return nil }
            return (kind.name, model.forward(input))
        }
    }

    /// `--use-exercises` with `uNetForward` (5.4) written: a check to run after training — the
    /// learner's wiring of the trained model's parts must paint the same picture as the model itself.
    func learnerWiringCheck(_ parts: Parts, _ model: UNet) -> ((Tensor) -> Void)? {
        let wiring = learnerHasWritten("5.4")
        if wiring { print("--use-exercises: your uNetForward (5.4) runs on the trained model after training.") }
        guard wiring else { return nil }
        let join = parts.concat("your uNetForward's join")  // the model's own kind of join: yours with 5.1 and 5.2 written
        return { input in
            // uNetForward takes the pools apart; the model keeps each pool at the front of the next block.
            func unpooled(_ block: Sequential) -> Layer { Sequential(block.name, Array(block.layers.dropFirst())) }
            let pooled = Array(model.encoders.dropFirst()) + [model.bottleneck]
            let yours = learnerCall("uNetForward") {
                try uNetForward(input, encoders: [model.encoders[0] as Layer] + pooled.dropLast().map(unpooled),
                                pools: pooled.map { $0.layers[0] }, bottleneck: unpooled(model.bottleneck),
                                ups: model.ups, decoders: model.decoders, head: model.head,
                                join: { up, skip in join.forward(up, skip) })
            }
            let own = model.forward(input)
            print("")
            print("--use-exercises: your uNetForward (5.4) on the trained model's parts, \(input.shape[0]) held-out scenes: "
                + (yours.shape == own.shape
                    ? "largest difference from the model's own output \(zip(yours.values, own.values).map { abs($0 - $1) }.max() ?? 0)."
                    : "output shape \(yours.shape), but the model's is \(own.shape)."))
        }
    }
}

Lesson5.main()
