// Lesson 6 — Experiments.
//
// Take the U-Net apart and measure what each piece carries: remove the skips one level at a
// time, add instead of concatenate, zero the bottleneck — each variant on 3 seeds, because a
// difference smaller than the seed-to-seed spread is not a finding. Run it:
//
//     swift run -c release lesson6                 (1-2 minutes on 2 cores; README: measured times)
//     swift run -c release lesson6 --depth-sweep   (also the bottleneck at 64 px: DepthSweep.swift)
import ArgumentParser
import CourseKit
import ExerciseFunctions
import Exercises
import Foundation
import PixelIO

struct Lesson6: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson6",
        abstract: "Lesson 6 — Experiments: remove skips level by level, concat vs add, zero the bottleneck, 3 seeds.",
        discussion: """
        Default: \(variants.count) variants x \(defaultSeeds) seeds, \(defaultSteps) steps each of \(LessonRun.defaultBatchSize) scenes at \
        \(defaultSize)x\(defaultSize) (--quick: \(quickSteps) steps, 1 seed). --seed is the first of the seeds.
        """)

    static let defaultSteps = 400
    static let quickSteps = 3
    static let defaultSize = 32
    static let defaultSeeds = 3

    static let variants: [Variant] = [
        Variant(name: "unet", skips: [.concat, .concat, .concat], question: "the full U-Net (lesson 5)"),
        Variant(name: "no-skip0", skips: [.none, .concat, .concat],
                question: "without the full-resolution skip (level 0)"),
        Variant(name: "no-skip01", skips: [.none, .none, .concat],
                question: "without the two finest skips (levels 0 and 1)"),
        Variant(name: "autoencoder", skips: [.none, .none, .none], question: "without any skip (lesson 4)"),
        Variant(name: "add", skips: [.add, .add, .add], question: "skips that add instead of concatenate"),
        Variant(name: "zero-bottleneck", skips: [.concat, .concat, .concat], zeroBottleneck: true,
                question: "all skips, but the bottleneck always zero: only the skips carry information"),
    ]

    @Option(help: "How many seeds per variant, 1 to 20 (default: \(Self.defaultSeeds); 1 with --quick).")
    var seeds: Int?

    @Flag(help: "Also the bottleneck experiment at \(DepthSweep.size) px: autoencoder and U-Net with bottlenecks of 32, 16, 8 and 4 px, and the 16 px U-Net without its bottleneck or its coarsest skip, \(DepthSweep.steps) steps each on the same seeds (\(DepthSweep.variants.count) more models per seed: 15-20 minutes on 2 cores).")
    var depthSweep = false

    @OptionGroup var options: LessonOptions

    func validate() throws {
        if let seeds, seeds < 1 || seeds > 20 { throw CourseError("--seeds must be between 1 and 20, got \(seeds)") }
    }

    func run() throws {
        // With --use-exercises: the learner's own skip plan (exercise 6.5) as one more variant.
        let experiment = options.useExercises && learnerHasWritten("6.5")
        let lesson = try LessonRun(6, options: options, defaultSize: Self.defaultSize, experiments: experiment ? ["6.5"] : [])
        let steps = options.steps(default: Self.defaultSteps, quick: Self.quickSteps)
        let seedCount = seeds ?? (options.quick ? 1 : Self.defaultSeeds)
        let seedList = (0..<seedCount).map { options.seed + $0 }
        let size = lesson.dataset.size
        let yours = experiment ? learnerVariant() : nil
        let variants = Self.variants + (yours.map { [$0] } ?? [])

        Chapter.tell("""
        Lessons 2, 4 and 5 each trained one model on one seed. A seed fixes the initial weights and
        the order of the training scenes; another seed gives a slightly different model and slightly
        different numbers. So every experiment here runs on \(seedCount) seed(s) \
        (\(seedList.map(String.init).joined(separator: ", "))), and a difference counts only when it is
        larger than the spread between seeds.

        To fit \(variants.count) variants x \(seedCount) seeds in one to two minutes, each run is
        shorter than in lessons 4 and 5: \(steps) steps on \(size)x\(size) scenes. Absolute numbers are
        therefore not comparable with lesson 5's; the differences between variants are the point.
        The variants:
        """)
        for v in variants { print("  - \(v.name): \(v.question)") }

        Chapter.heading("Training \(variants.count * seedCount) models")
        var runs: [String: [ColorizerResult]] = [:]
        var zeroedAtTest: [QualityScores] = []
        for seed in seedList {
            for variant in variants {
                let (model, result) = try variant.train(lesson, seed: seed, steps: steps, save: seed == options.seed)
                runs[variant.name, default: []].append(result)
                if variant.name == "unet" {
                    // The trained U-Net with its bottleneck zeroed only at test time.
                    zeroedAtTest.append(try HeldOutEvaluation.run(model, zeroing: \.zeroBottleneck, on: lesson.dataset,
                                                                  limit: lesson.evaluationLimit).scores)
                }
            }
        }

        var sweep: [String: [ColorizerResult]] = [:]
        if depthSweep {
            Chapter.heading("The bottleneck at \(DepthSweep.size) px: \(DepthSweep.variants.count * seedCount) more models")
            sweep = try DepthSweep(lesson: lesson, seeds: seedList,
                                   steps: options.quick ? DepthSweep.quickSteps : DepthSweep.steps).run()
        }

        // Outputs: the first seed's pictures and curves, every run's metrics.
        let firstSeed = variants.map { runs[$0.name]![0] }
        try lesson.writeColorizerOutputs(firstSeed, title: "Lesson 6: variants, training and held-out loss (seed \(options.seed))",
                                         records: variants.flatMap { v in runs[v.name]!.map(\.record) }
                                             + DepthSweep.variants.flatMap { v in sweep[v.name]?.map(\.record) ?? [] })

        // The table: mean ± spread over seeds.
        var rows = [["variant", "PSNR dB", "PSNR low", "PSNR high", "SSIM", "params"]]
        var summary: [String: Summary] = [:]
        for v in variants {
            let s = Summary(runs[v.name]!.map(\.scores), params: runs[v.name]![0].record.params)
            summary[v.name] = s
            rows.append([v.name, s.psnr.text, s.low.text, s.high.text, s.ssim.text, "\(s.params)"])
        }
        let zeroed = Summary(zeroedAtTest, params: summary["unet"]!.params)
        rows.append(["unet, bottleneck zeroed at test", zeroed.psnr.text, zeroed.low.text, zeroed.high.text, zeroed.ssim.text, "-"])
        print("")
        print("Held-out scores, mean ± spread (half the range) over \(seedCount) seed(s):")
        Chapter.table(rows)
        let tableText = Chapter.tableText(rows)
        try writeFileAtomically(Array((tableText + "\n").utf8), to: lesson.path("experiments.txt"))
        try writeChart(lesson, summary, variants: variants)

        var conclusion = conclude(summary, zeroed: zeroed, seedCount: seedCount)
        if let yours { conclusion += "\n\n" + ExperimentVerdicts(seedCount: seedCount).yourPlan(yours, summary) }
        var pictures = ["experiments.png", "experiments.txt", "samples.png", "detail.png", "curves.png", "metrics.json"]
        if depthSweep {
            let (table, text) = DepthSweep.report(sweep, seedCount: seedCount)
            print("")
            print("The bottleneck at \(DepthSweep.size) px, held-out scores, mean ± spread over \(seedCount) seed(s):")
            Chapter.table(table)
            try writeFileAtomically(Array((Chapter.tableText(table) + "\n").utf8), to: lesson.path("depth-sweep.txt"))
            conclusion += "\n\n" + text
            pictures.insert("depth-sweep.txt", at: 2)
        } else {
            conclusion += "\n\nWhat the bottleneck is for, decided at \(DepthSweep.size) px: `lesson6 --depth-sweep` (15-20 minutes; the reference run's table is Reference/lesson6/depth-sweep.txt)."
        }
        try lesson.finish(conclusion: conclusion, settings: lesson.settings(steps: steps) + ", \(seedCount) seeds",
                          pictures: pictures)
    }

    /// The closing text: each comparison with its measured difference, and words chosen by the
    /// numbers (never assumed): a gap counts only when it is larger than the seeds' spread.
    func conclude(_ s: [String: Summary], zeroed: Summary, seedCount: Int) -> String {
        let unet = s["unet"]!, no0 = s["no-skip0"]!, no01 = s["no-skip01"]!, ae = s["autoencoder"]!
        let add = s["add"]!, zero = s["zero-bottleneck"]!
        let v = ExperimentVerdicts(seedCount: seedCount)
        let lost = unet.psnr.mean - zeroed.psnr.mean
        return """
        Removing skips, finest first. PSNR high (detail): \(fmt(unet.high.mean)) dB with every skip, \
        \(fmt(no0.high.mean)) without level 0 (\(v.verdict(unet.high, no0.high))), \(fmt(no01.high.mean)) without \
        levels 0 and 1, \(fmt(ae.high.mean)) without any (\(v.verdict(unet.high, ae.high))).\
        \(v.whereTheDetailRides(unet: unet, no0: no0, no01: no01, autoencoder: ae)) \
        PSNR low (big picture): \(fmt(unet.low.mean)), \(fmt(no0.low.mean)), \(fmt(no01.low.mean)), \
        \(fmt(ae.low.mean)) dB — \(v.bigPicture(unet: unet, autoencoder: ae)).

        Concat vs add: adding the encoder's features instead of concatenating them scores \
        \(fmt(add.psnr.mean)) dB against \(fmt(unet.psnr.mean)) dB (\(v.verdict(add.psnr, unet.psnr))), \
        with \(paramsText(s, "add")) weights instead of \(paramsText(s, "unet")). \(v.join(add: add, concat: unet))

        Zero the bottleneck. Trained with its bottleneck always zero, the U-Net scores \(fmt(zero.psnr.mean)) dB \
        (low \(fmt(zero.low.mean)), high \(fmt(zero.high.mean))) against the full U-Net's \(fmt(unet.psnr.mean)) \
        (low \(fmt(unet.low.mean)), high \(fmt(unet.high.mean))) and the autoencoder's \(fmt(ae.psnr.mean)) \
        (high \(fmt(ae.high.mean))): \(v.skipsAlone(zeroBottleneck: zero, autoencoder: ae)), and without the \
        bottleneck the big picture is \(fmt(abs(unet.low.mean - zero.low.mean))) dB \(zero.low.mean < unet.low.mean ? "worse" : "better") \
        (\(v.verdict(zero.low, unet.low))).
        The full U-Net trained normally and given a zero bottleneck only at test time scores \
        \(fmt(zeroed.psnr.mean)) dB (low \(fmt(zeroed.low.mean)), high \(fmt(zeroed.high.mean))): \
        \(v.relianceOnTheBottleneck(lost: lost)).

        Removing skips needed no other change to the architecture — the decoder's input channels \
        shrink, nothing else — and the numbers above say what each one carried (experiments.txt, \
        experiments.png; every run in metrics.json).
        """
    }

    func paramsText(_ s: [String: Summary], _ name: String) -> String { "\(s[name]!.params)" }

    /// The learner's `skipPlan` (6.5) for lesson 6's three levels as a variant, or nil (said why)
    /// when it throws or does not give one answer per level.
    func learnerVariant() -> Variant? {
        let levels = Self.variants[0].depth  // lesson 6's U-Nets
        guard let plan = try? skipPlan(levels: levels), plan.count == levels else {
            print("--use-exercises: your skipPlan (exercise 6.5) threw or did not give \(levels) answers for \(levels) levels, so it is not trained (`swift run course check 6.5`).")
            return nil
        }
        let kept = plan.indices.filter { plan[$0] }
        let which = kept.isEmpty ? "no skip" : "only level " + kept.map(String.init).joined(separator: " and ")
        print("--use-exercises: your skipPlan (exercise 6.5) keeps \(which); it trains as the variant \"yours\".")
        return Variant(name: "yours", skips: plan.map { $0 ? .concat : .none }, question: "your plan (exercise 6.5): \(which)")
    }

    func writeChart(_ lesson: LessonRun, _ summary: [String: Summary], variants: [Variant]) throws {
        let unet = summary["unet"]!
        let others = variants.map(\.name)
        var chart = BarChart(title: "Variants vs the U-Net: mean over seeds, whiskers +/- half the range",
                             valueLabel: "dB relative to the full U-Net", categories: others)
        try chart.addSeries("PSNR low (big picture)", values: others.map { summary[$0]!.low.mean - unet.low.mean },
                            spreads: others.map { summary[$0]!.low.spread })
        try chart.addSeries("PSNR high (detail)", values: others.map { summary[$0]!.high.mean - unet.high.mean },
                            spreads: others.map { summary[$0]!.high.spread })
        try chart.render(width: 720, height: 420).writePNG(to: lesson.path("experiments.png"))
    }
}

