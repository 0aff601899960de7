/// The result of grading one exercise.
public enum Outcome: Equatable {
    case done
    /// The function(s) still throw `ExerciseError.notStarted`.
    case notStarted
    case failing(Mismatch)

    /// "done", "not started" or "failing".
    public var label: String {
        switch self {
        case .done: return "done"
        case .notStarted: return "not started"
        case .failing: return "failing"
        }
    }
}

/// What a failing check saw: which case, what was expected, what came back.
public struct Mismatch: Error, Equatable, CustomStringConvertible {
    /// The case being checked, e.g. "conv2dForward(stride 2, padding 1) on [2, 3, 5, 6]".
    public var context: String
    /// One line saying what is wrong.
    public var summary: String
    /// Optional further lines: expected vs got around the first difference.
    public var details: [String]
    /// Largest |expected - got| over all values, when both are numbers of the same shape.
    public var maxDifference: Float?
    /// The index (e.g. "[0, 1, 2, 3]") of the first value that differs, when there is one.
    public var firstIndex: String?

    public init(context: String, summary: String, details: [String] = [], maxDifference: Float? = nil, firstIndex: String? = nil) {
        self.context = context
        self.summary = summary
        self.details = details
        self.maxDifference = maxDifference
        self.firstIndex = firstIndex
    }

    public var description: String {
        ([context + ": " + summary] + details.map { "  " + $0 }).joined(separator: "\n")
    }
}

/// The one-line summary the test suite and `course status` print; a crash or a time-out counts
/// as failing and is named after the counts.
public func summaryLine(_ outcomes: [ChildOutcome]) -> String {
    let done = outcomes.filter(\.isDone).count, notStarted = outcomes.filter(\.isNotStarted).count
    let crashed = outcomes.filter { $0.label == "crashed" }.count, timedOut = outcomes.filter { $0.label == "timed out" }.count
    let stopped = [crashed > 0 ? "\(crashed) crashed" : nil, timedOut > 0 ? "\(timedOut) timed out" : nil].compactMap { $0 }
    return "exercises: \(done) done, \(outcomes.count - done - notStarted) failing, \(notStarted) not started"
        + (stopped.isEmpty ? "" : " (\(stopped.joined(separator: ", ")))")
}
