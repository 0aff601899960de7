/// What an untouched exercise stub throws, so the checks can tell "not started" from "wrong".
///
/// Stubs throw instead of trapping: a trap would end the whole test run, and one
/// unfinished exercise must never hide the results of the others.
public enum ExerciseError: Error, CustomStringConvertible {
    case notStarted

    public var description: String {
        "not started: this exercise still has its stub body (`throw ExerciseError.notStarted`)"
    }
}
