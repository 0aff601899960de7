import XCTest
final class PixelIOTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
