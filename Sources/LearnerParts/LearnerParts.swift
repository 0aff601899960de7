import CourseKit
import ExerciseFunctions
import Exercises

/// `--use-exercises`: the model parts (`Parts`) built from the learner's own functions.
///
/// Each part below names the learner functions it runs; the exercise they belong to is looked
/// up in the table generated from the twin files (`ExerciseFunction.all`), so no exercise id is
/// written here. A lesson uses the parts of its own exercises (lesson 5 also lesson 4's pool and
/// up-conv). A part is the learner's only when every one of its functions is written
/// (`ExerciseFunction.isWritten`, which does not link the answer key). Whether it is *right* is
/// `course check`'s job: a lesson run with a wrong part is allowed — that is how a learner sees
/// what the bug does to training.
public enum LearnerParts {
    /// One slot of `Parts` the learner can fill: what it is called on the lesson's line (and a
    /// note after its exercises), the functions it runs, the lessons besides the exercise's own
    /// that use it, and how it goes in.
    struct Part {
        let label: String
        let note: String
        let functions: [String]
        let alsoInLessons: Set<Int>
        let install: (inout Parts) -> Void

        init(_ label: String, note: String = "", functions: [String], alsoInLessons: Set<Int> = [],
             install: @escaping (inout Parts) -> Void) {
            self.label = label
            self.note = note
            self.functions = functions
            self.alsoInLessons = alsoInLessons
            self.install = install
        }

        /// "conv 2.1+2.2", as the lesson's line names it.
        var line: String { "\(label) \(exercises.joined(separator: "+"))\(note.isEmpty ? "" : " " + note)" }

        /// The exercises ("2.1", "2.2") that hold `functions`, in order.
        var exercises: [String] {
            var ids: [String] = []
            for id in functions.map(exercise(of:)) where !ids.contains(id) { ids.append(id) }
            return ids
        }

        /// The lessons whose models take this part: each exercise's own, and `alsoInLessons`.
        var lessons: Set<Int> {
            alsoInLessons.union(exercises.compactMap { Int($0.prefix { $0 != "." }) })
        }

        var isWritten: Bool {
            functions.allSatisfy { ExerciseFunction.named($0)?.isWritten(in: .exercises) ?? false }
        }
    }

    static let parts: [Part] = [
        Part("conv", functions: ["conv2dForward", "conv2dBackward"]) {
            $0.conv = { name, cin, cout, kernel, padding, rng in
                let builtIn = Conv2D(name, in: cin, out: cout, kernel: kernel, padding: padding, rng: &rng)
                return LearnerConv2D(name, weight: builtIn.weight, bias: builtIn.bias, padding: padding)
            }
        },
        Part("ReLU", functions: ["reluForward", "reluBackward"]) { $0.relu = { LearnerReLU($0) } },
        Part("MSE", functions: ["meanSquaredError"]) { $0.meanSquaredError = { learnerMeanSquaredError } },
        Part("Adam", functions: ["adamStep"]) { $0.adam = { LearnerAdam(learningRate: $0) } },
        Part("residual forward/backward", functions: ["residualForward", "residualBackward"]) {
            $0.residual = { LearnerResidual($0, $1) }
        },
        Part("max-pool", functions: ["maxPool2dForward", "maxPool2dBackward"], alsoInLessons: [5]) {
            $0.pool = { LearnerMaxPool2D($0) }
        },
        Part("transposed conv", note: "(backward: built-in)", functions: ["convTranspose2dForward"], alsoInLessons: [5]) {
            $0.upConv = { name, cin, cout, rng in LearnerConvTranspose2D(ConvTranspose2D(name, in: cin, out: cout, rng: &rng)) }
        },
        Part("concat", functions: ["concatForward", "concatBackward"]) { $0.concat = { _ in LearnerConcat() } },
        Part("cross-entropy", functions: ["softmaxCrossEntropy"]) { $0.crossEntropy = { learnerCrossEntropy } },
    ]

    /// The exercises whose functions a lesson can build its parts from.
    public static func exercises(forLesson lesson: Int) -> [String] {
        parts.filter { $0.lessons.contains(lesson) }.flatMap(\.exercises)
    }

    /// `base` (the built-in parts, or `Parts.reference`), with each of lesson `lesson`'s parts
    /// that the learner has written replaced by one that runs the learner's code on the same
    /// initial weights.
    public static func forLesson(_ lesson: Int, base: Parts = .builtIn) -> Parts {
        var result = base
        for part in parts where part.lessons.contains(lesson) && part.isWritten {
            part.install(&result)
            result.learnerCode.append(part.line)
        }
        return result
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
    let r = learnerCall("meanSquaredError") { try meanSquaredError(prediction: prediction, target: target) }
    return (r.loss, r.gradient)
}

/// The learner's `softmaxCrossEntropy` (7.1) as a `Loss` (the target holds class indices).
func learnerCrossEntropy(_ logits: Tensor, _ labels: Tensor) -> (loss: Float, grad: Tensor) {
    let r = learnerCall("softmaxCrossEntropy") {
        try Exercises.softmaxCrossEntropy(logits: logits, labels: labels.values.map { Int($0) })
    }
    return (r.loss, r.gradient)
}

/// The exercise ("2.3") that holds the learner function `name`, from the generated table.
func exercise(of name: String) -> String {
    guard let f = ExerciseFunction.named(name) else {
        preconditionFailure("LearnerParts: no exercise has a function named \(name); check the twin files in Solutions/")
    }
    return f.exercise
}

/// Runs the learner function `name` inside a `Layer` method (which cannot throw): any error stops
/// the program with a message that names the exercise, instead of training on garbage.
public func learnerCall<T>(_ name: String, _ body: () throws -> T) -> T {
    do {
        return try body()
    } catch {
        let id = exercise(of: name)
        preconditionFailure("--use-exercises: your \(name) (exercise \(id)) threw: \(error). Run `swift run course check \(id)`.")
    }
}