/// The sentences of lesson 6's conclusion, each chosen by the measurements: a gap between two
/// variants counts only when it is larger than the seeds' spread, and one seed decides nothing.
struct ExperimentVerdicts {
    let seedCount: Int

    /// Whether `a` and `b` differ by more than their spreads together.
    func clear(_ a: Stat, _ b: Stat) -> Bool { seedCount > 1 && abs(a.mean - b.mean) > a.spread + b.spread }

    /// "larger than the seeds' spread, ±x" or "within the seeds' spread, ±x: not a finding".
    func verdict(_ a: Stat, _ b: Stat) -> String {
        guard seedCount > 1 else { return "one seed: no spread to compare with" }
        return clear(a, b) ? "larger than the seeds' spread, ±\(fmt(a.spread + b.spread))"
                           : "within the seeds' spread, ±\(fmt(a.spread + b.spread)): not a finding"
    }

    /// Which removed skip cost the most detail, when removing them all clearly cost some.
    func whereTheDetailRides(unet: Summary, no0: Summary, no01: Summary, autoencoder ae: Summary) -> String {
        let drops = [unet.high.mean - no0.high.mean, no0.high.mean - no01.high.mean, no01.high.mean - ae.high.mean]
        guard clear(unet.high, ae.high) && unet.high.mean > ae.high.mean else {
            return seedCount > 1 ? " Detail did not clearly suffer from removing the skips in these runs."
                                 : " With one seed these differences cannot be told from seed-to-seed noise; the default runs 3."
        }
        if drops.firstIndex(of: drops.max()!)! == 0 {
            return " The largest single loss, \(fmt(drops[0])) dB, comes with the first skip removed — the full-resolution one: the finest skip carries the finest detail."
        }
        return " The losses per removed skip were \(drops.map { fmt($0) }.joined(separator: ", ")) dB (finest first): here the detail does not ride mainly on the finest skip."
    }

