import ArgumentParser
import CourseKit
import Foundation

/// `course all`: every lesson in its default mode, one after the other, then `course compare`.
///
/// Each lesson is its own executable (`lessonN`), run as a child process with the same output
/// folder, so a lesson that fails stops the run with its own message and exit code.
struct All: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every lesson in its default mode, then compare them.")

    @OptionGroup var outputsOption: OutputsOption
    var outputs: String { outputsOption.outputs }

    @Flag(help: "Run every lesson with --quick (a few seconds each).")
    var quick = false

    @Option(help: "Threads for the tensor core (default: every core).")
    var threads: Int?

    func run() throws {
        let started = Date()
        let programs = try LessonPrograms.locate()
        for lesson in LessonCatalog.lessons {
            var arguments = ["--outputs", outputs]
            if quick { arguments.append("--quick") }
            if let threads { arguments += ["--threads", String(threads)] }
            print("\n>>> course all: lesson \(lesson.number) of \(LessonCatalog.lessons.count) — \(lesson.title)")
            try programs.run(lesson, arguments: arguments)
        }
        print("\n>>> course all: compare")
        try Compare.makeComparison(outputs: outputs)
        print("\ncourse all: every lesson ran in \(fmt(Date().timeIntervalSince(started), 0)) s. "
              + "Open \(outputs)/report.html in a browser.")
    }
}

/// `course` with no argument: each lesson and whether (and when) it has been run.
func printLessonStatus(outputs: String = "Outputs") {
    print("UNetFromScratch — lessons (outputs in \(outputs)/)\n")
    var rows = [["lesson", "title", "status"]]
    for lesson in LessonCatalog.lessons {
        let folder = URL(fileURLWithPath: outputs).appendingPathComponent("lesson\(lesson.number)")
        let status: String
        do {
            if let record = try LessonRecord.read(from: folder) {
                status = "run \(record.finished.prefix(16).replacingOccurrences(of: "T", with: " ")), "
                    + "\(fmt(record.seconds, 0)) s (\(record.settings))"
            } else {
                status = "not run yet"
            }
        } catch {
            status = "\(error)"
        }
        rows.append(["\(lesson.number)", lesson.title, status])
    }
    Chapter.table(rows)
    print("""

    Run one:   swift run -c release lesson2          (add --help for its flags)
    Run all:   swift run -c release course all       (then open \(outputs)/report.html)
    Compare:   swift run -c release course compare
    """)
}

/// The lesson executables next to `course` in the build products folder, built on demand.
struct LessonPrograms {
    let folder: URL

    /// The folder `course` itself runs from; builds the lesson programs there if one is missing
    /// (`swift run course` builds only `course`).
    static func locate() throws -> LessonPrograms {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let programs = LessonPrograms(folder: me.deletingLastPathComponent())
        let missing = LessonCatalog.lessons.filter { !programs.exists($0) }
        if !missing.isEmpty { try programs.build() }
        return programs
    }

    func url(_ lesson: LessonCatalog.Entry) -> URL { folder.appendingPathComponent(lesson.executable) }

    func exists(_ lesson: LessonCatalog.Entry) -> Bool {
        FileManager.default.isExecutableFile(atPath: url(lesson).path)
    }

