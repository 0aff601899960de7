import XCTest
@testable import CourseKit

final class MeadowScenesTests: XCTestCase {
    /// FNV-1a over the bit patterns of every value: any changed pixel changes the hash.
    static func hash(_ tensors: Tensor...) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for t in tensors { for v in t.values { h = (h ^ UInt64(v.bitPattern)) &* 0x100_0000_01b3 } }
        return h
    }

    func testSameSeedSameBatchAnyThreadCountAnyOrder() {
        let scenes = MeadowScenes(seed: 42)
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 1
        let one = scenes.batch([0, 1, 2, 3, 4, 5, 6, 7])
        Parallel.threads = 2
        let two = MeadowScenes(seed: 42).batch([0, 1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(Self.hash(one.input, one.target), Self.hash(two.input, two.target))
        // Scene 5 alone equals scene 5 inside the batch: scenes do not depend on their neighbours.
        let five = scenes.scene(5)
        XCTAssertEqual(five.gray.values, Array(one.input.values[(5 * 4096)..<(6 * 4096)]))
        XCTAssertEqual(five.color.values, Array(one.target.values[(5 * 3 * 4096)..<(6 * 3 * 4096)]))
        // Another seed, other scenes.
        let other = MeadowScenes(seed: 43).batch([0, 1, 2, 3, 4, 5, 6, 7])
        XCTAssertNotEqual(Self.hash(one.input, one.target), Self.hash(other.input, other.target))
    }

    #if os(Linux)
    /// The held-out scenes must not drift: this hash was measured when the generator was written
    /// (Linux x86_64; other platforms' libm may differ in the last bit). If you change the scenes
    /// on purpose, every lesson's reference numbers change too: update both.
    func testHeldOutScenesHaveNotChanged() {
        let batch = MeadowScenes(seed: Dataset.meadowHeldOutSeed).batch(Array(0..<16))
        XCTAssertEqual(Self.hash(batch.input, batch.target), MeadowScenesTests.heldOutHash)
    }
    static let heldOutHash: UInt64 = 1_067_704_068_771_748_462
    #endif

    func testShapesAndSizes() {
        for size in [16, 32, 64, 96] {
            let batch = MeadowScenes(size: size, seed: 1).batch([3, 9])
            XCTAssertEqual(batch.input.shape, [2, 1, size, size])
            XCTAssertEqual(batch.target.shape, [2, 3, size, size])
            XCTAssertTrue(batch.target.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
        XCTAssertThrowsError(try MeadowScenes.validate(size: 8)) { XCTAssertTrue("\($0)".contains("--size 8")) }
        XCTAssertNoThrow(try MeadowScenes.validate(size: 64))
    }

    /// The gray input is the BT.601 luminance of the target, and each pixel's color is its paint's
    /// hue scaled to its luminance (unless clipped): color follows from (region, luminance).
    func testColorRule() throws {
        let scenes = MeadowScenes(seed: 3)
        for i in 0..<8 {
            let scene = scenes.scene(i)
            let color = scene.color.reshaped([1, 3, 64, 64])
            let gray = try luminanceBT601(color)
            let (c, g) = (color.values, scene.gray.values)
            for (a, b) in zip(gray.values, g) { XCTAssertEqual(a, b, accuracy: 1e-6) }
            for p in 0..<4096 where scene.regions[p] == .lake || scene.regions[p] == .sky {
                let rgb = SIMD3(c[p], c[4096 + p], c[8192 + p])
                let hue = Paint.hues[Int(scene.regions[p] == .lake ? Paint.lake.rawValue : Paint.sky.rawValue)]
                let expected = hue * (g[p] / (hue * bt601).sum())
                let d = rgb - expected
                XCTAssertLessThan(max(abs(d.x), abs(d.y), abs(d.z)), 1e-5)
            }
        }
    }

    /// The scene statistics the course's story relies on (the scene rules in MeadowScenes.swift), over 256 scenes.
    func testSceneStatistics() {
        let scenes = MeadowScenes(seed: Dataset.meadowHeldOutSeed)
        var count = [Int](repeating: 0, count: 6), graySum = [Double](repeating: 0, count: 6)
        var horses = 0, withLake = 0, withFlowers = 0, withDirt = 0, onePixelLegs = 0
        for i in 0..<256 {
            let scene = scenes.scene(i)
            let gray = scene.gray.values
            var here = [Int](repeating: 0, count: 6)
            for (p, region) in scene.regions.enumerated() {
                here[Int(region.rawValue)] += 1
                graySum[Int(region.rawValue)] += Double(gray[p])
            }
            for k in 0..<6 { count[k] += here[k] }
            let seen = Set(SceneRegion.allCases.filter { here[Int($0.rawValue)] > 0 })
            if seen.contains(.horse) {
                horses += 1
                // A leg: a horse pixel with grass or lake (not horse) left and right of it.
                let r = scene.regions
                if (0..<64).contains(where: { y in (1..<63).contains { x in
                    r[y * 64 + x] == .horse && r[y * 64 + x - 1] != .horse && r[y * 64 + x + 1] != .horse
                        && y > 0 && r[(y - 1) * 64 + x] == .horse } }) { onePixelLegs += 1 }
            }
            if seen.contains(.lake) { withLake += 1 }
            if seen.contains(.flower) { withFlowers += 1 }
            if seen.contains(.dirt) { withDirt += 1 }
        }
        XCTAssertEqual(withLake, 256)
        XCTAssertGreaterThan(withFlowers, 250)
        XCTAssertGreaterThan(withDirt, 230)
        XCTAssertTrue((150...210).contains(horses), "horses in \(horses) of 256 scenes (expected ~70%)")
        XCTAssertEqual(onePixelLegs, horses)
        // Sky and lake: the same luminance on average, so only context can tell them apart.
        let (sky, lake) = (Int(SceneRegion.sky.rawValue), Int(SceneRegion.lake.rawValue))
        let skyMean = graySum[sky] / Double(count[sky]), lakeMean = graySum[lake] / Double(count[lake])
        XCTAssertEqual(skyMean, lakeMean, accuracy: 0.02)
        XCTAssertTrue((0.35...0.56).contains(skyMean))
        // The sky is 22-31 rows of 64 (34-48%).
        let skyShare = Double(count[sky]) / Double(256 * 4096)
        XCTAssertTrue((0.36...0.46).contains(skyShare), "sky share \(skyShare)")
    }

    /// Grass streaks are 1-px detail: neighbouring columns are nearly independent, neighbouring
    /// rows strongly correlated (white noise blurred along y only).
    func testGrassStreaksRunVertically() {
        let scene = MeadowScenes(seed: 11).scene(0)
        let g = scene.gray.values, r = scene.regions
        var dx = [Double](), dy = [Double]()
        for y in 40..<63 { for x in 0..<63 where r[y * 64 + x] == .grass && r[y * 64 + x + 1] == .grass && r[(y + 1) * 64 + x] == .grass {
            dx.append(Double(g[y * 64 + x + 1] - g[y * 64 + x]))
            dy.append(Double(g[(y + 1) * 64 + x] - g[y * 64 + x]))
        } }
        let rms = { (v: [Double]) in (v.map { $0 * $0 }.reduce(0, +) / Double(v.count)).squareRoot() }
        XCTAssertGreaterThan(dx.count, 100)
        XCTAssertGreaterThan(rms(dx), 3 * rms(dy), "horizontal change \(rms(dx)) vs vertical \(rms(dy))")
    }

    func testRegionLabels() {
        let scenes = MeadowScenes(size: 32, seed: 5)
        let labels = scenes.regionLabels([0, 1])
        XCTAssertEqual(labels.count, 2 * 32 * 32)
        XCTAssertEqual(Array(labels[0..<1024]), scenes.scene(0).regions.map { Int($0.rawValue) })
        XCTAssertTrue(labels.allSatisfy { (0..<SceneRegion.allCases.count).contains($0) })
    }
}
