// Lesson 3 — Going deeper: residual (short) skips.
//
// Two deep stacks with exactly the same layers; one adds each block's input to its output. We
// measure how large each layer's gradient is and how well each stack trains. Run it:
//
//     swift run -c release lesson3            (about a minute)
import ArgumentParser
import CourseKit
import Exercises
import ExerciseFunctions
import LearnerParts
import PixelIO
import Foundation

struct Lesson3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson3",
        abstract: "Lesson 3 — Going deeper: a deep plain stack vs the same with residual skips.",
        discussion: """
        Default: \(defaultSteps) steps per model and \(1 + extraSeeds) seeds of \(LessonRun.defaultBatchSize) scenes at \(defaultSize)x\(defaultSize), \
        \(blocks) blocks (\(2 * blocks + 2) convs of \(width) channels); --quick: \(quickSteps) steps at 32x32.
        """)

    static let defaultSteps = 500
    static let quickSteps = 5
    static let defaultSize = 32
    static let blocks = 8
    static let width = 16

    @OptionGroup var options: LessonOptions

    func run() throws {
        let lesson = try LessonRun(3, options: options, defaultSize: Self.defaultSize)
        let steps = options.steps(default: Self.defaultSteps, quick: Self.quickSteps)
        let convs = 2 * Self.blocks + 2

        Chapter.tell("""
        Lesson 2's stack had 7 convs. Why not 20, to see farther? Backward runs the chain rule
        through every layer: the gradient that reaches layer 1 is the loss's gradient multiplied by
        one Jacobian per layer above it. Multiply many factors a little smaller (or larger) than
        one and the product shrinks (or grows) geometrically — the early layers then learn slowly
        (or wildly). A residual block computes x + f(x) instead of f(x): in backward, the `+ x` is a
        second path on which the gradient passes unchanged, so every layer gets at least what the
        layer above got.

        We build two stacks of \(convs) convs (\(Self.width) channels): a stem conv, \(Self.blocks)
        blocks of conv-ReLU-conv-ReLU, a head conv. Same layers, same random draws; the `+ x`
        differs, and so does one detail of the start, as practice has it: the residual stack's
        second conv in each block starts \(fmt(DeepStack.residualBranchScale, 1))x smaller, so
        each block begins close to "add nothing" (without it, x + f(x) doubles the signal's
        variance at every block). This lesson is about gradients, not pictures, so it uses
        \(lesson.dataset.size)x\(lesson.dataset.size) scenes to train both in about a minute.
        """)

        // With --use-exercises the residual stack's skips are your residualForward/Backward (3.1,
        // 3.2) and the gradient norms your gradientNorm (3.3), wherever you have written them.
        let parts = LearnerParts.forRun(lesson: 3, options: options)
        let norm: (Tensor) -> Float = options.useExercises && learnerHasWritten("3.3")
            ? { t in learnerCall("gradientNorm") { try gradientNorm(t) } } : DeepStack.norm
        if options.useExercises && learnerHasWritten("3.3") {
            print("--use-exercises: the gradient norms below are your gradientNorm (3.3).")
        }
        // Both stacks draw their weights from the same seed; each is built when it trains and let
        // go after, so one stack's activations are in memory at a time.
        let plain = (name: "deep-plain", residual: false, parts: options.kernelParts)
        let residual = (name: "deep-residual", residual: true, parts: parts)
        func build(_ stack: (name: String, residual: Bool, parts: Parts), seed: Int) -> DeepStack {
            var rng = SeededGenerator(seed: UInt64(seed))
            return DeepStack(stack.name, width: Self.width, blocks: Self.blocks, residual: stack.residual, parts: stack.parts, rng: &rng)
        }
        Chapter.listing("The residual stack, layer by layer (the plain one is the same without the Residual rows):",
                        parts: parts, size: lesson.dataset.size) { parts, _ in
            build((residual.name, true, parts), seed: options.seed)
        }

        Chapter.heading("Training, and listening to the gradients")
        Chapter.tell("""
        Each stack trains \(steps) steps (MSE, Adam, the same schedule as every lesson). After every
        backward pass we record the L2 norm of each conv's weight gradient, |dLoss/dW|, from the
        stem (layer 1) to the head (layer \(convs)).
        """)
        var results: [ColorizerResult] = []
        var norms: [String: [[Float]]] = [:]
        for stack in [plain, residual] {
            let model = build(stack, seed: options.seed)
            var history: [[Float]] = []
            results.append(try lesson.trainColorizer(model, name: model.name, lesson.training(model.name, steps: steps), observe: { _, _ in
                history.append(model.weightGradientNorms(using: norm))
            }))
            norms[model.name] = history
        }
        try lesson.writeColorizerOutputs(results, title: "Lesson 3: deep stacks, training and held-out loss")
        lesson.printScores(results)

        // The same two stacks on more seeds, scores only: is the difference larger than the luck
        // of the draw (the weights and the order of the scenes)?
        let seeds = [options.seed] + (options.quick ? [] : (1...Self.extraSeeds).map { options.seed + $0 })
        var psnr = [plain.name: [results[0].scores.psnr], residual.name: [results[1].scores.psnr]]
        if seeds.count > 1 {
            Chapter.heading("The same on \(seeds.count - 1) more seeds")
            for seed in seeds.dropFirst() {
                for stack in [plain, residual] {
                    let model = build(stack, seed: seed)
                    let result = try lesson.trainColorizer(model, name: stack.name, lesson.training("\(stack.name) seed \(seed)", steps: steps),
                                                           seed: seed, save: false)
                    psnr[stack.name]!.append(result.scores.psnr)
                }
            }
        }

        let atStart = norms.mapValues { $0[0] }
        let overRun = norms.mapValues { history in
            (0..<convs).map { layer in history.map { Double($0[layer]) }.reduce(0, +) / Double(history.count) }
        }
        try writeGradientChart(lesson, atStart: atStart, overRun: overRun)

        print("")
        print("|dLoss/dW| per conv (first step, and mean over the run):")
        var rows = [["conv", "plain, step 1", "residual, step 1", "plain, mean", "residual, mean"]]
        for layer in 0..<convs {
            rows.append(["\(layer + 1)", sci(Double(atStart[plain.name]![layer])), sci(Double(atStart[residual.name]![layer])),
                         sci(overRun[plain.name]![layer]), sci(overRun[residual.name]![layer])])
        }
        Chapter.table(rows)

        func ratio(_ values: [Double]) -> Double { values[0] / max(values[convs - 1], 1e-30) }
        let plainStartRatio = ratio(atStart[plain.name]!.map(Double.init))
        let residualStartRatio = ratio(atStart[residual.name]!.map(Double.init))
        let plainRunRatio = ratio(overRun[plain.name]!)
        let residualRunRatio = ratio(overRun[residual.name]!)
        let finalLoss = results.map { r in r.history.losses.suffix(20).reduce(0, +) / Float(min(20, r.history.losses.count)) }
        let better = results[1].scores.psnr > results[0].scores.psnr ? "residual" : "plain"
        let overSeeds = Self.seedSpread(psnr[plain.name]!, psnr[residual.name]!, seeds: seeds)
        let conclusion = """
        At the first step, the stem's gradient norm divided by the head's was \(sci(plainStartRatio)) in \
        the plain stack and \(sci(residualStartRatio)) in the residual one; averaged over the run, \
        \(sci(plainRunRatio)) and \(sci(residualRunRatio)). \(gradientVerdict(plainStartRatio, residualStartRatio)) \
        (gradnorms.png plots every layer.) \(zigZag(atStart.mapValues { $0.map(Double.init) }, overRun, plain: plain.name, residual: residual.name))

        Training: the plain stack ended at a loss of \(fmt(finalLoss[0], 5)) and \(fmt(results[0].scores.psnr)) dB \
        held-out PSNR, the residual stack at \(fmt(finalLoss[1], 5)) and \(fmt(results[1].scores.psnr)) dB: \
        the \(better) stack did better here, by \(fmt(abs(results[1].scores.psnr - results[0].scores.psnr))) dB \
        (curves.png). \(overSeeds)What was measured is what this lesson claims — on \(convs) convs with He \
        initialisation (residual branches started \(fmt(DeepStack.residualBranchScale, 1))x), not a general law: try --seed, or more depth, and see whether it holds.

        Why it matters for U-Nets: a skip, short or long, is an extra path in backward too. Where \
        two paths meet, their gradients add — in the residual block here, and in every U-Net level \
        where the encoder's output went both down and across.
        """
        try lesson.finish(conclusion: conclusion, settings: lesson.settings(steps: steps),
                          pictures: ["gradnorms.png", "curves.png", "samples.png", "detail.png", "metrics.json"])
    }

    /// Seeds beyond `--seed` the two stacks also train on (scores only).
    static let extraSeeds = 2

    /// "Over seeds 1, 2, 3 …": both stacks' PSNR as mean ± half the range, and whether the gap is
    /// larger than that spread; empty for one seed.
    static func seedSpread(_ plain: [Double], _ residual: [Double], seeds: [Int]) -> String {
        guard seeds.count > 1 else { return "" }
        func spread(_ v: [Double]) -> (mean: Double, half: Double) { (v.reduce(0, +) / Double(v.count), (v.max()! - v.min()!) / 2) }
        let p = spread(plain), r = spread(residual)
        let wins = zip(residual, plain).filter { $0 > $1 }.count
        let apart = abs(r.mean - p.mean) > r.half + p.half
        return "Over seeds \(seeds.map(String.init).joined(separator: ", ")) the residual stack scores \(fmt(r.mean)) ± \(fmt(r.half)) dB "
            + "and the plain one \(fmt(p.mean)) ± \(fmt(p.half)) (mean ± half the range); the residual one is ahead on \(wins) of "
            + "\(seeds.count) seeds, " + (apart ? "a gap larger than the spread between seeds. "
                                                 : "a gap within the spread between seeds: on this evidence, a tie. ")
    }

    /// Within each block, the first conv's weight-gradient norm over the second's: the geometric
    /// mean over the blocks (convs are stem, then two per block, then head).
    static func withinBlockRatio(_ norms: [Double]) -> Double {
        let blocks = (norms.count - 2) / 2
        let logs = (0..<blocks).map { log(max(norms[1 + 2 * $0], 1e-30) / max(norms[2 + 2 * $0], 1e-30)) }
        return exp(logs.reduce(0, +) / Double(max(blocks, 1)))
    }

    /// What the saw-tooth of the residual stack's curve in gradnorms.png is, from the numbers: the
    /// two convs of a block compared, in both stacks.
    func zigZag(_ atStart: [String: [Double]], _ overRun: [String: [Double]], plain: String, residual: String) -> String {
        let r0 = Self.withinBlockRatio(atStart[residual]!), rRun = Self.withinBlockRatio(overRun[residual]!)
        let p0 = Self.withinBlockRatio(atStart[plain]!), pRun = Self.withinBlockRatio(overRun[plain]!)
        let numbers = "within each block the first conv's gradient is \(fmt(r0)) times the second's at the first step and "
            + "\(fmt(rRun)) over the run in the residual stack (geometric mean over the \(Self.blocks) blocks), "
            + "\(fmt(p0)) and \(fmt(pRun)) in the plain stack."
        guard r0 < 0.5 * p0 else { return "Neighbouring layers: " + numbers }
        return "The residual curve zig-zags because " + numbers + " That is the residual stack's start, not unstable "
            + "gradients: each block's second conv starts at \(fmt(DeepStack.residualBranchScale, 1))x its He size, and "
            + "the gradient reaching the block's first conv passes back through it."
    }

    /// A sentence that says which way the measured ratios point, without assuming the answer.
    func gradientVerdict(_ plain: Double, _ residual: Double) -> String {
        let spreadPlain = abs(log10(plain)), spreadResidual = abs(log10(residual))
        if spreadPlain > spreadResidual + 0.3 {
            return "The plain stack's gradients change more from layer to layer — the effect the residual path is meant to remove."
        }
        if spreadResidual > spreadPlain + 0.3 {
            return "Here the residual stack's gradients change more from layer to layer than the plain one's — not the textbook picture; the sums of many blocks grow activations and gradients alike."
        }
        return "Both stacks lose about as much gradient from head to stem (their ratios are within a factor of 2 of each other): at this depth there is no vanishing gradient for the skips to fix; their benefit, if any, shows in training below."
    }

    func writeGradientChart(_ lesson: LessonRun, atStart: [String: [Float]], overRun: [String: [Double]]) throws {
        var chart = LineChart(title: "Gradient norm per conv layer", xLabel: "conv layer (1 = stem, input side)",
                              yLabel: "|dLoss/dW|", logY: true)
        for name in ["deep-plain", "deep-residual"] {
            chart.addSeries("\(name), step 1", points: atStart[name]!.enumerated().map { (x: Double($0 + 1), y: Double($1)) })
        }
        for name in ["deep-plain", "deep-residual"] {
            chart.addSeries("\(name), mean", points: overRun[name]!.enumerated().map { (x: Double($0 + 1), y: $1) })
        }
        try chart.render(width: 720, height: 420).writePNG(to: lesson.path("gradnorms.png"))
    }
}

/// 1.23e-04
func sci(_ x: Double) -> String { String(format: "%.2e", x) }

Lesson3.main()
