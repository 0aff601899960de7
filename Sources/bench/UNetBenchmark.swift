import CourseKit
import Dispatch
import TensorCore

/// U-Net-64 exactly as tools/pytorch/unet64.py: the default `UNet` (base 16, depth 3,
/// concat skips), batch 16 of 1x64x64 random inputs and 3x64x64 random targets, MSE, Adam(1e-3).
/// Another batch size measures what the lessons run (they train on batches of 8).
final class UNetBenchmark {
    let batch: Int, size = 64
    let model: UNet
    let optimizer = Adam(learningRate: 1e-3)
    let mse = MSELoss()
    let input: Tensor, target: Tensor
    let parameters: [Parameter]
    /// Every layer and join of `model` is timed into it while it records (`breakdown`).
    let profile = LayerProfile()

    init(batch: Int = 16) {
        self.batch = batch
        var rng = SeededGenerator(seed: 0)
        model = UNet(parts: Parts.builtIn.timed(into: profile), rng: &rng)
        model.needsInputGradient = false  // the input is data, as in unet64.py (no requires_grad)
        parameters = model.parameters
        input = Tensor.uniform([batch, 1, size, size], 0, 1, using: &rng)
        target = Tensor.uniform([batch, 3, size, size], 0, 1, using: &rng)
    }

    var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// One step as in unet64.py: zero grads, forward, MSE, backward, Adam.
    @discardableResult
    func trainingStep() -> Float {
        profile.time("zero grads", "zeroGrad") { for p in parameters { p.zeroGrad() } }
        let prediction = model.forward(input)
        let (loss, grad) = profile.time("loss", "mseLoss") { mse(prediction, target) }
        _ = model.backward(grad)
        profile.time("optimizer", "Adam") { optimizer.step(parameters) }
        return loss
    }

    func trainingImagesPerSecond(steps: Int) -> Double {
        for _ in 0..<3 { trainingStep() }
        let seconds = Clock.seconds { for _ in 0..<steps { trainingStep() } }
        return Double(batch * steps) / seconds
    }

    func inferenceImagesPerSecond(batches: Int) -> Double {
        for _ in 0..<3 { _ = model.forward(input) }
        let seconds = Clock.seconds { for _ in 0..<batches { _ = model.forward(input) } }
        return Double(batch * batches) / seconds
    }

    /// Times every layer of a training step and reports per layer and per kind of op.
    ///
    /// Each op's figure is its fastest of `repeats` profiled steps (after a warm-up step): on a
    /// busy machine the minimum is the figure least disturbed by other processes.
    func breakdown(repeats: Int = 5) -> String {
        trainingStep()
        var runs: [[LayerProfile.Entry]] = []
        var fastestStep = Double.infinity
        for _ in 0..<repeats {
            profile.reset()
            profile.isRecording = true
            fastestStep = min(fastestStep, Clock.seconds { trainingStep() })
            profile.isRecording = false
            runs.append(profile.entries)
        }
        let entries = runs[0].indices.map { i in
            LayerProfile.Entry(label: runs[0][i].label, kind: runs[0][i].kind,
                               seconds: runs.map { $0[i].seconds }.min()!)
        }
        let total = entries.reduce(0) { $0 + $1.seconds }
        var lines = ["breakdown of a training step (batch \(batch), \(Parallel.threads) threads, fastest of \(repeats) per op):",
                     "  sum of ops \(ms(total)) ms; fastest whole step \(ms(fastestStep)) ms (the rest: the U-Net's own adds — each level's two gradients summed — and the timers)"]
        var byKind: [String: Double] = [:]
        for e in entries { byKind[e.kind, default: 0] += e.seconds }
        lines.append("per kind of op:")
        for (kind, s) in byKind.sorted(by: { $0.value > $1.value }) {
            lines.append("  \(pad(kind, 28)) \(pad(ms(s), 8, left: true)) ms \(pad(percent(s, total), 6, left: true))")
        }
        lines.append("per layer call, in order:")
        for e in entries {
            lines.append("  \(pad(e.label, 28)) \(pad(e.kind, 24)) \(pad(ms(e.seconds), 8, left: true)) ms")
        }
        return lines.joined(separator: "\n")
    }

    private func ms(_ s: Double) -> String { String((s * 1e5).rounded() / 100) }
    private func percent(_ s: Double, _ total: Double) -> String { String((s / total * 1e3).rounded() / 10) + "%" }
    private func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? fill + s : s + fill
    }
}

/// Wall-clock seconds of a block.
enum Clock {
    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }
}