    func bigPicture(unet: Summary, autoencoder ae: Summary) -> String {
        if clear(unet.low, ae.low) && unet.low.mean > ae.low.mean {
            return "the skips help the big picture too (measured here, not explained: one guess, untested, is that a decoder "
                + "handed the detail can spend more of itself on color)"
        }
        return seedCount > 1 ? "no clear dependence of the big picture on the skips" : "one seed, so no verdict"
    }

    func join(add: Summary, concat: Summary) -> String {
        guard clear(add.psnr, concat.psnr) else { return seedCount > 1 ? "Either way of joining works about as well here." : "" }
        return add.psnr.mean > concat.psnr.mean ? "Adding wins here."
            : "Concatenating wins here: the decoder can weigh the two sources separately instead of only their sum."
    }

    func skipsAlone(zeroBottleneck zero: Summary, autoencoder ae: Summary) -> String {
        zero.high.mean > ae.high.mean ? "the skips alone carry more detail than the bottleneck alone"
            : "here the skips alone carry no more detail than the bottleneck alone"
    }

    /// Where the learner's variant (exercise 6.5) landed between the full U-Net and the
    /// autoencoder, band by band, with the spread rule.
    func yourPlan(_ variant: Variant, _ s: [String: Summary]) -> String {
        let yours = s[variant.name]!, unet = s["unet"]!, ae = s["autoencoder"]!
        func band(_ name: String, _ pick: (Summary) -> Stat) -> String {
            let (y, u, a) = (pick(yours), pick(unet), pick(ae))
            let closer = abs(y.mean - u.mean) < abs(y.mean - a.mean) ? "the full U-Net" : "the autoencoder"
            return "\(name) \(fmt(y.mean)) dB against the full U-Net's \(fmt(u.mean)) (\(verdict(y, u))) and the autoencoder's "
                + "\(fmt(a.mean)): closer to \(closer)"
        }
        return "Your experiment, \"\(variant.name)\" (\(variant.question)): " + band("PSNR high (detail)", \.high) + "; "
            + band("PSNR low (big picture)", \.low) + ". Is that what you predicted?"
    }

    /// `lost`: dB the trained U-Net loses when its bottleneck is zeroed at test time.
    func relianceOnTheBottleneck(lost: Double) -> String {
        lost > 3 ? "\(fmt(lost)) dB lost — it had learned to rely on what the bottleneck carries"
            : "only \(fmt(lost)) dB lost — it relies on the bottleneck only a little"
    }
}

/// Mean and spread (half the range) of one score over seeds.
struct Stat {
    let mean: Double, spread: Double
    init(_ values: [Double]) {
        mean = values.reduce(0, +) / Double(max(values.count, 1))
        spread = ((values.max() ?? 0) - (values.min() ?? 0)) / 2
    }
    var text: String { "\(fmt(mean)) ± \(fmt(spread))" }
}

/// Every score's `Stat` over seeds.
struct Summary {
    let psnr: Stat, low: Stat, high: Stat, ssim: Stat
    let params: Int
    init(_ scores: [QualityScores], params: Int) {
        self.params = params
        psnr = Stat(scores.map(\.psnr))
        low = Stat(scores.map(\.psnrLow))
        high = Stat(scores.map(\.psnrHigh))
        ssim = Stat(scores.map(\.ssim))
    }
}

Lesson6.main()
