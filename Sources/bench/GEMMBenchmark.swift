import Dispatch
import TensorCore

/// GFLOP/s of `C = A B` for square `size` matrices: the best of several runs after a warm-up
/// (2·size³ floating-point operations each).
func gemmGigaflops(size: Int, threads: Int, runs: Int = 20) -> Double {
    Parallel.threads = threads
    var rng = SeededGenerator(seed: 1)
    let a = Tensor.uniform([size, size], -1, 1, using: &rng)
    let b = Tensor.uniform([size, size], -1, 1, using: &rng)
    var c = Tensor(shape: [size, size])
    var best = Double.infinity
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                for run in 0...runs {
                    let start = DispatchTime.now().uptimeNanoseconds
                    GEMM.multiply(m: size, n: size, k: size, a: pa.baseAddress!, lda: size,
                                  b: pb.baseAddress!, ldb: size, c: pc.baseAddress!, ldc: size)
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
                    if run > 0 { best = min(best, seconds) }
                }
            }
        }
    }
    return 2 * Double(size * size * size) / best / 1e9
}
