/// An error a learner can act on: what went wrong and what to do about it.
///
/// It lives in the core so that the exercises, their solutions, the kit and the lessons throw
/// and catch one type: a stub that must refuse bad input writes
/// `throw CourseError("luminance: expected [N, 3, H, W], got \(rgb.shape)")`.
public struct CourseError: Error, CustomStringConvertible {
    /// The message, printed as is (one line, no stack trace).
    public let description: String
    /// An error with this message: say what was wrong (with the shapes or values) and, if you can, what to do.
    public init(_ message: String) { description = message }
}
