#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Whole-file reads and atomic writes on plain POSIX calls, so PixelIO needs no Foundation and every
// failure becomes a PixelIOError naming the file and the reason (errno's text).

/// The text of the current `errno`, e.g. "No such file or directory".
private func errnoText() -> String { String(cString: strerror(errno)) }

/// The folder part of `path` ("." for a bare file name).
func parentDirectory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let parent = String(path[..<slash])
    return parent.isEmpty ? "/" : parent
}

/// `fd`, moved above 2 when it landed on a standard stream's number, which is then pointed at
/// /dev/null. A process started with stdout closed gets 1 from its first `open`: the lesson's
/// printed text then went into that file (the lock file, or a picture being written).
public func awayFromStandardStreams(_ fd: Int32) -> Int32 {
    guard fd >= 0, fd <= 2 else { return fd }
    let moved = fcntl(fd, F_DUPFD, 3)
    let null = open("/dev/null", O_RDWR)
    if null >= 0 { dup2(null, fd); if null != fd { close(null) } } else { close(fd) }
    return moved
}

/// How large a file the course reads may be: more means it is not the file the course wrote (or
/// a sensible input), and reading it whole would cost that much memory first.
public enum ReadLimit {
    /// metrics.json, lesson.json, hint state: a few KB when the course writes them.
    public static let json = 16 << 20
    /// An exercise's source file, a text output.
    public static let text = 4 << 20
    /// A checkpoint: the largest course model with its optimizer state is a few MB.
    public static let checkpoint = 256 << 20
    /// A picture the course wrote, embedded in report.html.
    public static let picture = 64 << 20
}

/// Reads the whole file at `path`: every file the course reads comes through here. Throws a
/// readable error if it is missing, not a regular file (a folder, a FIFO, a device), unreadable,
/// or larger than `maxBytes` (checked before reading, so a huge file costs no memory).
/// `judge(size, head)`, given the file's size and its first bytes (up to 64), may refuse it
/// before the rest is read (a PNG's header says how large the file can sensibly be).
public func readFileBytes(_ path: String, maxBytes: Int,
                          judge: ((_ size: Int, _ head: [UInt8]) throws -> Void)? = nil) throws -> [UInt8] {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever. It
    // changes nothing for a regular file, and anything else is refused below.
    let fd = awayFromStandardStreams(open(path, O_RDONLY | O_NONBLOCK))
    guard fd >= 0 else { throw PixelIOError("cannot read '\(path)': \(errnoText())") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw PixelIOError("cannot read '\(path)': \(errnoText())") }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
        throw PixelIOError("cannot read '\(path)': it is not a regular file (a folder, a FIFO or a device)")
    }
    guard Int(info.st_size) <= maxBytes else {
        throw PixelIOError("'\(path)' is \(info.st_size) bytes, more than the \(maxBytes) expected here: is it the right file?")
    }
    var bytes = [UInt8]()
    bytes.reserveCapacity(Int(info.st_size))
    /// Reads up to `count` more bytes; false at the end of the file.
    func readMore(_ count: Int) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: count)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw PixelIOError("cannot read '\(path)': \(errnoText())") }
            bytes.append(contentsOf: chunk[0..<n])
            guard bytes.count <= maxBytes else {
                throw PixelIOError("'\(path)' grew past the \(maxBytes) bytes expected here while it was read")
            }
            return n > 0
        }
    }
    if let judge {
        while bytes.count < 64, try readMore(64 - bytes.count) {}
        try judge(Int(info.st_size), bytes)
    }
    while try readMore(1 << 16) {}
    return bytes
}

/// The whole file at `path` as text (see `readFileBytes`); bytes that are not UTF-8 read as U+FFFD.
public func readFileText(_ path: String, maxBytes: Int = ReadLimit.text) throws -> String {
    String(decoding: try readFileBytes(path, maxBytes: maxBytes), as: UTF8.self)
}

/// Writes `bytes` to `path` as a whole: first to a temporary file in the same folder, then renamed
/// over `path`. A reader never sees half a file, and if anything fails the old file (if any) is
/// left as it was and the temporary file is removed. The folder must exist (see `ensureDirectory`).
public func writeFileAtomically(_ bytes: [UInt8], to path: String) throws {
    let folder = parentDirectory(of: path)
    var info = stat()
    guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
        throw PixelIOError("cannot write '\(path)': the folder '\(folder)' does not exist "
            + "(create it first, e.g. with ensureDirectory)")
    }
    var template = Array((path + ".tmp-XXXXXX").utf8CString)
    let fd = awayFromStandardStreams(template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) })
    guard fd >= 0 else { throw PixelIOError("cannot write '\(path)': \(errnoText())") }
    let tempPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    var failure: String?
    var written = 0
    bytes.withUnsafeBytes { raw in
        while written < raw.count {
            let n = write(fd, raw.baseAddress! + written, raw.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                failure = errnoText(); return
            }
            written += n
        }
    }
    // mkstemp makes the file private (0600); give it the usual rw-r--r-- of an output file.
    // (Reading the umask would mean changing it, which races with other threads.)
    if failure == nil, fchmod(fd, 0o644) != 0 { failure = errnoText() }
    if failure == nil, fsync(fd) != 0 { failure = errnoText() }
    if close(fd) != 0, failure == nil { failure = errnoText() }
    if failure == nil, rename(tempPath, path) != 0 { failure = errnoText() }
    if let failure {
        unlink(tempPath)
        throw PixelIOError("cannot write '\(path)': \(failure)")
    }
}

/// Creates the folder `path` and any missing parents (like `mkdir -p`). Throws if a part of the
/// path exists as a file or the folder cannot be created.
public func ensureDirectory(_ path: String) throws {
    var info = stat()
    if stat(path, &info) == 0 {
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw PixelIOError("cannot create folder '\(path)': a file with that name exists")
        }
        return
    }
    let parent = parentDirectory(of: path)
    if parent != path, parent != "." { try ensureDirectory(parent) }
    if mkdir(path, 0o777) != 0, errno != EEXIST {
        throw PixelIOError("cannot create folder '\(path)': \(errnoText())")
    }
}
