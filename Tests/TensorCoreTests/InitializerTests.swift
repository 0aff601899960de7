import TensorCore
import XCTest

final class InitializerTests: XCTestCase {
    func testFansFollowPyTorch() {
        XCTAssertTrue(fans(of: [16, 8, 3, 3]) == (72, 144))
        XCTAssertTrue(fans(of: [10, 4]) == (4, 10))
    }

    func testHeNormalHasTheRightSpread() {
        var rng = SeededGenerator(seed: 50)
        let w = heNormal([64, 32, 3, 3], using: &rng)  // fanIn 288
        let values = w.values.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.003)
        XCTAssertEqual(std, (2.0 / 288).squareRoot(), accuracy: 0.003)
    }

    func testSameSeedSameWeights() {
        var a = SeededGenerator(seed: 52), b = SeededGenerator(seed: 52)
        XCTAssertEqual(heNormal([4, 3, 3, 3], using: &a), heNormal([4, 3, 3, 3], using: &b))
    }
}
