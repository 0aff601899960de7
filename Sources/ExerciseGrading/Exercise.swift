import TensorCore
/// The functions, the learner's set and "is it written?" come from below, where lessons reach them
/// without the answer key.
@_exported import ExerciseFunctions

/// One exercise: where the learner writes it, how it is graded, and how to get unstuck.
public struct Exercise {
    /// "N.M": lesson N, exercise M.
    public let id: String
    public let title: String
    /// Graded hints, gentlest first; `course hint` reveals one more each time.
    public let hints: [String]
    /// Exercises whose functions this one's solution calls (their "not started" shows up here too).
    public let needs: [String]
    /// Throws a `Mismatch` (or the implementation's own error) when an answer is wrong.
    let check: (Implementation) throws -> Void
    /// Plausible wrong answers this check must reject, each with a short description.
    public let wrongImplementations: [(description: String, implementation: Implementation)]

    init(_ id: String, _ title: String, needs: [String] = [], hints: [String],
         check: @escaping (Implementation) throws -> Void,
         wrong: [(String, Implementation)]) {
        self.id = id
        self.title = title
        self.needs = needs
        self.hints = hints
        self.check = check
        self.wrongImplementations = wrong.map { (description: $0.0, implementation: $0.1) }
    }

    /// Grades `implementation` on this exercise's worked cases, then on a seeded sweep of its
    /// whole input domain against the solution (`Domain.sweep`): the same cases every run.
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
            if !implementation.notStarted.contains(function), let first = needs.first {
                // Written, yet the stub's signal came out of it: from a function of an exercise it uses.
                return .failing(Mismatch(context: "exercise \(id)", summary:
                    "your code is written but calls exercise \(needs.joined(separator: ", ")), which still throws "
                    + "ExerciseError.notStarted: finish \(first) first (`swift run course check \(first)`), then \(id) can be graded"))
            }
            return .failing(Mismatch(context: "exercise \(id)", summary:
                "partly written: \(progress.passed) expectation(s) passed, then \(function) still threw ExerciseError.notStarted"
                + (needs.isEmpty ? "" : " (this exercise also uses \(needs.joined(separator: ", ")))")))
        } catch {
            return .failing(Mismatch(context: "exercise \(id)", summary: "threw \(type(of: error)): \(error)"))
        }
    }
}

extension Exercise {
    /// The learner's functions of this exercise (`ExerciseFunction`, where lessons ask about them too).
    public var functions: [ExerciseFunction] { ExerciseFunction.of(exercise: id) }

    /// The learner's file, relative to the package root, e.g. "Exercises/Lesson2/Conv2DForward.swift"
    /// (the twin of the solution that declares this exercise's functions).
    public var file: String { functions.first?.file ?? "(no file declares exercise \(id))" }

    /// The names of this exercise's functions that no longer throw `ExerciseError.notStarted`.
    public func writtenFunctions(in implementation: Implementation) -> [String] {
        functions.filter { $0.isWritten(in: implementation) }.map(\.name)
    }

    /// True when every function of this exercise is written in `implementation`: a lesson can
    /// swap it in (`--use-exercises`).
    public func isWritten(in implementation: Implementation) -> Bool {
        writtenFunctions(in: implementation).count == functions.count
    }
}

extension Implementation {
    /// The solutions with one function swapped for a wrong one (see `Exercise.wrongImplementations`).
    static func solutions(changing change: (inout Implementation) -> Void) -> Implementation {
        var wrong = solutions
        wrong.name = "wrong"
        change(&wrong)
        return wrong
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
