/// An error a learner can act on: what went wrong and what to do about it.
public struct CourseError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
