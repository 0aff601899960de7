import TensorCore

/// One function the learner writes: its name (as in `Implementation` and in their file), the
/// exercise ("N.M") whose file holds it, and a tiny call that asks only "is it still a stub?".
///
/// Lessons swap a learner's part in only when every function of its exercise is written
/// (`learnerHasWritten`); the grader calls an exercise "not started" when none is. Whether a
/// function is *right* is the grader's job, not this probe's.
public struct ExerciseFunction {
    public let exercise: String
    public let name: String
    let probe: (Implementation) throws -> Void

    init(_ exercise: String, _ name: String, probe: @escaping (Implementation) throws -> Void) {
        self.exercise = exercise
        self.name = name
        self.probe = probe
    }

    /// False while the function still throws `ExerciseError.notStarted` (a function that throws
    /// anything else, or traps, is written: it runs and shows what it does).
    public func isWritten(in implementation: Implementation) -> Bool {
        do { try probe(implementation); return true } catch { return !isNotStarted(error) }
    }

    /// Every function of the course, in exercise order.
    public static let all: [ExerciseFunction] = [
        ExerciseFunction("1.1", "nchwOffset") { _ = try $0.nchwOffset(0, 0, 1, 1, [1, 1, 2, 2]) },
        ExerciseFunction("1.2", "luminance") { _ = try $0.luminance(Probe.rgb) },
        ExerciseFunction("1.3", "tensorFromPixels") { _ = try $0.tensorFromPixels([0.2, 0.5, 0.8], 1, 1, 3) },
        ExerciseFunction("2.1", "conv2dForward") { _ = try $0.conv2dForward(Probe.one, Probe.one, Tensor(shape: [1]), 1, 0) },
        ExerciseFunction("2.2", "conv2dBackward") { _ = try $0.conv2dBackward(Probe.one, Probe.one, Tensor(shape: [1, 1, 1, 1]), 1, 0) },
        ExerciseFunction("2.3", "reluForward") { _ = try $0.reluForward(Probe.one) },
        ExerciseFunction("2.3", "reluBackward") { _ = try $0.reluBackward(Probe.one, Probe.one) },
        ExerciseFunction("2.4", "meanSquaredError") { _ = try $0.meanSquaredError(Probe.one, Probe.one) },
        ExerciseFunction("2.5", "adamStep") { _ = try $0.adamStep(Probe.one, Probe.one, Probe.one, Probe.one, 1, 1e-3, 0.9, 0.999, 1e-8) },
        ExerciseFunction("2.6", "receptiveField") { _ = try $0.receptiveField([3], [1]) },
        ExerciseFunction("3.1", "residualForward") { _ = try $0.residualForward(Probe.one, Probe.Identity()) },
        ExerciseFunction("3.2", "residualBackward") { let branch = Probe.Identity(); _ = branch.forward(Probe.one); _ = try $0.residualBackward(Probe.one, branch) },
        ExerciseFunction("3.3", "gradientNorm") { _ = try $0.gradientNorm(Probe.one) },
        ExerciseFunction("4.1", "maxPool2dForward") { _ = try $0.maxPool2dForward(Probe.one) },
        ExerciseFunction("4.2", "maxPool2dBackward") { _ = try $0.maxPool2dBackward(Probe.one, Tensor(shape: [1, 1, 1, 1])) },
        ExerciseFunction("4.3", "convTranspose2dForward") { _ = try $0.convTranspose2dForward(Probe.one, Probe.one, Tensor(shape: [1]), 2) },
        ExerciseFunction("5.1", "concatForward") { _ = try $0.concatForward(Probe.one, Probe.one) },
        ExerciseFunction("5.2", "concatBackward") { _ = try $0.concatBackward(Tensor(shape: [1, 2, 2, 2]), 1) },
        ExerciseFunction("5.3", "centerCrop") { _ = try $0.centerCrop(Probe.one, 1, 1) },
        ExerciseFunction("5.4", "uNetForward") { _ = try $0.uNetForward(Probe.one, [], [], Probe.Identity(), [], [], Probe.Identity(), { up, _ in up }) },
        ExerciseFunction("6.1", "gaussianKernel") { _ = try $0.gaussianKernel(1, 1) },
        ExerciseFunction("6.2", "psnr") { _ = try $0.psnr(Probe.one, Probe.one) },
        ExerciseFunction("6.3", "ssim") { _ = try $0.ssim(Probe.image, Probe.image) },
        ExerciseFunction("6.4", "bandSplit") { _ = try $0.bandSplit(Probe.image, 1) },
        ExerciseFunction("7.1", "softmaxCrossEntropy") { _ = try $0.softmaxCrossEntropy(Tensor(shape: [1, 2, 1, 1]), [0]) },
        ExerciseFunction("7.2", "intersectionOverUnion") { _ = try $0.intersectionOverUnion([[1]]) },
        ExerciseFunction("7.3", "boundaryF1") { _ = try $0.boundaryF1([0, 1], [0, 1], 2, 1, 1) },
    ]

    /// The functions of exercise `id` ("2.3": reluForward and reluBackward); empty for an unknown id.
    public static func of(exercise id: String) -> [ExerciseFunction] { all.filter { $0.exercise == id } }
}

/// True when the learner's exercise `id` ("2.3") is written: every one of its functions no longer
/// throws `ExerciseError.notStarted` (false for an unknown id).
public func learnerHasWritten(_ id: String) -> Bool {
    let functions = ExerciseFunction.of(exercise: id)
    return !functions.isEmpty && functions.allSatisfy { $0.isWritten(in: .exercises) }
}

/// The tiny inputs of the probes.
enum Probe {
    static let one = Tensor(shape: [1, 1, 2, 2], values: [0.1, 0.4, -0.3, 0.2])
    static let rgb = Tensor(shape: [1, 3, 1, 1], values: [0.2, 0.5, 0.8])
    static let image = Tensor(shape: [1, 1, 11, 11], repeating: 0.5)

    /// y = x, for probing the exercises that take layers.
    final class Identity: Layer {
        let name = "probe"
        func forward(_ x: Tensor) -> Tensor { x }
        func backward(_ dy: Tensor) -> Tensor { dy }
    }
}
