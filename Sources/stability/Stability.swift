import ArgumentParser
import CourseKit
import Foundation
import TensorCore

/// `stability`: trains one colorizer of the course the way its lesson does, through the riskiest
/// part of its schedule (by default three times the warmup: the rate's peak and the steps after
/// it), and prints one JSON line of health figures. `tools/check-stability.sh` runs it over many
/// seeds and learning rates and counts collapses, spikes and recoveries.
@main
struct Stability: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Trains one colorizer through its warmup and after, and prints its health as one JSON line.")

    @Option(help: "plain, autoencoder or unet (the lessons' models), or a U-Net given by --skips.")
    var model = "unet"

    @Option(help: "For a U-Net: the skip of each level, outermost first, e.g. concat,none,none or add,add,add; their count is the depth (2: a 16 px bottleneck at 64 px).")
    var skips: String?

    @Flag(help: "For a U-Net: zero its bottleneck (lesson 6's zero-bottleneck variant).")
    var zeroBottleneck = false

    @Option(help: "Seed of the weights and the batch order, as a lesson's --seed.")
    var seed = 1

    @Option(help: "Multiplies the course's learning rate (the margin test runs at 1.5).")
    var rateScale = 1.0

    @Option(help: "A peak learning rate of its own instead of the course's (e.g. 8e-3, the rate before the sweep).")
    var rate: Double?

    @Option(help: "Steps of the schedule (default: the model's colorizer steps).")
    var scheduleSteps: Int?

    @Option(help: "Steps actually trained (default: 3 times the warmup).")
    var steps: Int?

    @Option(help: "Image side in pixels.")
    var size = 64

    @Option(name: .customLong("data"), help: "A folder of PNGs instead of the meadow scenes (as a lesson's --data).")
    var dataDirectory: String?

    @Option(help: "For a U-Net: zero all its skips on this share of training steps, drawn per step (skip dropout: does the U-Net then use its bottleneck?).")
    var skipDropout: Double?

    @Flag(help: "Print every step: loss, largest update/weight, rate, gradient norms, share of channels off (one run closely).")
    var trace = false

    @Flag(help: "Never roll back after a loss spike: measure what happens without the spike guard.")
    var noGuard = false

    @Flag(help: "Never scale a large gradient down: measure what happens without the clip.")
    var noClip = false

    @Flag(help: "Zero the last layer's weights after drawing them (every other weight as drawn): the init-lottery experiment of docs/STABILITY.md.")
    var zeroHead = false

    @Option(help: "Experiment: calibrate every conv to unit output on the first training batch, and the model's output to this RMS (docs/STABILITY.md).")
    var calibrate: Double?

    @Option(help: "Scale the last layer so that the first prediction has this RMS (default: the course's, TrainingSettings.startingOutputRMS).")
    var headRMS: Double?

    @Flag(help: "Keep the last layer as drawn (the course before the starting-output setting; docs/STABILITY.md).")
    var drawnHead = false

    @Option(help: "Threads (1 by default, so two runs share two cores; results do not depend on it).")
    var threads = 1

    func run() throws {
        Parallel.threads = threads
        let kind = CourseModel(rawValue: model) ?? .unet
        let calibration = Calibration()
        var rng = SeededGenerator(seed: UInt64(seed))
        let network: Layer
        if let skips {
            let kinds = try skips.split(separator: ",").map { text -> SkipKind in
                guard let kind = SkipKind(rawValue: String(text)) else { throw ValidationError("unknown skip '\(text)'") }
                return kind
            }
            let unet = UNet(model, depth: kinds.count, skips: kinds, rng: &rng)
            unet.zeroBottleneck = zeroBottleneck
            network = unet
        } else {
            guard CourseModel(rawValue: model) != nil else { throw ValidationError("--model: plain, autoencoder or unet, or give --skips") }
            network = calibrate == nil ? kind.build(rng: &rng) : kind.build(parts: calibration.parts(), rng: &rng)
        }
        if zeroHead, let head = network.parameters.last(where: { $0.value.rank > 1 }) {
            head.value.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        let data = try dataDirectory.map { try Dataset.folder($0, size: size, seed: UInt64(seed)) } ?? Dataset.meadow(size: size, seed: UInt64(seed))
        let unet = network as? UNet
        var trainedNetwork = network
        if let skipDropout {
            guard let unet else { throw ValidationError("--skip-dropout needs a U-Net") }
            trainedNetwork = SkipDropout(unet, share: skipDropout, seed: UInt64(seed))
        }
        var settings = TrainingSettings(label: model, steps: scheduleSteps ?? kind.colorizerSteps)
        settings.learningRate = (rate ?? settings.learningRate) * rateScale
        let firstInput = data.trainingBatch(step: 0, batchSize: settings.batchSize).input
        let startingRMS = zeroHead || drawnHead ? nil : calibrate ?? headRMS ?? settings.startingOutputRMS
        if calibrate != nil { calibration.run(network, on: firstInput) }
        if let startingRMS { StartingOutput.scale(network, on: firstInput, toRMS: startingRMS) }
        let trainer = Trainer(model: trainedNetwork, optimizer: settings.optimizer(settings.learningRate), loss: settings.loss)
        trainer.schedule = settings.schedule
        trainer.guardsAgainstSpikes = !noGuard
        trainer.clipsGradients = !noClip
        // --trace: per step, the gradient norm (before the clip), each weight tensor's norm, the
        // largest update over weight of any tensor (the step's own update: measured at the next
        // step), and per bias the share of its channels off for the whole batch (gradient exactly 0).
        var traced: [String] = [], updates: [Double] = [], previous: [Tensor] = []
        if trace {
            func norm(_ t: Tensor) -> Double { Double(DeepStack.norm(t)) }
            trainer.observe = { step, parameters in
                let weights = parameters.filter { $0.value.rank > 1 }
                if !previous.isEmpty {
                    updates.append(zip(weights, previous).map { p, old in
                        var change = p.value
                        change.withUnsafeMutableBufferPointer { c in old.withUnsafeBufferPointer { o in for i in c.indices { c[i] -= o[i] } } }
                        return norm(change) / max(norm(old), 1e-30)
                    }.max() ?? 0)
                }
                previous = weights.map(\.value)
                let norms = weights.map { norm($0.grad) }
                let total = norms.reduce(0) { $0 + $1 * $1 }.squareRoot()
                let off = parameters.filter { $0.value.rank == 1 }.map { b in
                    b.grad.withUnsafeBufferPointer { g in Double(g.filter { $0 == 0 }.count) / Double(max(g.count, 1)) }
                }
                traced.append("lr \(fmt(trainer.schedule!.rate(at: step - 1) * 1e3, 3))e-3 gradnorm \(fmt(total, 4)) "
                      + "layers-off-40% \(off.filter { $0 >= 0.4 }.count) off " + off.map { fmt($0, 2) }.joined(separator: " ")
                      + " layers " + norms.map { fmt($0, 4) }.joined(separator: " "))
            }
        }
        let trained = steps ?? 3 * settings.schedule.warmupSteps
        let history = try trainer.train(on: data, steps: trained, batchSize: LessonRun.defaultBatchSize, quiet: true)
        for (k, line) in traced.enumerated() {
            let update = k < updates.count ? " update \(fmt(100 * updates[k], 2))%" : ""
            print("trace step \(k + 1) loss \(fmt(Double(history.losses[k]), 5))\(update) \(line)")
        }
        let evaluation = try HeldOutEvaluation.run(network, on: data, limit: nil)
        let health = TrainingHealth(history: history, heldOut: evaluation.spread)
        let s = evaluation.scores
        // In steps: Swift 6.0 gives up type-checking one long literal of interpolations.
        var fields: [(String, String)] = [("model", "\"\(model)\""), ("seed", "\(seed)"), ("rate", "\(settings.learningRate)")]
        fields += [("steps", "\(trained)"), ("schedule_steps", "\(settings.steps)"), ("first_loss", fmt(Double(history.losses[0]), 4))]
        fields += [("psnr", fmt(s.psnr)), ("psnr_low", fmt(s.psnrLow)), ("psnr_high", fmt(s.psnrHigh))]
        fields += [("spread", fmt(health.spread, 3)), ("loss_ratio", fmt(health.lossRatio, 3))]
        fields += [("dead_units", fmt(health.deadUnits?.fraction ?? 0, 3)),
                   ("dead_layer", "\"\(health.deadUnits?.parameter ?? "")\""),
                   ("dead_overall", fmt(health.deadUnits?.overall ?? 0, 3))]
        fields += [("largest_loss_jump", fmt(history.largestLossJump, 2))]
        fields += [("recoveries", "\(history.recoveries)"), ("collapsed", "\(health.isCollapsed)")]
        if let unet {
            // What each path carries: the held-out big picture and detail with the bottleneck, or the skips, zeroed.
            for (name, off) in [("bottleneck_off", \UNet.zeroBottleneck), ("skips_off", \UNet.zeroSkips)] where !(name == "bottleneck_off" && zeroBottleneck) {
                let o = try HeldOutEvaluation.run(unet, zeroing: off, on: data).scores
                fields += [("\(name)_psnr_low", fmt(o.psnrLow)), ("\(name)_psnr_high", fmt(o.psnrHigh))]
            }
            if let skipDropout { fields += [("skip_dropout", "\(skipDropout)")] }
        }
        fields += [("seconds", fmt(history.seconds, 1)), ("clipped", "\(history.clippedSteps)"), ("head", zeroHead ? "\"zero\"" : startingRMS.map { "\"\(calibrate == nil ? "" : "calibrated, ")output rms \($0)\"" } ?? "\"drawn\"")]
        print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }
}

/// Skip dropout: on a drawn share of training steps the U-Net runs with every skip zeroed, so
/// only its bottleneck can carry the picture on those steps (backward sees the same switch).
final class SkipDropout: Layer {
    let unet: UNet
    let share: Double
    var rng: SeededGenerator
    var name: String { unet.name }
    var parameters: [Parameter] { unet.parameters }

    init(_ unet: UNet, share: Double, seed: UInt64) {
        self.unet = unet
        self.share = share
        rng = SeededGenerator(seed: seed &+ 0x5D0)
    }

    func forward(_ x: Tensor) -> Tensor {
        unet.zeroSkips = Double.random(in: 0..<1, using: &rng) < share
        return unet.forward(x)
    }

    func backward(_ dy: Tensor) -> Tensor {
        defer { unet.zeroSkips = false }
        return unet.backward(dy)
    }
}
