import TensorCore

/// One exercise: where the learner writes it, how it is graded, and how to get unstuck.
public struct Exercise {
    /// "N.M": lesson N, exercise M.
    public let id: String
    public let title: String
    /// The learner's file, relative to the package root, e.g. "Exercises/Lesson2/Conv2DForward.swift".
    public let file: String
    /// Graded hints, gentlest first; `course hint` reveals one more each time.
    public let hints: [String]
    /// Exercises whose functions this one's solution calls (their "not started" shows up here too).
    public let needs: [String]
    /// The learner's functions of this exercise, each with a tiny call that asks only "is it still
    /// a stub?" (whether it is *right* is `check`'s job). Lessons swap a learner's part in only
    /// when every function is written; the grader calls an exercise "not started" when none is.
    public let functions: [(name: String, probe: (Implementation) throws -> Void)]
    /// Throws a `Mismatch` (or the implementation's own error) when an answer is wrong.
    let check: (Implementation) throws -> Void
    /// Plausible wrong answers this check must reject, each with a short description.
    public let wrongImplementations: [(description: String, implementation: Implementation)]

    init(_ id: String, _ title: String, file: String, needs: [String] = [],
         functions: [(String, (Implementation) throws -> Void)], hints: [String],
         check: @escaping (Implementation) throws -> Void,
         wrong: [(String, Implementation)]) {
        self.id = id
        self.title = title
        self.file = file
        self.needs = needs
        self.functions = functions.map { (name: $0.0, probe: $0.1) }
        self.hints = hints
        self.check = check
        self.wrongImplementations = wrong.map { (description: $0.0, implementation: $0.1) }
    }

    /// Grades `implementation` on this exercise's fixed, seeded cases.
    ///
    /// "Not started" when none of the exercise's functions is written. When some are (say
    /// `reluForward` is written but `reluBackward` is still a stub), the exercise is failing, with
    /// a message naming the stub.
    public func grade(_ implementation: Implementation) -> Outcome {
        if writtenFunctions(in: implementation).isEmpty { return .notStarted }
        let progress = Progress()
        do {
            try Progress.$current.withValue(progress) { try check(implementation) }
            return .done
        } catch let mismatch as Mismatch {
            return .failing(mismatch)
        } catch where isNotStarted(error) {
            let function = (error as? StillAStub)?.function ?? "a function"
            return .failing(Mismatch(context: "exercise \(id)", summary:
                "partly written: \(progress.passed) expectation(s) passed, then \(function) still threw ExerciseError.notStarted"
                + (needs.isEmpty ? "" : " (this exercise also uses \(needs.joined(separator: ", ")))")))
        } catch {
            return .failing(Mismatch(context: "exercise \(id)", summary: "threw \(type(of: error)): \(error)"))
        }
    }
}

extension Exercise {
    /// The names of this exercise's functions that no longer throw `ExerciseError.notStarted`
    /// (a function that throws anything else, or traps, is written: it runs and shows what it does).
    public func writtenFunctions(in implementation: Implementation) -> [String] {
        functions.filter { function in
            do { try function.probe(implementation); return true } catch { return !isNotStarted(error) }
        }.map(\.name)
    }

    /// True when every function of this exercise is written in `implementation`: a lesson can
    /// swap it in (`--use-exercises`).
    public func isWritten(in implementation: Implementation) -> Bool {
        writtenFunctions(in: implementation).count == functions.count
    }
}

/// True when the learner's exercise `id` ("2.3") is written: every one of its functions no longer
/// throws `ExerciseError.notStarted` (false for an unknown id).
public func learnerHasWritten(_ id: String) -> Bool { Catalog.exercise(id)?.isWritten(in: .exercises) ?? false }

/// The tiny inputs of the "is it still a stub?" probes (`Exercise.functions`).
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

/// Counts the expectations that passed while one check runs (see `Exercise.grade`).
final class Progress: @unchecked Sendable {
    @TaskLocal static var current: Progress?
    var passed = 0
    static func pass() { current?.passed += 1 }
}

/// Every exercise of the course, in order.
public enum Catalog {
    public static let all: [Exercise] = lesson1 + lesson2 + lesson3 + lesson4 + lesson5 + lesson6 + lesson7

    /// The exercise with this id ("2.1"), or nil.
    public static func exercise(_ id: String) -> Exercise? { all.first { $0.id == id } }
}
