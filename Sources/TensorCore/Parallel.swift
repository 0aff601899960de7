import Dispatch

/// Runs work on several cores with results that do not depend on how many.
///
/// Work is cut into a fixed number of chunks chosen by the caller (never by the thread count), and
/// each chunk is computed entirely by one thread in a fixed order. So `threads = 1` and
/// `threads = 2` add the same floats in the same order: bitwise-identical results.
public enum Parallel {
    /// How many threads `forEach` may use. Defaults to the number of active cores.
    nonisolated(unsafe) public static var threads: Int = max(1, ProcessInfoCores.active)

    /// Calls `body(chunk)` for every chunk in `0..<chunks`, spread over `threads` threads.
    /// `body` must only write memory that belongs to its chunk.
    @inlinable
    public static func forEach(_ chunks: Int, _ body: (Int) -> Void) {
        let workers = min(threads, chunks)
        if workers <= 1 {
            for c in 0..<chunks { body(c) }
            return
        }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var c = w
                while c < chunks { body(c); c += workers }
            }
        }
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
