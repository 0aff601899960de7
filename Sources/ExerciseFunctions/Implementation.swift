import TensorCore
import Exercises

/// One complete set of answers to the exercises, as plain function values.
///
/// The checks take an `Implementation`, never a module, so the same check grades the learner's
/// `Exercises`, the reference `Solutions`, and the deliberately wrong answers that prove each
/// check can fail (`Exercise.wrongImplementations`): a wrong answer is the solutions with one
/// function replaced. The type and the learner's set live here, below the grader, so a lesson can
/// ask "is it written?" without linking the answer key (`Solutions`, ExerciseGrading).
public struct Implementation {
    public var name: String
    public var nchwOffset: (_ n: Int, _ c: Int, _ y: Int, _ x: Int, _ shape: [Int]) throws -> Int
    public var luminance: (Tensor) throws -> Tensor
    public var tensorFromPixels: (_ pixels: [Float], _ width: Int, _ height: Int, _ channels: Int) throws -> Tensor
    public var conv2dForward: (_ input: Tensor, _ weight: Tensor, _ bias: Tensor, _ stride: Int, _ padding: Int) throws -> Tensor
    public var conv2dBackward: (_ input: Tensor, _ weight: Tensor, _ gradOutput: Tensor, _ stride: Int, _ padding: Int) throws
        -> (input: Tensor, weight: Tensor, bias: Tensor)
    public var reluForward: (Tensor) throws -> Tensor
    public var reluBackward: (_ input: Tensor, _ gradOutput: Tensor) throws -> Tensor
    public var meanSquaredError: (_ prediction: Tensor, _ target: Tensor) throws -> (loss: Float, gradient: Tensor)
    public var adamStep: (_ value: Tensor, _ gradient: Tensor, _ m: Tensor, _ v: Tensor, _ step: Int,
                          _ learningRate: Float, _ beta1: Float, _ beta2: Float, _ epsilon: Float) throws
        -> (value: Tensor, m: Tensor, v: Tensor)
    public var receptiveField: (_ kernels: [Int], _ strides: [Int]) throws -> Int
    public var residualForward: (Tensor, Layer) throws -> Tensor
    public var residualBackward: (Tensor, Layer) throws -> Tensor
    public var gradientNorm: (Tensor) throws -> Float
    public var maxPool2dForward: (Tensor) throws -> Tensor
    public var maxPool2dBackward: (_ input: Tensor, _ gradOutput: Tensor) throws -> Tensor
    public var convTranspose2dForward: (_ input: Tensor, _ weight: Tensor, _ bias: Tensor, _ stride: Int) throws -> Tensor
    public var concatForward: (Tensor, Tensor) throws -> Tensor
    public var concatBackward: (_ gradOutput: Tensor, _ channelsOfA: Int) throws -> (a: Tensor, b: Tensor)
    public var centerCrop: (_ x: Tensor, _ height: Int, _ width: Int) throws -> Tensor
    public var uNetForward: (_ x: Tensor, _ encoders: [Layer], _ pools: [Layer], _ bottleneck: Layer, _ ups: [Layer],
                             _ decoders: [Layer], _ head: Layer, _ join: (Tensor, Tensor) throws -> Tensor) throws -> Tensor
    public var gaussianKernel: (_ sigma: Float, _ radius: Int) throws -> Tensor
    public var psnr: (_ prediction: Tensor, _ target: Tensor) throws -> Float
    public var ssim: (Tensor, Tensor) throws -> Float
    public var bandSplit: (_ image: Tensor, _ sigma: Float) throws -> (low: Tensor, high: Tensor)
    public var softmaxCrossEntropy: (_ logits: Tensor, _ labels: [Int]) throws -> (loss: Float, gradient: Tensor)
    public var intersectionOverUnion: ([[Int]]) throws -> [Double?]
    public var boundaryF1: (_ truth: [Int], _ predicted: [Int], _ width: Int, _ height: Int, _ tolerance: Int) throws -> Double

