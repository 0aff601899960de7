import TensorCore

/// One function the learner writes: its name (as in `Implementation` and in their file), the
/// exercise ("N.M") and the file that holds it. `ExerciseFunction.all` is generated from the twin
/// files (Plugins/ExerciseTables).
///
/// Lessons swap a learner's part in only when every function it runs is written (`isWritten`;
/// LearnerParts finds each function's exercise here); the grader calls an exercise "not started"
/// when none is. Whether a function is *right* is the grader's job, not this table's.
public struct ExerciseFunction {
    public let exercise: String
    public let name: String
    /// The learner's file, relative to the package root ("Exercises/Lesson4/MaxPoolForward.swift").
    public let file: String

    init(_ exercise: String, _ name: String, file: String) {
        self.exercise = exercise
        self.name = name
        self.file = file
    }

    /// False while the function still throws `ExerciseError.notStarted`: for the learner's set, its
    /// body still says so (read when the course was built, so asking calls none of their code).
    public func isWritten(in implementation: Implementation) -> Bool {
        !implementation.notStarted.contains(name)
    }

    /// The functions of exercise `id` ("2.3": reluForward and reluBackward); empty for an unknown id.
    public static func of(exercise id: String) -> [ExerciseFunction] { all.filter { $0.exercise == id } }

    /// The learner function called `name` ("reluForward"), or nil when no exercise has one.
    public static func named(_ name: String) -> ExerciseFunction? { all.first { $0.name == name } }
}

/// True when the learner's exercise `id` ("2.3") is written: every one of its functions no longer
/// throws `ExerciseError.notStarted` (false for an unknown id).
public func learnerHasWritten(_ id: String) -> Bool {
    let functions = ExerciseFunction.of(exercise: id)
    return !functions.isEmpty && functions.allSatisfy { $0.isWritten(in: .exercises) }
}
