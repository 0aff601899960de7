import Foundation
import ExerciseGrading

/// What grading one exercise in a child process found.
enum ChildOutcome {
    case done, notStarted
    case failing(String)
    /// The learner's code crashed the child (index out of range, a precondition, ...).
    case crashed(String)
    case timedOut(seconds: Double)

    var label: String {
        switch self {
        case .done: return "done"
        case .notStarted: return "not started"
        case .failing: return "failing"
        case .crashed: return "crashed"
        case .timedOut: return "timed out"
        }
    }

    var isDone: Bool { if case .done = self { return true } else { return false } }
    var isNotStarted: Bool { if case .notStarted = self { return true } else { return false } }
}

/// Runs `course _check-one ID` in a child process: a crash or an endless loop in one exercise is
/// reported for that exercise and hides nothing else.
func gradeInChildProcess(_ id: String, timeout: Double = 120) throws -> ChildOutcome {
    guard let executable = Bundle.main.executableURL else { throw CourseCLIError("course: cannot find its own executable") }
    let process = Process()
    process.executableURL = executable
    process.arguments = ["_check-one", id]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let collected = Collected()
    let reader = DispatchQueue(label: "course.child-output")
    let finished = DispatchSemaphore(value: 0)
    reader.async {
        collected.data = output.fileHandleForReading.readDataToEndOfFile()
        finished.signal()
    }
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(5_000) }
    if process.isRunning {
        process.terminate()
        process.waitUntilExit()
        finished.wait()
        return .timedOut(seconds: timeout)
    }
    process.waitUntilExit()
    finished.wait()
    let text = String(decoding: collected.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if process.terminationReason == .uncaughtSignal {
        return .crashed(crashSummary(text, signal: process.terminationStatus))
    }
    switch process.terminationStatus {
    case CheckOne.Code.done.rawValue: return .done
    case CheckOne.Code.notStarted.rawValue: return .notStarted
    case CheckOne.Code.failing.rawValue: return .failing(text)
    default: return .crashed(crashSummary(text, signal: nil))
    }
}

private final class Collected: @unchecked Sendable { var data = Data() }

/// The lines of a crash report a learner needs: the runtime's message and the learner's frames.
private func crashSummary(_ text: String, signal: Int32?) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    let fatal = lines.filter { $0.contains("Fatal error") || $0.contains("fatal error") || $0.contains("precondition") }
    let ours = lines.filter { $0.contains("Exercises/") }.prefix(4)
    var summary = fatal.isEmpty ? Array(lines.prefix(3)) : fatal
    summary += ours
    if let signal { summary.append("(the check process was stopped by signal \(signal))") }
    return summary.isEmpty ? "the check process crashed without a message" : summary.joined(separator: "\n")
}
