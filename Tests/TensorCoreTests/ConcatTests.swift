import TensorCore
import XCTest

final class ConcatTests: XCTestCase {
    func testConcatThenSplitRoundTrips() {
        var rng = SeededGenerator(seed: 21)
        let a = Tensor.normal([2, 3, 4, 5], using: &rng), b = Tensor.normal([2, 5, 4, 5], using: &rng)
        let joined = concatChannels(a, b)
        XCTAssertEqual(joined.shape, [2, 8, 4, 5])
        XCTAssertEqual(joined[1, 2, 3, 4], a[1, 2, 3, 4])
        XCTAssertEqual(joined[1, 3, 0, 1], b[1, 0, 0, 1])
        XCTAssertEqual(joined[0, 7, 2, 2], b[0, 4, 2, 2])
        let (first, second) = splitChannels(joined, at: 3)
        XCTAssertEqual(first, a)
        XCTAssertEqual(second, b)
    }

    func testConcatGradientIsTheSplit() {
        var rng = SeededGenerator(seed: 22)
        let a = Tensor.normal([2, 3, 3, 2], using: &rng), b = Tensor.normal([2, 2, 3, 2], using: &rng)
        checkGradients(
            "concatChannels", inputs: [a, b], forward: { concatChannels($0[0], $0[1]) },
            backward: { dy in let (da, db) = splitChannels(dy, at: 3); return [da, db] }, rng: &rng)
    }

    /// The fast concat layer and its reference twin: same output, and a gradient check on each.
    func testBothConcatLayersJoinAndSplitTheSame() {
        var rng = SeededGenerator(seed: 24)
        let a = Tensor.normal([2, 3, 3, 2], using: &rng), b = Tensor.normal([2, 2, 3, 2], using: &rng)
        let dy = Tensor.normal([2, 5, 3, 2], using: &rng)
        let fast = ChannelConcat(), reference = ReferenceConcat()
        XCTAssertEqual(fast.forward(a, b), reference.forward(a, b))
        let (fa, fb) = fast.backward(dy), (ra, rb) = reference.backward(dy)
        XCTAssertEqual([fa, fb], [ra, rb])
        let twin = ReferenceConcat()
        checkGradients(
            "ReferenceConcat", inputs: [a, b], forward: { twin.forward($0[0], $0[1]) },
            backward: { dy in let (da, db) = twin.backward(dy); return [da, db] }, rng: &rng)
    }

    func testSplitGradientIsTheConcat() {
        var rng = SeededGenerator(seed: 23)
        // Both outputs of the split are checked by joining them (in swapped order, so the test
        // is not trivially the identity): dL/dt = concat(dL/dfirst, dL/dsecond).
        let t = Tensor.normal([2, 5, 2, 3], using: &rng)
        checkGradients(
            "splitChannels", inputs: [t],
            forward: { let (a, b) = splitChannels($0[0], at: 2); return concatChannels(b, a) },
            backward: { dy in let (db, da) = splitChannels(dy, at: 3); return [concatChannels(da, db)] },
            rng: &rng)
    }

    func testChannelConcatGradient() {
        var rng = SeededGenerator(seed: 24)
        let join = ChannelConcat()
        let a = Tensor.normal([2, 3, 3, 2], using: &rng), b = Tensor.normal([2, 2, 3, 2], using: &rng)
        checkGradients(
            "ChannelConcat", inputs: [a, b], forward: { join.forward($0[0], $0[1]) },
            backward: { dy in let (da, db) = join.backward(dy); return [da, db] }, rng: &rng)
    }

    func testChannelConcatReusesItsBuffersOnlyWhenTheCallerLetGo() {
        var rng = SeededGenerator(seed: 25)
        let join = ChannelConcat()
        let a = Tensor.normal([2, 3, 4, 5], using: &rng), b = Tensor.normal([2, 5, 4, 5], using: &rng)
        let dy = Tensor.normal([2, 8, 4, 5], using: &rng)
        func address(_ t: Tensor) -> UnsafePointer<Float>? { t.withUnsafeBufferPointer { $0.baseAddress } }
        var firstOutput: UnsafePointer<Float>?, firstGradients: (UnsafePointer<Float>?, UnsafePointer<Float>?)
        do {
            let y = join.forward(a, b)
            XCTAssertEqual(y, concatChannels(a, b))
            let (da, db) = join.backward(dy)
            XCTAssertEqual([da, db], [splitChannels(dy, at: 3).0, splitChannels(dy, at: 3).1])
            firstOutput = address(y)
            firstGradients = (address(da), address(db))
        }
        // Last step's results were dropped: the same buffers are written again.
        let y = join.forward(b, a)
        XCTAssertEqual(y, concatChannels(b, a))
        XCTAssertEqual(address(y), firstOutput)
        let (db, da) = join.backward(dy)
        XCTAssertEqual(db, splitChannels(dy, at: 5).0)
        XCTAssertEqual(da, splitChannels(dy, at: 5).1)
        XCTAssertNotNil(firstGradients.0)
        // Still held: a new forward must not overwrite them.
        let again = join.forward(a, b)
        XCTAssertEqual(y, concatChannels(b, a), "a held output was overwritten")
        XCTAssertEqual(again, concatChannels(a, b))
        let (da2, db2) = join.backward(dy)
        XCTAssertEqual(db, splitChannels(dy, at: 5).0, "a held gradient was overwritten")
        XCTAssertEqual([da2, db2], [splitChannels(dy, at: 3).0, splitChannels(dy, at: 3).1])
    }

    func testAddTensorsAndAddInPlace() {
        var rng = SeededGenerator(seed: 24)
        let a = Tensor.normal([3, 7], using: &rng), b = Tensor.normal([3, 7], using: &rng)
        let sum = addTensors(a, b)
        XCTAssertEqual(sum.values, zip(a.values, b.values).map { $0 + $1 })
        let aBefore = a.values
        var acc = a  // shares a's buffer until written
        addInPlace(&acc, b)
        XCTAssertEqual(acc, sum)
        XCTAssertEqual(a.values, aBefore, "addInPlace must not write through a shared copy")
        checkGradients(
            "addTensors", inputs: [a, b], forward: { addTensors($0[0], $0[1]) },
            backward: { dy in [dy, dy] }, rng: &rng)
    }
}