    /// The learner's answers: the `Exercises` module.
    public static let exercises = Implementation(
        name: "Exercises",
        nchwOffset: { a0, a1, a2, a3, a4 in try stub("nchwOffset") { try Exercises.nchwOffset(n: a0, c: a1, y: a2, x: a3, shape: a4) } },
        luminance: { a0 in try stub("luminance") { try Exercises.luminance(a0) } },
        tensorFromPixels: { a0, a1, a2, a3 in try stub("tensorFromPixels") { try Exercises.tensorFromPixels(a0, width: a1, height: a2, channels: a3) } },
        conv2dForward: { a0, a1, a2, a3, a4 in try stub("conv2dForward") { try Exercises.conv2dForward(input: a0, weight: a1, bias: a2, stride: a3, padding: a4) } },
        conv2dBackward: { a0, a1, a2, a3, a4 in try stub("conv2dBackward") { try Exercises.conv2dBackward(input: a0, weight: a1, gradOutput: a2, stride: a3, padding: a4) } },
        reluForward: { a0 in try stub("reluForward") { try Exercises.reluForward(a0) } },
        reluBackward: { a0, a1 in try stub("reluBackward") { try Exercises.reluBackward(input: a0, gradOutput: a1) } },
        meanSquaredError: { a0, a1 in try stub("meanSquaredError") { try Exercises.meanSquaredError(prediction: a0, target: a1) } },
        adamStep: { a0, a1, a2, a3, a4, a5, a6, a7, a8 in try stub("adamStep") { try Exercises.adamStep(value: a0, gradient: a1, m: a2, v: a3, step: a4, learningRate: a5,
                                           beta1: a6, beta2: a7, epsilon: a8) } },
        receptiveField: { a0, a1 in try stub("receptiveField") { try Exercises.receptiveField(kernels: a0, strides: a1) } },
        residualForward: { a0, a1 in try stub("residualForward") { try Exercises.residualForward(a0, branch: a1) } },
        residualBackward: { a0, a1 in try stub("residualBackward") { try Exercises.residualBackward(a0, branch: a1) } },
        gradientNorm: { a0 in try stub("gradientNorm") { try Exercises.gradientNorm(a0) } },
        maxPool2dForward: { a0 in try stub("maxPool2dForward") { try Exercises.maxPool2dForward(a0) } },
        maxPool2dBackward: { a0, a1 in try stub("maxPool2dBackward") { try Exercises.maxPool2dBackward(input: a0, gradOutput: a1) } },
        convTranspose2dForward: { a0, a1, a2, a3 in try stub("convTranspose2dForward") { try Exercises.convTranspose2dForward(input: a0, weight: a1, bias: a2, stride: a3) } },
        concatForward: { a0, a1 in try stub("concatForward") { try Exercises.concatForward(a0, a1) } },
        concatBackward: { a0, a1 in try stub("concatBackward") { try Exercises.concatBackward(a0, channelsOfA: a1) } },
        centerCrop: { a0, a1, a2 in try stub("centerCrop") { try Exercises.centerCrop(a0, height: a1, width: a2) } },
        uNetForward: { a0, a1, a2, a3, a4, a5, a6, a7 in try stub("uNetForward") { try Exercises.uNetForward(a0, encoders: a1, pools: a2, bottleneck: a3, ups: a4, decoders: a5, head: a6, join: a7) } },
        gaussianKernel: { a0, a1 in try stub("gaussianKernel") { try Exercises.gaussianKernel(sigma: a0, radius: a1) } },
        psnr: { a0, a1 in try stub("psnr") { try Exercises.psnr(prediction: a0, target: a1) } },
        ssim: { a0, a1 in try stub("ssim") { try Exercises.ssim(a0, a1) } },
        bandSplit: { a0, a1 in try stub("bandSplit") { try Exercises.bandSplit(a0, sigma: a1) } },
        softmaxCrossEntropy: { a0, a1 in try stub("softmaxCrossEntropy") { try Exercises.softmaxCrossEntropy(logits: a0, labels: a1) } },
        intersectionOverUnion: { a0 in try stub("intersectionOverUnion") { try Exercises.intersectionOverUnion(a0) } },
        boundaryF1: { a0, a1, a2, a3, a4 in try stub("boundaryF1") { try Exercises.boundaryF1(truth: a0, predicted: a1, width: a2, height: a3, tolerance: a4) } })
}

/// True when `error` is the stubs' "not started" signal.
public func isNotStarted(_ error: Error) -> Bool {
    if case ExerciseError.notStarted = error { return true }
    return error is StillAStub
}

/// `ExerciseError.notStarted`, with the name of the learner's function that threw it, so a
/// half-written exercise can say which function is still a stub.
public struct StillAStub: Error, CustomStringConvertible {
    public let function: String
    public var description: String { "\(function) still throws ExerciseError.notStarted" }
}

/// Calls one of the learner's functions, naming it if it throws `notStarted`.
func stub<T>(_ function: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch ExerciseError.notStarted { throw StillAStub(function: function) }
}
