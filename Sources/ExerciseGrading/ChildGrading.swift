import Foundation

/// What grading one exercise in a child process found: an `Outcome`, or the two ways learner
/// code can stop a process from reporting one.
public enum ChildOutcome: Equatable {
    case done, notStarted
    case failing(String)
    /// The learner's code crashed the child (index out of range, a precondition, ...).
    case crashed(String)
    case timedOut(seconds: Double)

    public var label: String {
        switch self {
        case .done: return "done"
        case .notStarted: return "not started"
        case .failing: return "failing"
        case .crashed: return "crashed"
        case .timedOut: return "timed out"
        }
    }

    public var isDone: Bool { self == .done }
    public var isNotStarted: Bool { self == .notStarted }

    /// The report under the label: what was wrong, where it crashed, or that it looped.
    public var report: String? {
        switch self {
        case .done, .notStarted: return nil
        case .failing(let text), .crashed(let text): return text
        case .timedOut(let seconds): return "stopped after \(Int(seconds)) s: an endless loop?"
        }
    }
}

/// Exit codes of `course _check-one`, the child that grades one exercise in its own process.
public enum ChildExitCode: Int32 { case done = 0, failing = 1, notStarted = 3 }

/// Learner code is only ever graded in a child process (`course _check-one ID`): a crash or an
/// endless loop in one exercise is reported for that exercise and hides nothing else. `course
/// check`/`status` and `swift test` (the ExerciseChecks) all grade through here.
public enum ChildGrading {
    /// Seconds one exercise may take. Every check runs in milliseconds (the slowest, 6.3/6.4,
    /// takes about 10 ms even in a debug build), so this only ever stops an endless loop.
    public static let timeout: Double = 10

    /// The child's environment: this process's, with the Swift runtime's crash backtrace on
    /// although the child writes to a pipe. On macOS the runtime prints it only when stdin is a
    /// terminal (`enable` defaults to `tty` there; swift/docs/Backtracing.rst), and without it a
    /// crash report loses the learner's file and line. `interactive=no`: never wait for a key.
    static func environment(_ parent: [String: String]) -> [String: String] {
        var environment = parent
        environment["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,color=no"
        return environment
    }

    /// Grades exercise `id` by running `course _check-one id`, where `course` is `executable`.
    public static func grade(_ id: String, executable: URL, timeout: Double = timeout) throws -> ChildOutcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["_check-one", id]
        process.environment = environment(ProcessInfo.processInfo.environment)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let collected = Collected()
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue(label: "exercise-grading.child-output").async {
            collected.read(output.fileHandleForReading)
            finished.signal()
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)  // an endless loop may ignore nothing, but be sure
            process.waitUntilExit()
            finished.wait()
            return .timedOut(seconds: timeout)
        }
        process.waitUntilExit()
        finished.wait()
        let text = collected.text
        if process.terminationReason == .uncaughtSignal {
            return .crashed(crashSummary(text, signal: process.terminationStatus))
        }
        switch process.terminationStatus {
        case ChildExitCode.done.rawValue: return .done
        case ChildExitCode.notStarted.rawValue: return .notStarted
        case ChildExitCode.failing.rawValue: return .failing(text)
        default: return .crashed(crashSummary(text, signal: nil))
        }
    }
}

/// The child's output, kept to its first 64 KB: a loop that prints must not fill the memory.
private final class Collected: @unchecked Sendable {
    private var data = Data()
    private let limit = 1 << 16

    func read(_ handle: FileHandle) {
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { return }
            if data.count < limit { data.append(chunk.prefix(limit - data.count)) }
        }
    }

    var text: String { String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// The lines of a crash report a learner needs: the runtime's message and the learner's own
/// frames (file:line in Exercises/), not the whole backtrace.
func crashSummary(_ text: String, signal: Int32?) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    let fatal = lines.filter { $0.contains("Fatal error") || $0.contains("fatal error") || $0.contains("precondition") }.prefix(2)
    let ours = lines.filter { $0.contains("Exercises/") && !$0.contains("Exercises/Support/") }.prefix(3)
    var summary = fatal.isEmpty ? Array(lines.prefix(3)) : Array(fatal)
    summary += ours.map { line in
        // A backtrace frame ends in "at /path/Exercises/LessonN/File.swift:12:5"; keep from Exercises/.
        guard let range = line.range(of: "Exercises/") else { return line }
        return "at " + line[range.lowerBound...]
    }
    if let signal { summary.append("(the check process was stopped by signal \(signal))") }
    return summary.isEmpty ? "the check process crashed without a message" : summary.joined(separator: "\n")
}
