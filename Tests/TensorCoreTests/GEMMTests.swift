import TensorCore
import XCTest

/// The packed GEMM against a triple loop in Double, on sizes that leave partial tiles everywhere.
final class GEMMTests: XCTestCase {
    func naive(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> [Double] {
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let n = transposeB ? b.shape[0] : b.shape[1]
        let av = a.values, bv = b.values
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k {
            let x = transposeA ? av[p * m + i] : av[i * k + p], y = transposeB ? bv[j * k + p] : bv[p * n + j]
            c[i * n + j] += Double(x) * Double(y)
        } } }
        return c
    }

    func testMatchesTripleLoopOnOddSizesAndAllTransposes() {
        var rng = SeededGenerator(seed: 21)
        // k = 400 is two k-blocks (of 200); n = 300 crosses a column block (256) and a tile (128);
        // m = 103 crosses a row tile (96).
        for (m, n, k) in [(1, 1, 1), (7, 17, 5), (13, 37, 400), (103, 300, 29), (6, 16, 256)] {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    let a = Tensor.uniform(transposeA ? [k, m] : [m, k], -1, 1, using: &rng)
                    let b = Tensor.uniform(transposeB ? [n, k] : [k, n], -1, 1, using: &rng)
                    let c = GEMM.multiply(a, b, transposeA: transposeA, transposeB: transposeB)
                    XCTAssertEqual(c.shape, [m, n])
                    let want = naive(a, b, transposeA: transposeA, transposeB: transposeB)
                    let worst = zip(c.values, want).map { abs(Double($0) - $1) }.max() ?? 0
                    XCTAssertLessThan(worst, 1e-5 * Double(k), "m \(m) n \(n) k \(k) tA \(transposeA) tB \(transposeB)")
                }
            }
        }
    }

    func testAccumulatesIntoCWithLeadingDimensions() {
        var rng = SeededGenerator(seed: 22)
        let (m, n, k, lda, ldb, ldc) = (9, 21, 11, 15, 30, 25)
        let a = Tensor.uniform([m, lda], -1, 1, using: &rng), b = Tensor.uniform([k, ldb], -1, 1, using: &rng)
        var c = Tensor.uniform([m, ldc], -1, 1, using: &rng)
        let before = c
        c.withUnsafeMutableBufferPointer { pc in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    GEMM.multiply(m: m, n: n, k: k, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                                  c: pc.baseAddress!, ldc: ldc, accumulate: true)
                }
            }
        }
        for i in 0..<m {
            for j in 0..<ldc {
                var want = Double(before[i, j])
                if j < n { for p in 0..<k { want += Double(a[i, p]) * Double(b[p, j]) } }
                XCTAssertEqual(Double(c[i, j]), want, accuracy: 1e-5, "C[\(i), \(j)]")
            }
        }
    }

    func testBitwiseIdenticalWithOneOrTwoThreads() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        var rng = SeededGenerator(seed: 23)
        let a = Tensor.uniform([200, 333], -1, 1, using: &rng), b = Tensor.uniform([333, 301], -1, 1, using: &rng)
        Parallel.threads = 1
        let one = GEMM.multiply(a, b)
        Parallel.threads = 2
        XCTAssertEqual(GEMM.multiply(a, b), one)
    }
}
