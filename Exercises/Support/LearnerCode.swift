import TensorCore

/// Which of the learner's exercise functions are ready to be swapped into a lesson
/// (`--use-exercises`).
///
/// A probe runs the exercise's function(s) on a tiny input and only asks "does it still throw
/// `ExerciseError.notStarted`?". Whether the answer is *right* is the checks' job (`course check`);
/// a lesson run with a wrong implementation is allowed — that is how a learner sees what the bug
/// does to training.
public enum LearnerCode {
    /// The exercises whose functions a lesson can swap in for its built-in ones, by id.
    public static let swappable = ["1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "4.1", "4.2", "4.3", "5.1", "5.2", "6.2", "6.3", "6.4"]

    /// False while exercise `id` (any id from 1.1 to 7.3) still throws
    /// `ExerciseError.notStarted`, or when there is no such exercise. Any other outcome — a right
    /// answer, a wrong one, another error — counts as started: the learner's code runs and shows
    /// what it does.
    public static func isStarted(_ id: String) -> Bool {
        let one = Tensor(shape: [1, 1, 2, 2], values: [0.1, 0.4, -0.3, 0.2])
        let rgb = Tensor(shape: [1, 3, 1, 1], values: [0.2, 0.5, 0.8])
        let image = Tensor(shape: [1, 1, 11, 11], repeating: 0.5)
        let identity = ProbeIdentity()
        let probes: [String: () throws -> Void] = [
            "1.1": { _ = try nchwOffset(n: 0, c: 0, y: 1, x: 1, shape: [1, 1, 2, 2]) },
            "1.2": { _ = try luminance(rgb) },
            "1.3": { _ = try tensorFromPixels([0.2, 0.5, 0.8], width: 1, height: 1, channels: 3) },
            "2.1": { _ = try conv2dForward(input: one, weight: one, bias: Tensor(shape: [1]), stride: 1, padding: 0) },
            "2.2": { _ = try conv2dBackward(input: one, weight: one, gradOutput: Tensor(shape: [1, 1, 1, 1]), stride: 1, padding: 0) },
            "2.3": { _ = try reluForward(one); _ = try reluBackward(input: one, gradOutput: one) },
            "2.4": { _ = try meanSquaredError(prediction: one, target: one) },
            "2.5": { _ = try adamStep(value: one, gradient: one, m: one, v: one, step: 1, learningRate: 1e-3,
                                      beta1: 0.9, beta2: 0.999, epsilon: 1e-8) },
            "2.6": { _ = try receptiveField(kernels: [3], strides: [1]) },
            "3.1": { _ = try residualForward(one, branch: identity) },
            "3.2": { _ = identity.forward(one); _ = try residualBackward(one, branch: identity) },
            "3.3": { _ = try gradientNorm(one) },
            "4.1": { _ = try maxPool2dForward(one) },
            "4.2": { _ = try maxPool2dBackward(input: one, gradOutput: Tensor(shape: [1, 1, 1, 1])) },
            "4.3": { _ = try convTranspose2dForward(input: one, weight: one, bias: Tensor(shape: [1]), stride: 2) },
            "5.1": { _ = try concatForward(one, one) },
            "5.2": { _ = try concatBackward(Tensor(shape: [1, 2, 2, 2]), channelsOfA: 1) },
            "5.3": { _ = try centerCrop(one, height: 1, width: 1) },
            "5.4": { _ = try uNetForward(one, encoders: [], pools: [], bottleneck: identity, ups: [], decoders: [],
                                         head: identity, join: { up, _ in up }) },
            "6.1": { _ = try gaussianKernel(sigma: 1, radius: 1) },
            "6.2": { _ = try psnr(prediction: one, target: one) },
            "6.3": { _ = try ssim(image, image) },
            "6.4": { _ = try bandSplit(image, sigma: 1) },
            "7.1": { _ = try softmaxCrossEntropy(logits: Tensor(shape: [1, 2, 1, 1]), labels: [0]) },
            "7.2": { _ = try intersectionOverUnion([[1]]) },
            "7.3": { _ = try boundaryF1(truth: [0, 1], predicted: [0, 1], width: 2, height: 1, tolerance: 1) },
        ]
        guard let probe = probes[id] else { return false }
        do {
            try probe()
            return true
        } catch ExerciseError.notStarted {
            return false
        } catch {
            return true
        }
    }
}

extension LearnerCode {
    /// A `replaceLayers` transform that swaps in the learner's lesson-4 layers that are started —
    /// max-pool (4.1 + 4.2), transposed conv (4.3) — on the same weights, and what it swapped, for
    /// the lesson to print. Lessons 4 and 5 share it: both models pool down and upsample back.
    public static func lesson4Layers() -> (transform: (Layer) -> Layer, used: [String]) {
        let pool = isStarted("4.1") && isStarted("4.2"), upsample = isStarted("4.3")
        let used = (pool ? ["max-pool 4.1+4.2"] : []) + (upsample ? ["transposed conv 4.3 (backward: built-in)"] : [])
        return ({ layer in
            if pool, layer is MaxPool2D { return LearnerMaxPool2D(layer.name) }
            if upsample, let up = layer as? ConvTranspose2D { return LearnerConvTranspose2D(up) }
            return layer
        }, used)
    }
}

/// y = x, for probing the exercises that take layers.
private final class ProbeIdentity: Layer {
    let name = "probe"
    func forward(_ x: Tensor) -> Tensor { x }
    func backward(_ dy: Tensor) -> Tensor { dy }
}

/// Runs a learner function inside a `Layer` method (which cannot throw): any error stops the
/// program with a message that names the exercise, instead of training on garbage.
public func learnerCall<T>(_ exercise: String, _ what: String, _ body: () throws -> T) -> T {
    do {
        return try body()
    } catch {
        preconditionFailure("--use-exercises: your \(what) (exercise \(exercise)) threw: \(error). Run `swift run course check \(exercise)`.")
    }
}
