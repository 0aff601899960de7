import XCTest
import TensorCore
@testable import ExerciseGrading

/// The metric oracles against numbers from the libraries the course names as the reference,
/// computed once with scikit-image 0.26 / scipy 1.17 on a fixed pattern:
/// ```
/// a[c,y,x] = ((31y + 17x + 7c) % 23) / 22;  b = a/2 + ((13y + 29x + 5c) % 19) / 36   (2 x 16 x 14)
/// structural_similarity(a, b, channel_axis=0, gaussian_weights=True, sigma=1.5,
///                       use_sample_covariance=False, data_range=1)      -> 0.7139079054133755
/// gaussian_filter(a[c], sigma=2, mode="reflect", truncate=4.0)          -> low band values below
/// ```
final class ReferenceFixtureTests: XCTestCase {
    func pattern() -> (Tensor, Tensor) {
        var a = Tensor(shape: [1, 2, 16, 14]), b = a
        for c in 0..<2 { for y in 0..<16 { for x in 0..<14 {
            a[0, c, y, x] = Float((y * 31 + x * 17 + c * 7) % 23) / 22
            b[0, c, y, x] = 0.5 * a[0, c, y, x] + 0.5 * Float((y * 13 + x * 29 + c * 5) % 19) / 18
        } } }
        return (a, b)
    }

    func testSSIMMatchesScikitImage() {
        let (a, b) = pattern()
        XCTAssertEqual(Oracle.ssim(a, b), 0.7139079054133755, accuracy: 1e-5)
    }

    func testLowBandMatchesScipyGaussianFilter() {
        let (a, _) = pattern()
        let low = Oracle.bandSplit(a, sigma: 2).low
        XCTAssertEqual(low[0, 0, 0, 0], 0.42641879616098516, accuracy: 1e-5)
        XCTAssertEqual(low[0, 1, 7, 5], 0.4986401930079832, accuracy: 1e-5)
        XCTAssertEqual(low[0, 1, 15, 13], 0.4597047082877642, accuracy: 1e-5)
        XCTAssertEqual(Double(low.values.reduce(0, +)), 223.95454545454547, accuracy: 1e-3)
        // A 5x4 image with radius 8 > its size: the mirror folds more than once.
        var small = Tensor(shape: [1, 1, 5, 4])
        for y in 0..<5 { for x in 0..<4 { small[0, 0, y, x] = Float((y * 3 + x * 5) % 7) / 6 } }
        let smallLow = Oracle.bandSplit(small, sigma: 2).low
        XCTAssertEqual(smallLow[0, 0, 0, 0], 0.47504337998959323, accuracy: 1e-5)
        XCTAssertEqual(smallLow[0, 0, 4, 3], 0.524956620010407, accuracy: 1e-5)
        XCTAssertEqual(smallLow[0, 0, 2, 1], 0.5013468806908112, accuracy: 1e-5)
    }
}
