import CourseKit
import ExerciseFunctions
import Exercises

/// `--use-exercises`: the model parts (`Parts`) built from the learner's own functions.
///
/// Each lesson uses the parts of its own exercises (lesson 5 also lesson 4's pool and up-conv);
/// a part is the learner's only when every function of its exercise(s) is written
/// (`learnerHasWritten`, from `ExerciseFunction`, which does not link the answer key). Whether it is *right* is `course check`'s
/// job: a lesson run with a wrong part is allowed — that is how a learner sees what the bug does
/// to training.
public enum LearnerParts {
    /// The exercises whose functions a lesson can build its parts from.
    public static func exercises(forLesson lesson: Int) -> [String] {
        switch lesson {
        case 2: return ["2.1", "2.2", "2.3", "2.4", "2.5"]
        case 3: return ["3.1", "3.2"]
        case 4: return ["4.1", "4.2", "4.3"]
        case 5: return ["4.1", "4.2", "4.3", "5.1", "5.2"]
        case 7: return ["7.1"]
        default: return []
        }
    }

    /// `base` (the built-in parts, or `Parts.reference`), with each part whose exercises (among
    /// lesson `lesson`'s) the learner has written replaced by one that runs the learner's code on
    /// the same initial weights.
    public static func forLesson(_ lesson: Int, base: Parts = .builtIn) -> Parts {
        let written = Set(exercises(forLesson: lesson).filter(learnerHasWritten))
        var parts = base
        if written.isSuperset(of: ["2.1", "2.2"]) {
            parts.conv = { name, cin, cout, kernel, padding, rng in
                let builtIn = Conv2D(name, in: cin, out: cout, kernel: kernel, padding: padding, rng: &rng)
                return LearnerConv2D(name, weight: builtIn.weight, bias: builtIn.bias, padding: padding)
            }
            parts.learnerCode.append("conv 2.1+2.2")
        }
        if written.contains("2.3") {
            parts.relu = { LearnerReLU($0) }
            parts.learnerCode.append("ReLU 2.3")
        }
        if written.contains("2.4") {
            parts.meanSquaredError = { learnerMeanSquaredError }
            parts.learnerCode.append("MSE 2.4")
        }
        if written.contains("2.5") {
            parts.adam = { LearnerAdam(learningRate: $0) }
            parts.learnerCode.append("Adam 2.5")
        }
        if written.isSuperset(of: ["3.1", "3.2"]) {
            parts.residual = { LearnerResidual($0, $1) }
            parts.learnerCode.append("residual forward/backward 3.1+3.2")
        }
        if written.isSuperset(of: ["4.1", "4.2"]) {
            parts.pool = { LearnerMaxPool2D($0) }
            parts.learnerCode.append("max-pool 4.1+4.2")
        }
        if written.contains("4.3") {
            parts.upConv = { name, cin, cout, rng in LearnerConvTranspose2D(ConvTranspose2D(name, in: cin, out: cout, rng: &rng)) }
            parts.learnerCode.append("transposed conv 4.3 (backward: built-in)")
        }
        if written.isSuperset(of: ["5.1", "5.2"]) {
            parts.concat = { _ in LearnerConcat() }
            parts.learnerCode.append("concat 5.1+5.2")
        }
        if written.contains("7.1") {
            parts.crossEntropy = { learnerCrossEntropy }
            parts.learnerCode.append("cross-entropy 7.1")
        }
        return parts
    }

    /// The parts lesson `lesson` builds its models from: with `--use-exercises`, the learner's where
    /// written (and a line saying which), else the built-in ones (or `--reference-kernels`' loops).
    public static func forRun(lesson: Int, options: LessonOptions) -> Parts {
        guard options.useExercises else { return options.kernelParts }
        let parts = forLesson(lesson, base: options.kernelParts)
        print("")
        print(announcement(parts, lesson: lesson))
        return parts
    }

    /// The line a lesson prints: which of the learner's parts it trains with.
    static func announcement(_ parts: Parts, lesson: Int) -> String {
        parts.learnerCode.isEmpty
            ? "--use-exercises: none of lesson \(lesson)'s model exercises (\(exercises(forLesson: lesson).joined(separator: ", "))) is written yet; using the built-in parts."
            : "--use-exercises: training with your \(parts.learnerCode.joined(separator: ", "))."
    }
}

/// The learner's `meanSquaredError` (2.4) as a `Loss`.
func learnerMeanSquaredError(_ prediction: Tensor, _ target: Tensor) -> (loss: Float, grad: Tensor) {
    let r = learnerCall("2.4", "meanSquaredError") { try meanSquaredError(prediction: prediction, target: target) }
    return (r.loss, r.gradient)
}

/// The learner's `softmaxCrossEntropy` (7.1) as a `Loss` (the target holds class indices).
func learnerCrossEntropy(_ logits: Tensor, _ labels: Tensor) -> (loss: Float, grad: Tensor) {
    let r = learnerCall("7.1", "softmaxCrossEntropy") {
        try Exercises.softmaxCrossEntropy(logits: logits, labels: labels.values.map { Int($0) })
    }
    return (r.loss, r.gradient)
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
