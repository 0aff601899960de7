#if canImport(Glibc)
import Glibc
#endif

/// Makes glibc hand large freed buffers back to the system at once.
///
/// By default glibc raises its mmap threshold to the size of each large block freed (up to 32
/// MiB), so once a lesson lets one model go, the next model's buffers come from a heap that
/// keeps the old ones' pages: lesson 3 at `--size 256` peaked at 1.96 GB, 0.4 GB of it the
/// freed buffers of its first stack; with a fixed 4 MiB threshold, 1.55 GB (`/usr/bin/time -v
/// lesson3 --quick --steps 1 --size 256`). At the default 64 px the buffers a step reuses are
/// allocated once, so the threshold costs no speed. macOS's allocator returns large blocks itself.
func returnLargeFreedBlocksToTheSystem() {
    #if canImport(Glibc)
    // mallopt is declared in <malloc.h>, which the Glibc module does not import.
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>
    if let symbol = dlsym(nil, "mallopt") {
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, 4 << 20)
    }
    #endif
}
