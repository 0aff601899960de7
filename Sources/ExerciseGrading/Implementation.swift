import TensorCore
import Exercises
import Solutions

/// One complete set of answers to the exercises, as plain function values.
///
/// The checks take an `Implementation`, never a module, so the same check grades the learner's
/// `Exercises`, the reference `Solutions`, and the deliberately wrong answers that prove each
/// check can fail (`Exercise.wrongImplementations`): a wrong answer is the solutions with one
/// function replaced.
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

    /// The learner's answers: the `Exercises` module.
    public static let exercises = Implementation(
        name: "Exercises",
        nchwOffset: { try Exercises.nchwOffset(n: $0, c: $1, y: $2, x: $3, shape: $4) },
        luminance: Exercises.luminance,
        tensorFromPixels: { try Exercises.tensorFromPixels($0, width: $1, height: $2, channels: $3) },
        conv2dForward: { try Exercises.conv2dForward(input: $0, weight: $1, bias: $2, stride: $3, padding: $4) },
        conv2dBackward: { try Exercises.conv2dBackward(input: $0, weight: $1, gradOutput: $2, stride: $3, padding: $4) },
        reluForward: Exercises.reluForward,
        reluBackward: { try Exercises.reluBackward(input: $0, gradOutput: $1) },
        meanSquaredError: { try Exercises.meanSquaredError(prediction: $0, target: $1) },
        adamStep: { try Exercises.adamStep(value: $0, gradient: $1, m: $2, v: $3, step: $4, learningRate: $5,
                                           beta1: $6, beta2: $7, epsilon: $8) },
        receptiveField: { try Exercises.receptiveField(kernels: $0, strides: $1) },
        residualForward: { try Exercises.residualForward($0, branch: $1) },
        residualBackward: { try Exercises.residualBackward($0, branch: $1) },
        gradientNorm: Exercises.gradientNorm,
        maxPool2dForward: Exercises.maxPool2dForward,
        maxPool2dBackward: { try Exercises.maxPool2dBackward(input: $0, gradOutput: $1) },
        convTranspose2dForward: { try Exercises.convTranspose2dForward(input: $0, weight: $1, bias: $2, stride: $3) },
        concatForward: { try Exercises.concatForward($0, $1) },
        concatBackward: { try Exercises.concatBackward($0, channelsOfA: $1) },
        centerCrop: { try Exercises.centerCrop($0, height: $1, width: $2) },
        uNetForward: { try Exercises.uNetForward($0, encoders: $1, pools: $2, bottleneck: $3, ups: $4, decoders: $5, head: $6, join: $7) },
        gaussianKernel: { try Exercises.gaussianKernel(sigma: $0, radius: $1) },
        psnr: { try Exercises.psnr(prediction: $0, target: $1) },
        ssim: { try Exercises.ssim($0, $1) },
        bandSplit: { try Exercises.bandSplit($0, sigma: $1) })

    /// The reference answers: the `Solutions` module.
    public static let solutions = Implementation(
        name: "Solutions",
        nchwOffset: { try Solutions.nchwOffset(n: $0, c: $1, y: $2, x: $3, shape: $4) },
        luminance: Solutions.luminance,
        tensorFromPixels: { try Solutions.tensorFromPixels($0, width: $1, height: $2, channels: $3) },
        conv2dForward: { try Solutions.conv2dForward(input: $0, weight: $1, bias: $2, stride: $3, padding: $4) },
        conv2dBackward: { try Solutions.conv2dBackward(input: $0, weight: $1, gradOutput: $2, stride: $3, padding: $4) },
        reluForward: Solutions.reluForward,
        reluBackward: { try Solutions.reluBackward(input: $0, gradOutput: $1) },
        meanSquaredError: { try Solutions.meanSquaredError(prediction: $0, target: $1) },
        adamStep: { try Solutions.adamStep(value: $0, gradient: $1, m: $2, v: $3, step: $4, learningRate: $5,
                                           beta1: $6, beta2: $7, epsilon: $8) },
        receptiveField: { try Solutions.receptiveField(kernels: $0, strides: $1) },
        residualForward: { try Solutions.residualForward($0, branch: $1) },
        residualBackward: { try Solutions.residualBackward($0, branch: $1) },
        gradientNorm: Solutions.gradientNorm,
        maxPool2dForward: Solutions.maxPool2dForward,
        maxPool2dBackward: { try Solutions.maxPool2dBackward(input: $0, gradOutput: $1) },
        convTranspose2dForward: { try Solutions.convTranspose2dForward(input: $0, weight: $1, bias: $2, stride: $3) },
        concatForward: { try Solutions.concatForward($0, $1) },
        concatBackward: { try Solutions.concatBackward($0, channelsOfA: $1) },
        centerCrop: { try Solutions.centerCrop($0, height: $1, width: $2) },
        uNetForward: { try Solutions.uNetForward($0, encoders: $1, pools: $2, bottleneck: $3, ups: $4, decoders: $5, head: $6, join: $7) },
        gaussianKernel: { try Solutions.gaussianKernel(sigma: $0, radius: $1) },
        psnr: { try Solutions.psnr(prediction: $0, target: $1) },
        ssim: { try Solutions.ssim($0, $1) },
        bandSplit: { try Solutions.bandSplit($0, sigma: $1) })

    /// The solutions with one function swapped for a wrong one (see `Exercise.wrongImplementations`).
    static func solutions(changing change: (inout Implementation) -> Void) -> Implementation {
        var wrong = solutions
        wrong.name = "wrong"
        change(&wrong)
        return wrong
    }
}

/// True when `error` is the stubs' "not started" signal.
public func isNotStarted(_ error: Error) -> Bool {
    if case ExerciseError.notStarted = error { return true }
    return false
}
