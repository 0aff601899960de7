import Dispatch

/// Runs work on several cores with results that do not depend on how many.
///
/// Work is cut into chunks chosen by the caller (never by the thread count), and each chunk is
/// computed entirely by one thread in a fixed order. So `threads = 1` and
/// `threads = 2` add the same floats in the same order: bitwise-identical results.
public enum Parallel {
    /// How many threads `forEach` may use. Defaults to the number of active cores.
    nonisolated(unsafe) public static var threads: Int = max(1, ProcessInfoCores.active)

    /// Calls `body(chunk)` for every chunk in `0..<chunks`, spread over `threads` threads.
    /// `body` must only write memory that belongs to its chunk.
    @inlinable
    public static func forEach(_ chunks: Int, _ body: (Int) -> Void) {
        forEach(chunks) { chunk, _ in body(chunk) }
    }

    /// How many workers `forEach(chunks)` will use: size per-worker scratch space with it.
    @inlinable
    public static func workerCount(for chunks: Int) -> Int { max(1, min(threads, chunks)) }

    /// Like `forEach(_:_:)`, also passing the worker (`0 ..< workerCount(for: chunks)`) running the
    /// chunk, so each worker can use its own scratch buffer. Which worker runs a chunk varies;
    /// what a chunk computes must not depend on it.
    @inlinable
    public static func forEach(_ chunks: Int, _ body: (_ chunk: Int, _ worker: Int) -> Void) {
        let workers = workerCount(for: chunks)
        if workers <= 1 {
            for c in 0..<chunks { body(c, 0) }
            return
        }
        // Chunks are handed out one at a time to whichever worker is free, so a worker that the
        // OS pauses (a busy machine) does not hold the others up. Which worker runs a chunk never
        // changes what the chunk computes.
        let next = ChunkCounter()
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                while true {
                    let c = next.claim()
                    if c >= chunks { break }
                    body(c, w)
                }
            }
        }
    }
}

/// A shared "next chunk" counter (a mutex keeps it portable; a claim costs well under a
/// microsecond, far below what a chunk takes).
@usableFromInline
final class ChunkCounter: @unchecked Sendable {
    private var value = 0
    /// Allocated, not stored inline: a mutex must not move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    @usableFromInline init() { pthread_mutex_init(mutex, nil) }
    deinit { pthread_mutex_destroy(mutex); mutex.deallocate() }

    /// The next chunk index (0, 1, 2, ...).
    @usableFromInline func claim() -> Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        value += 1
        return value - 1
    }
}

/// The number of cores the process may use.
public enum ProcessInfoCores {
    public static var active: Int {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return Int(sysconf(_SC_NPROCESSORS_ONLN))
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
