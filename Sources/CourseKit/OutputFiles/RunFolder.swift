import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one lesson run writes: a private folder that becomes `Outputs/lessonN` only when the
/// run finishes.
///
/// A run killed halfway (Ctrl-C, kill -9) or stopped by an error (a diverged model) must not leave
/// a folder with half of its files beside half of the last run's, and two runs of one lesson into
/// one folder must not mix their checkpoints and metrics. So a run
/// 1. locks `Outputs/.lessonN.lock` (the OS drops the lock when the process ends, however it ends),
/// 2. clears what a killed run left behind (`.lessonN.run-*` folders, `*.tmp-*` files),
/// 3. writes into `Outputs/.lessonN.run-PID`,
/// 4. and `commit()` swaps that folder in for `Outputs/lessonN`.
public final class RunFolder {
    /// `Outputs/lessonN`, where the finished run's files end up.
    public let final: URL
    /// `Outputs/.lessonN.run-PID`, where the run writes them.
    public let staging: URL
    private let base: URL, name: String
    private let lock: Int32

    public init(outputs: String, lesson: Int) throws {
        try Self.checkOutputs(outputs)
        base = URL(fileURLWithPath: outputs)
        name = "lesson\(lesson)"
        final = base.appendingPathComponent(name)
        staging = base.appendingPathComponent(".\(name).run-\(getpid())")
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: final.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw CourseError("\(final.path) is a file, not a folder: move it away, or give another --outputs")
        }
        if let failure = Self.makeFolders(base.path) {
            throw CourseError("cannot create the output folder \(base.path): \(failure)")
        }
        lock = try Self.takeLock(base.appendingPathComponent(".\(name).lock"), lesson: lesson)
        clearLeftovers()
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw CourseError("cannot create \(staging.path): \(Self.reason(error))")
        }
        Self.removeOnSignals(staging)
    }

    /// Ctrl-C, `kill`, a closed terminal: the run's private folder goes with it, then the signal
    /// ends the process as it would have (kill -9 cannot be caught: the next run clears that one).
    private static func removeOnSignals(_ folder: URL) {
        // A file-size limit (`ulimit -f`) killed the run silently, mid-write; ignored, the write
        // fails with "File too large" and the run stops with that error, its temporary file removed.
        signal(SIGXFSZ, SIG_IGN)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)  // the source below receives it instead
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                try? FileManager.default.removeItem(at: folder)
                signal(signalNumber, SIG_DFL)
                kill(getpid(), signalNumber)
            }
            source.resume()
            signalSources.append(source)
        }
    }
    private static var signalSources: [DispatchSourceSignal] = []

    /// The one rule for `--outputs`, in every lesson and `course` command: a folder (created if
    /// missing), never "" (which `course compare` took as the current folder) and never a file.
    public static func checkOutputs(_ outputs: String) throws {
        guard !outputs.isEmpty else { throw CourseError("--outputs is empty: give a folder, e.g. --outputs Outputs") }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: outputs, isDirectory: &isFolder), !isFolder.boolValue {
            throw CourseError("--outputs \(URL(fileURLWithPath: outputs).path) is a file, not a folder: give a folder (it is created if missing)")
        }
    }

    /// A run that stops with an error (a diverged model, a full disk) never commits: its private
    /// folder is removed here, so only killed runs leave one (cleared by the next run).
    deinit {
        if FileManager.default.fileExists(atPath: staging.path) { try? FileManager.default.removeItem(at: staging) }
        close(lock)
    }

    /// Puts the finished run's folder in place of the last run's, which is then removed.
    public func commit() throws {
        let old = base.appendingPathComponent(".\(name).old-\(getpid())")
        let hadOld = FileManager.default.fileExists(atPath: final.path)
        if hadOld, rename(final.path, old.path) != 0 {
            throw CourseError("cannot replace \(final.path): \(String(cString: strerror(errno)))")
        }
        if rename(staging.path, final.path) != 0 {
            let why = String(cString: strerror(errno))
            if hadOld { rename(old.path, final.path) }
            throw CourseError("cannot move this run's outputs to \(final.path): \(why)")
        }
        if hadOld { try? FileManager.default.removeItem(at: old) }
    }

    /// Removes what killed runs left: their private folders and temporary files. A run killed
    /// between the two renames of `commit` left no `lessonN` but an `.old-` folder: that is put back.
    private func clearLeftovers() {
        let fm = FileManager.default
        let entries = (try? fm.contentsOfDirectory(atPath: base.path)) ?? []
        let olds = entries.filter { $0.hasPrefix(".\(name).old-") }
        if !fm.fileExists(atPath: final.path), let old = olds.first {
            rename(base.appendingPathComponent(old).path, final.path)
        }
        for entry in entries where entry.hasPrefix(".\(name).run-") || entry.hasPrefix(".\(name).old-") {
            try? fm.removeItem(at: base.appendingPathComponent(entry))
        }
        for entry in (try? fm.contentsOfDirectory(atPath: final.path)) ?? [] where entry.contains(".tmp-") {
            try? fm.removeItem(at: final.appendingPathComponent(entry))
        }
    }

    /// An exclusive `flock` on `file`, holding who took it, or an error naming the run that holds it.
    private static func takeLock(_ file: URL, lesson: Int) throws -> Int32 {
        let fd = awayFromStandardStreams(open(file.path, O_RDWR | O_CREAT, 0o644))
        guard fd >= 0 else { throw CourseError("cannot create \(file.path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? readFileText(file.path, maxBytes: 4096))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw CourseError("another run of lesson \(lesson) is writing to \(file.deletingLastPathComponent().path) "
                + "(\(holder.flatMap { $0.isEmpty ? nil : $0 } ?? "still starting")): wait for it to finish, "
                + "or give this one another --outputs folder")
        }
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        let who = "pid \(getpid()), started \(formatter.string(from: Date())): \(CommandLine.arguments.joined(separator: " "))\n"
        ftruncate(fd, 0)
        _ = who.withCString { write(fd, $0, strlen($0)) }
        return fd
    }

    /// `mkdir -p path`, returning what went wrong where (nil on success): the system's own reason
    /// ("Permission denied", "No such file or directory") says more than Foundation's wrapper.
    private static func makeFolders(_ path: String) -> String? {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, 0o755) != 0 && errno != EEXIST {
                return "\(built): \(String(cString: strerror(errno)))"
            }
        }
        return nil
    }

    private static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(code))) }
        return (error as NSError).localizedDescription
    }
}
