import TensorCore
import XCTest

final class PoolingTests: XCTestCase {
    /// A tensor whose values are a random permutation of a grid with spacing 0.05: no two are
    /// closer than 0.05, so nudging one by ±h never changes which value wins a window.
    func distinctValues(_ shape: [Int], _ rng: inout SeededGenerator) -> Tensor {
        let count = shape.reduce(1, *)
        var values = (0..<count).map { Float($0 - count / 2) * 0.05 }
        values.shuffle(using: &rng)
        return Tensor(shape: shape, values: values)
    }

    func testMatchesTheReferenceOnRandomShapes() {
        var rng = SeededGenerator(seed: 10)
        // Odd sizes, batch > 1, channel counts that are not multiples of 8; output widths below,
        // at and above the 8-window SIMD block (17 → 8, 35 → 17 = 2 blocks + 1).
        for shape in [[2, 3, 5, 7], [1, 5, 4, 9], [3, 1, 2, 3], [2, 10, 7, 6], [1, 2, 8, 8],
                      [1, 2, 4, 17], [2, 3, 5, 35]] {
            let x = Tensor.normal(shape, using: &rng)
            let pool = MaxPool2D("pool")
            let y = pool.forward(x)
            let dy = Tensor.normal(y.shape, using: &rng)
            let dx = pool.backward(dy)
            XCTAssertEqual(y, Reference.maxPool2dForward(x).output, "forward for shape \(shape)")
            XCTAssertEqual(dx, Reference.maxPool2dBackward(x, dy), "backward for shape \(shape)")
        }
    }

    func testOddSizesAreFlooredAndDroppedEdgesGetNoGradient() {
        onBothKernels { kernels in
            let pool = kernels.pool("pool")
            let x = Tensor(shape: [1, 1, 3, 3], values: [1, 2, 9,
                                                         4, 3, 9,
                                                         9, 9, 9])
            let y = pool.forward(x)
            XCTAssertEqual(y.shape, [1, 1, 1, 1])
            XCTAssertEqual(y.values, [4])
            let dx = pool.backward(Tensor(shape: [1, 1, 1, 1], values: [5]))
            XCTAssertEqual(dx.values, [0, 0, 0, 5, 0, 0, 0, 0, 0])
        }
    }

    func testTiesRouteToTheFirstMaximum() {
        onBothKernels { kernels in
            // Width 18: eight windows in the SIMD path and one in the scalar tail, all ties.
            let pool = kernels.pool("pool")
            _ = pool.forward(Tensor(shape: [1, 1, 2, 18], repeating: 7))
            let dx = pool.backward(Tensor(shape: [1, 1, 1, 9], repeating: 1))
            let firstOfEachWindow: [Float] = (0..<18).map { $0 % 2 == 0 ? 1 : 0 }
            XCTAssertEqual(dx.values, firstOfEachWindow + Array(repeating: 0, count: 18))
        }
    }

    func testNaNWinsItsWindow() {
        onBothKernels { kernels in
            // A NaN in every corner position, in the SIMD path (windows 0-7) and the tail (window 8).
            var x = Tensor(shape: [1, 1, 2, 18], values: (0..<36).map(Float.init))
            for (window, corner) in [(0, 0), (1, 1), (2, 18), (3, 19), (8, 1)] { x[0, 0, corner / 18, 2 * window + corner % 18] = .nan }
            let y = kernels.pool("pool").forward(x)
            for window in 0..<9 {
                XCTAssertEqual(y.values[window].isNaN, [0, 1, 2, 3, 8].contains(window), "window \(window)")
            }
            XCTAssertEqual(y.values[4], 27)
        }
    }

    func testGradient() {
        onBothKernels { kernels in
            var rng = SeededGenerator(seed: 11)
            checkGradients(of: kernels.pool("pool"), input: distinctValues([2, 3, 5, 18], &rng), rng: &rng)
        }
    }

    func testSameResultsWithOneAndTwoThreads() {
        var rng = SeededGenerator(seed: 12)
        // 46,080 values: big enough to be split into two parallel chunks.
        let x = Tensor.normal([4, 9, 32, 40], using: &rng)
        let dy = Tensor.normal([4, 9, 16, 20], using: &rng)
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        var results: [(Tensor, Tensor)] = []
        for threads in [1, 2] {
            Parallel.threads = threads
            let pool = MaxPool2D("pool")
            results.append((pool.forward(x), pool.backward(dy)))
        }
        XCTAssertEqual(results[0].0, results[1].0)
        XCTAssertEqual(results[0].1, results[1].1)
    }

    func testEmptyBatch() {
        let pool = MaxPool2D("pool")
        XCTAssertEqual(pool.forward(Tensor(shape: [0, 3, 4, 4])).shape, [0, 3, 2, 2])
        XCTAssertEqual(pool.backward(Tensor(shape: [0, 3, 2, 2])).shape, [0, 3, 4, 4])
    }
}