    /// `swift build` for the same configuration and build folder `course` came from:
    /// products live in `<scratch>/<triple>/<configuration>/` (or `<scratch>/<configuration>/`).
    /// Xcode keeps its products elsewhere (`.../Build/Products/Debug`, capitalised): there the
    /// lessons are built as Xcode's own schemes, so this says so instead of guessing a package.
    func build() throws {
        let configuration = folder.lastPathComponent.lowercased()
        var scratch = folder.deletingLastPathComponent()
        if scratch.lastPathComponent.contains("-") && scratch.lastPathComponent.hasPrefix(".build") == false {
            scratch = scratch.deletingLastPathComponent()  // skip the target-triple folder
        }
        let package = scratch.deletingLastPathComponent()
        let isSwiftPM = ["debug", "release"].contains(configuration)
            && FileManager.default.fileExists(atPath: package.appendingPathComponent("Package.swift").path)
        guard isSwiftPM else {
            throw CourseError("the lesson programs are not next to course (\(folder.path)), and this is not a "
                + "`swift build` folder (Xcode's?): build the lessonN schemes there first, or run "
                + "`swift run -c release course all` in Terminal, from the package folder")
        }
        print("course: building the lesson programs (swift build -c \(configuration)) ...")
        // `swift build` accepts one --product; build the missing lessons one at a time.
        for lesson in LessonCatalog.lessons where !exists(lesson) {
            let status = try runProcess("/usr/bin/env", ["swift", "build", "-c", configuration,
                                                         "--package-path", package.path,
                                                         "--scratch-path", scratch.path,
                                                         "--product", lesson.executable])
            guard status == 0, exists(lesson) else {
                throw CourseError("could not build \(lesson.executable) (swift build exited with \(status)); "
                    + "try `swift build -c \(configuration)` and run `course all` again")
            }
        }
    }

    /// Runs lesson `lesson` with `arguments`; its output goes straight to this terminal.
    func run(_ lesson: LessonCatalog.Entry, arguments: [String]) throws {
        let status = try runProcess(url(lesson).path, arguments)
        guard status == 0 else {
            throw CourseError("\(lesson.executable) stopped with exit code \(status); see its message above")
        }
    }
}

/// Runs a program with this process's standard output and error; returns its exit code.
/// What this process printed is flushed first: into a pipe or a file, stdout is buffered, and
/// `course all`'s ">>> lesson N" lines landed after every lesson's text.
func runProcess(_ path: String, _ arguments: [String]) throws -> Int32 {
    fflush(stdout)
    forwardTerminationSignals()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    do {
        try process.run()
    } catch {
        throw CourseError("cannot start \(path): \(error.localizedDescription)")
    }
    runningChild = process.processIdentifier
    process.waitUntilExit()
    runningChild = 0
    return process.terminationStatus
}

/// The lesson `course` is running, 0 when none: read by the signal handler below.
private var runningChild: pid_t = 0

/// A SIGTERM or SIGHUP sent to `course` alone (`kill`, a closed terminal) also stops the lesson it
/// is running; without this the lesson went on training, orphaned. (Ctrl-C already reaches both:
/// the terminal signals the whole process group.)
private func forwardTerminationSignals() {
    for signalNumber in [SIGTERM, SIGHUP] {
        signal(signalNumber) { received in
            if runningChild > 0 { kill(runningChild, received) }
            signal(received, SIG_DFL)
            raise(received)
        }
    }
}

/// `course compare`: every trained model side by side on the same held-out inputs.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put every model side by side: Outputs/compare.png and Outputs/report.html.")

    @OptionGroup var outputsOption: OutputsOption
    var outputs: String { outputsOption.outputs }

    func run() throws { try Compare.makeComparison(outputs: outputs) }

    /// Writes `compare.png` and `report.html` into `outputs`.
    static func makeComparison(outputs: String) throws {
        let root = URL(fileURLWithPath: outputs)
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw CourseError("no \(outputs)/ folder yet: run a lesson first (swift run -c release course all)")
        }
        let comparison = try ModelComparison.load(from: root)
        try comparison.picture().writePNG(to: root.appendingPathComponent("compare.png").path)
        print("Wrote \(outputs)/compare.png: \(comparison.columns.map(\.label).joined(separator: " | ")), "
              + "\(comparison.rows) held-out scenes."
              + (comparison.missing.isEmpty ? "" : " Not run yet (no column): \(comparison.missing.joined(separator: ", ")).")) 
        let html = try Report(outputs: root).html()
        try writeFileAtomically(Array(html.utf8), to: root.appendingPathComponent("report.html").path)
        print("Wrote \(outputs)/report.html (open it in a browser; it needs no network).")
    }
}
