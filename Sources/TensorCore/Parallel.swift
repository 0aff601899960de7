import CSpinWait

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
        withoutActuallyEscaping(body) { body in
            WorkerPool.shared.run(chunks: chunks, workers: workers, body)
        }
    }
}

/// Threads kept alive between `Parallel.forEach` calls.
///
/// A training step makes a few hundred parallel calls, many of them well under a millisecond;
/// waking a sleeping thread for each (as `DispatchQueue.concurrentPerform` does) cost about a
/// third of the second core's time (measured, training at batch 8: 1.48x one thread, now 1.75x). So an idle
/// worker first spins for about 50 µs, watching for the next call, and only then sleeps on a
/// condition variable. The calling thread always works as worker 0.
@usableFromInline
final class WorkerPool: @unchecked Sendable {
    @usableFromInline static let shared = WorkerPool()

    /// Bumped once per call; a worker that sees it change joins the call.
    private let generation = UnsafeMutablePointer<spin_counter>.allocate(capacity: 1)
    /// The next chunk to claim, and how many started threads are still inside the current call.
    private let nextChunk = UnsafeMutablePointer<spin_counter>.allocate(capacity: 1)
    private let inside = UnsafeMutablePointer<spin_counter>.allocate(capacity: 1)
    /// 1 while a call runs: a nested or concurrent call then runs serially on its own thread.
    private let busy = UnsafeMutablePointer<spin_counter>.allocate(capacity: 1)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The current call: written before `generation` is bumped, read by workers after.
    private var body: ((Int, Int) -> Void)?
    private var chunks = 0, workers = 0
    private var started = 0

    private init() {
        for counter in [generation, nextChunk, inside, busy] { spin_store(counter, 0) }
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
    }

    @usableFromInline func run(chunks: Int, workers: Int, _ body: @escaping (Int, Int) -> Void) {
        guard spin_try_claim(busy) else {
            for c in 0..<chunks { body(c, 0) }
            return
        }
        while started < workers - 1 { startThread(index: started + 1) }
        self.body = body
        self.chunks = chunks
        self.workers = workers
        spin_store(nextChunk, 0)
        spin_store(inside, started)
        pthread_mutex_lock(mutex)
        _ = spin_add(generation, 1)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        work(as: 0)
        var spins = 0
        while spin_load(inside) != 0 {
            spins += 1
            if spins < 100_000 { spin_pause() } else { sched_yield() }
        }
        self.body = nil
        spin_store(busy, 0)
    }

    private func work(as worker: Int) {
        guard worker < workers, let body else { return }
        while true {
            let c = spin_add(nextChunk, 1)
            if c >= chunks { break }
            body(c, worker)
        }
    }

    /// `seen`: the generation when the thread was started (read then, not by the new thread,
    /// which may first run after the call that started it has begun).
    private func workerLoop(index: Int, seen: Int) {
        var seen = seen
        while true {
            var spins = 0
            while spin_load(generation) == seen {
                spins += 1
                if spins < 4_000 { spin_pause(); continue }
                pthread_mutex_lock(mutex)
                while spin_load(generation) == seen { pthread_cond_wait(wake, mutex) }
                pthread_mutex_unlock(mutex)
            }
            seen = spin_load(generation)
            work(as: index)
            _ = spin_add(inside, -1)
        }
    }

    /// Stack size of each worker thread.
    static let stackBytes = 8 << 20

    private func startThread(index: Int) {
        final class Start {
            let pool: WorkerPool, index: Int, seen: Int
            init(_ pool: WorkerPool, _ index: Int, _ seen: Int) { self.pool = pool; self.index = index; self.seen = seen }
        }
        let start = Unmanaged.passRetained(Start(self, index, spin_load(generation))).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t? = nil
        let entry: @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? = { raw in
            let start = Unmanaged<Start>.fromOpaque(raw).takeRetainedValue()
            start.pool.workerLoop(index: start.index, seen: start.seen)
            return nil
        }
        #else
        var thread = pthread_t()
        let entry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { raw in
            let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
            start.pool.workerLoop(index: start.index, seen: start.seen)
            return nil
        }
        #endif
        // The main thread's 8 MB, not the platform's default for other threads (512 KB on macOS,
        // the `ulimit -s` size on Linux): a worker runs the same kernels as the main thread.
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, WorkerPool.stackBytes)
        precondition(pthread_create(&thread, &attributes, entry, start) == 0, "Parallel: could not start a worker thread")
        #if canImport(Darwin)
        pthread_detach(thread!)
        #else
        pthread_detach(thread)
        #endif
        started += 1
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
