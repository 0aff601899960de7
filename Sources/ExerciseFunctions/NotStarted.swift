import Exercises

// `Implementation` itself (one closure per exercise function) and its `.exercises` value are
// generated from the twin files at build time (Plugins/ExerciseTables); what is written by hand
// about them is here.

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
