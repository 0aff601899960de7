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

/// Reads the whole file at `path`. Throws a readable error if it is missing, a folder, unreadable,
/// or larger than `maxBytes` (checked before reading, so a huge file costs no memory).
public func readFileBytes(_ path: String, maxBytes: Int = Int.max) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw PixelIOError("cannot read '\(path)': \(errnoText())") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw PixelIOError("cannot read '\(path)': \(errnoText())") }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
        throw PixelIOError("cannot read '\(path)': it is not a regular file (a folder?)")
    }
    guard Int(info.st_size) <= maxBytes else {
        throw PixelIOError("'\(path)' is \(info.st_size) bytes, more than the \(maxBytes) expected here: is it the right file?")
    }
    var bytes = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw PixelIOError("cannot read '\(path)': \(errnoText())")
        }
        if n == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<n])
    }
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
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
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
