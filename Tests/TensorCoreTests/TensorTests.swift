import TensorCore
import XCTest

final class TensorTests: XCTestCase {
    func testShapeCountAndRowMajorIndexing() {
        let t = Tensor(shape: [2, 3, 4, 5], values: (0..<120).map(Float.init))
        XCTAssertEqual(t.count, 120)
        XCTAssertEqual(t.rank, 4)
        XCTAssertEqual(t[1, 2, 3, 4], 119)
        XCTAssertEqual(t[1, 0, 0, 0], 60)
        XCTAssertEqual(t[0, 1, 2, 3], Float(1 * 20 + 2 * 5 + 3))
        XCTAssertEqual(Tensor(shape: [2, 2], repeating: 7).values, [7, 7, 7, 7])
        XCTAssertEqual(Tensor(shape: [0, 3]).count, 0)
    }

    func testCopyOnWrite() {
        let a = Tensor(shape: [4], values: [1, 2, 3, 4])
        var b = a
        b[2] = 30
        XCTAssertEqual(a.values, [1, 2, 3, 4], "writing a copy must not change the original")
        XCTAssertEqual(b.values, [1, 2, 30, 4])
        var c = a
        c.withUnsafeMutableBufferPointer { $0[0] = -1 }
        XCTAssertEqual(a.values, [1, 2, 3, 4])
        XCTAssertEqual(c.values, [-1, 2, 3, 4])
    }

    func testReshapedSharesValuesButNotWrites() {
        let a = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        var r = a.reshaped([3, 2])
        XCTAssertEqual(r.shape, [3, 2])
        XCTAssertEqual(r[2, 1], 6)
        r[0, 0] = 9
        XCTAssertEqual(a[0, 0], 1)
    }

    func testEqualityComparesShapeAndValues() {
        let a = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        XCTAssertEqual(a, Tensor(shape: [2, 2], values: [1, 2, 3, 4]))
        XCTAssertNotEqual(a, a.reshaped([4]))
        XCTAssertNotEqual(a, Tensor(shape: [2, 2], values: [1, 2, 3, 5]))
    }

    func testSameSeedSameNumbersDifferentSeedDifferentNumbers() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
        let first = Tensor.normal([100], using: &a)
        XCTAssertEqual(first, Tensor.normal([100], using: &b))
        XCTAssertNotEqual(first, Tensor.normal([100], using: &c))
        XCTAssertEqual(Tensor.uniform([50], -1, 1, using: &a), Tensor.uniform([50], -1, 1, using: &b))
        var s1 = a.split(), s2 = b.split()
        XCTAssertEqual(s1.next(), s2.next())
    }

    func testUniformAndNormalHaveTheirDistributions() {
        var rng = SeededGenerator(seed: 9)
        let u = Tensor.uniform([20_000], 2, 5, using: &rng).values
        XCTAssertGreaterThanOrEqual(u.min()!, 2)
        XCTAssertLessThan(u.max()!, 5)
        XCTAssertEqual(Double(u.reduce(0, +)) / 20_000, 3.5, accuracy: 0.03)
        let n = Tensor.normal([20_000], std: 3, using: &rng).values.map(Double.init)
        let mean = n.reduce(0, +) / 20_000
        let std = (n.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20_000).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.06)
        XCTAssertEqual(std, 3, accuracy: 0.06)
    }

    func testParallelForEachVisitsEveryChunkOnce() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        for threads in [1, 2, 3] {
            Parallel.threads = threads
            var visits = [Int](repeating: 0, count: 37)
            visits.withUnsafeMutableBufferPointer { v in
                let v = v.baseAddress!
                Parallel.forEach(37) { c in v[c] += 1 }
            }
            XCTAssertEqual(visits, Array(repeating: 1, count: 37), "threads = \(threads)")
        }
    }

    /// Per-chunk float sums reduced in chunk order give the same bits with 1 or 2 threads.
    func testParallelResultsAreIdenticalWithOneAndTwoThreads() {
        var rng = SeededGenerator(seed: 11)
        let x = Tensor.normal([200_003], using: &rng)
        func chunkedSum() -> Float {
            let chunks = 17
            var partial = [Float](repeating: 0, count: chunks)
            x.withUnsafeBufferPointer { xp in
                partial.withUnsafeMutableBufferPointer { pp in
                    let p = pp.baseAddress!
                    Parallel.forEach(chunks) { c in
                        let lo = c * xp.count / chunks, hi = (c + 1) * xp.count / chunks
                        var s: Float = 0
                        for i in lo..<hi { s += xp[i] * xp[i] }
                        p[c] = s
                    }
                }
            }
            return partial.reduce(0, +)
        }
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 1
        let one = chunkedSum(), reluOne = ReLU("r").forward(x)
        Parallel.threads = 2
        let two = chunkedSum(), reluTwo = ReLU("r").forward(x)
        XCTAssertEqual(one.bitPattern, two.bitPattern)
        XCTAssertEqual(reluOne, reluTwo)
    }
}
