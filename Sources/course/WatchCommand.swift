import ArgumentParser
import ExerciseGrading
import Foundation

/// `course watch`: the fast loop for exercises. Polls the exercise files; when one is saved it
/// rebuilds `course` (only the Exercises module changes, so a few seconds), grades that exercise
/// in a child process and prints the result; when it passes, it names the next exercise to do.
/// Type `h` (then Enter) for a hint on the current exercise, `q` to quit. Reads commands as
/// lines, so it works without a terminal too (a pipe, a script).
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-grade an exercise each time you save it; h + Enter for a hint, q + Enter to quit.")

    @Option(help: "Seconds between looks at the files.") var interval: Double = 0.5

    func run() throws {
        guard interval > 0, interval <= 10 else { throw CourseCLIError("--interval must be between 0 and 10 seconds") }
        let root = try packageRoot()
        let executable = try courseExecutable()
        var outcomes: [String: ChildOutcome] = [:]
        for exercise in Catalog.all { outcomes[exercise.id] = try ChildGrading.grade(exercise.id, executable: executable) }
        var current = Catalog.all.first { outcomes[$0.id] != .done }
        print("course watch: \(summaryLine(Catalog.all.map { outcomes[$0.id]! })). Save an exercise file to grade it; h + Enter for a hint, q + Enter to quit.")
        if let current { print("next: \(current.id) \(current.title) — \(current.file)") }
        fflush(stdout)

        let commands = CommandLines()
        var seen = modificationTimes(root)
        var toldInputClosed = false
        while true {
            while let command = commands.next() {
                switch command {
                case "q": print("course watch: bye"); return
                case "h": if let current { try Hint.parse([current.id]).run() } else { print("every exercise is done") }
                default: print("course watch: h + Enter for a hint on \(current?.id ?? "-"), q + Enter to quit")
                }
            }
            if commands.ended && !toldInputClosed {
                toldInputClosed = true
                print("course watch: no more input; still watching the files (Ctrl-C to stop)")
            }
            fflush(stdout)
            Thread.sleep(forTimeInterval: interval)
            let now = modificationTimes(root)
            let changed = Catalog.all.filter { now[$0.file] != seen[$0.file] }
            guard !changed.isEmpty else { continue }
            Thread.sleep(forTimeInterval: 0.2)  // let the editor finish writing
            seen = modificationTimes(root)
            print("\nsaved: \(changed.map(\.file).joined(separator: ", ")) — rebuilding…")
            fflush(stdout)
            guard try rebuild(root, executable: executable) else { continue }
            for exercise in changed {
                let outcome = try ChildGrading.grade(exercise.id, executable: executable)
                outcomes[exercise.id] = outcome
                print("\(exercise.id) \(exercise.title): \(outcome.label)")
                if let report = outcome.report { print(report.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")) }
                current = outcome == .done ? Catalog.all.first { outcomes[$0.id] != .done } : exercise
            }
            print(summaryLine(Catalog.all.map { outcomes[$0.id]! }))
            if let current { print("next: \(current.id) \(current.title) — \(current.file)") } else { print("every exercise is done!") }
            fflush(stdout)
        }
    }

    /// The last-modified time of every exercise file, by its path relative to the package.
    private func modificationTimes(_ root: URL) -> [String: Date] {
        var times: [String: Date] = [:]
        for exercise in Catalog.all {
            let attributes = try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(exercise.file).path)
            times[exercise.file] = attributes?[.modificationDate] as? Date ?? .distantPast
        }
        return times
    }

    /// `swift build --product course` in this binary's configuration; prints the compiler's
    /// errors and returns false when the learner's code does not compile.
    private func rebuild(_ root: URL, executable: URL) throws -> Bool {
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "build", "--product", "course", "-c", configuration]
        process.currentDirectoryURL = root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let errors = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { $0.contains("error:") }
            print("does not compile yet:")
            print(errors.prefix(5).map { "  " + $0 }.joined(separator: "\n"))
            return false
        }
        return true
    }
}

/// Lines typed on standard input, read on a background thread so the watch loop never blocks.
private final class CommandLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var finished = false
    var ended: Bool { lock.lock(); defer { lock.unlock() }; return finished }

    init() {
        Thread.detachNewThread { [self] in
            while let line = readLine() {
                lock.lock(); lines.append(line.trimmingCharacters(in: .whitespaces).lowercased()); lock.unlock()
            }
            lock.lock(); finished = true; lock.unlock()
        }
    }

    func next() -> String? {
        lock.lock(); defer { lock.unlock() }
        return lines.isEmpty ? nil : lines.removeFirst()
    }
}
