import TensorCore
import ExerciseFunctions
import Solutions

extension Implementation {
    /// The reference answers: the `Solutions` module.
    public static let solutions: Implementation = {
        // Every function is replaced below (CatalogTests: none is left calling the learner's stub).
        var s = Implementation.exercises
        s.name = "Solutions"
        s.nchwOffset = { try Solutions.nchwOffset(n: $0, c: $1, y: $2, x: $3, shape: $4) }
        s.luminance = Solutions.luminance
        s.tensorFromPixels = { try Solutions.tensorFromPixels($0, width: $1, height: $2, channels: $3) }
        s.conv2dForward = { try Solutions.conv2dForward(input: $0, weight: $1, bias: $2, stride: $3, padding: $4) }
        s.conv2dBackward = { try Solutions.conv2dBackward(input: $0, weight: $1, gradOutput: $2, stride: $3, padding: $4) }
        s.reluForward = Solutions.reluForward
        s.reluBackward = { try Solutions.reluBackward(input: $0, gradOutput: $1) }
        s.meanSquaredError = { try Solutions.meanSquaredError(prediction: $0, target: $1) }
        s.adamStep = { try Solutions.adamStep(value: $0, gradient: $1, m: $2, v: $3, step: $4, learningRate: $5,
                                             beta1: $6, beta2: $7, epsilon: $8) }
        s.receptiveField = { try Solutions.receptiveField(kernels: $0, strides: $1) }
        s.residualForward = { try Solutions.residualForward($0, branch: $1) }
        s.residualBackward = { try Solutions.residualBackward($0, branch: $1) }
        s.gradientNorm = Solutions.gradientNorm
        s.maxPool2dForward = Solutions.maxPool2dForward
        s.maxPool2dBackward = { try Solutions.maxPool2dBackward(input: $0, gradOutput: $1) }
        s.convTranspose2dForward = { try Solutions.convTranspose2dForward(input: $0, weight: $1, bias: $2, stride: $3) }
        s.concatForward = { try Solutions.concatForward($0, $1) }
        s.concatBackward = { try Solutions.concatBackward($0, channelsOfA: $1) }
        s.centerCrop = { try Solutions.centerCrop($0, height: $1, width: $2) }
        s.uNetForward = { try Solutions.uNetForward($0, encoders: $1, pools: $2, bottleneck: $3, ups: $4, decoders: $5, head: $6, join: $7) }
        s.gaussianKernel = { try Solutions.gaussianKernel(sigma: $0, radius: $1) }
        s.psnr = { try Solutions.psnr(prediction: $0, target: $1) }
        s.ssim = { try Solutions.ssim($0, $1) }
        s.bandSplit = { try Solutions.bandSplit($0, sigma: $1) }
        s.softmaxCrossEntropy = { try Solutions.softmaxCrossEntropy(logits: $0, labels: $1) }
        s.intersectionOverUnion = Solutions.intersectionOverUnion
        s.boundaryF1 = { try Solutions.boundaryF1(truth: $0, predicted: $1, width: $2, height: $3, tolerance: $4) }
        return s
    }()

    /// The solutions with one function swapped for a wrong one (see `Exercise.wrongImplementations`).
    static func solutions(changing change: (inout Implementation) -> Void) -> Implementation {
        var wrong = solutions
        wrong.name = "wrong"
        change(&wrong)
        return wrong
    }
}
