import TensorCore

/// What a pixel of a meadow scene shows. Lesson 7 uses these as segmentation labels.
public enum SceneRegion: UInt8, CaseIterable, Sendable {
    case sky, lake, grass, dirt, flower, horse
}

/// One meadow scene: the gray input, the color target and the region of every pixel.
public struct MeadowScene {
    public let size: Int
    /// Luminance (BT.601) of `color`, shape [1, size, size].
    public var gray: Tensor
    /// RGB in [0, 1], shape [3, size, size].
    public var color: Tensor
    /// One region per pixel, row-major.
    public var regions: [SceneRegion]
}

/// Procedural, seeded meadow scenes built so that every model's failure is visible.
///
/// - Fine detail whose color follows from local luminance and texture: 1-px grass blades (streak
///   noise), dirt speckle, 2x2 flowers, a horse with 1-px legs. A plain conv stack gets these right;
///   a net that squeezes everything through a bottleneck loses them.
/// - A color decision that needs context: the lake has the sky's luminance statistics and is smooth
///   like the sky, so locally the two are indistinguishable. Only "is this above or below the
///   horizon, surrounded by grass?" tells blue from teal, which is beyond a plain stack's receptive field.
///
/// Color rule: each paint has a hue and a per-pixel luminance L; RGB = clip(L * hue / luma(hue)),
/// so the color follows from (paint, L). The gray input is the luminance of the final (clipped) RGB.
///
/// Scene `i` is drawn from its own generator seeded by (seed, i): any subset, in any order, on any
/// number of threads, gives the same pixels. Geometry is specified for 64x64 and scaled with the
/// size; 1-px blades and legs and 2x2 flowers stay that small at every size, because they are the
/// detail the course is about.
public struct MeadowScenes: Sendable {
    public let size: Int
    public let seed: UInt64

    /// The smallest size at which a scene still has room for a horizon, a lake and a horse.
    public static let minimumSize = 16

    public init(size: Int = 64, seed: UInt64) {
        precondition(size >= MeadowScenes.minimumSize,
                     "MeadowScenes: size \(size) is too small (minimum \(MeadowScenes.minimumSize)); validate --size with MeadowScenes.validate(size:)")
        self.size = size
        self.seed = seed
    }

    /// Throws a readable error for a size the generator cannot draw (for `--size` flags).
    public static func validate(size: Int) throws {
        guard size >= minimumSize else {
            throw CourseError("--size \(size) is too small for the meadow scenes: use at least \(minimumSize) (default 64)")
        }
        guard size <= 1024 else {
            throw CourseError("--size \(size) is too large: use at most 1024 (default 64)")
        }
    }

    /// The seed of scene `index`: a hash of (dataset seed, index), so scenes are independent.
    public func sceneSeed(_ index: Int) -> UInt64 {
        mix64(seed ^ mix64(UInt64(bitPattern: Int64(index)) &+ 0x5CE7E))
    }

    /// Scene `index` as tensors and region labels.
    public func scene(_ index: Int) -> MeadowScene {
        var gray = Tensor(shape: [1, size, size])
        var color = Tensor(shape: [3, size, size])
        var regions = [UInt8](repeating: 0, count: size * size)
        gray.withUnsafeMutableBufferPointer { g in
            color.withUnsafeMutableBufferPointer { c in
                regions.withUnsafeMutableBufferPointer { r in
                    render(index, gray: g.baseAddress!, color: c.baseAddress!, regions: r.baseAddress!)
                }
            }
        }
        return MeadowScene(size: size, gray: gray, color: color,
                           regions: regions.map { SceneRegion(rawValue: $0)! })
    }

    /// Scenes `indices` as a batch: input [B, 1, H, W] (gray), target [B, 3, H, W] (RGB).
    /// Scenes are rendered in parallel; each one depends only on its own index.
    public func batch(_ indices: [Int]) -> (input: Tensor, target: Tensor) {
        let (input, target, _) = renderedBatch(indices)
        return (input, target)
    }

    /// `batch`, plus the region of every pixel (B*H*W values, `SceneRegion.rawValue`s).
    func renderedBatch(_ indices: [Int]) -> (input: Tensor, target: Tensor, regions: [UInt8]) {
        let plane = size * size
        var input = Tensor(shape: [indices.count, 1, size, size])
        var target = Tensor(shape: [indices.count, 3, size, size])
        var regions = [UInt8](repeating: 0, count: indices.count * plane)
        input.withUnsafeMutableBufferPointer { g in
            target.withUnsafeMutableBufferPointer { c in
                regions.withUnsafeMutableBufferPointer { r in
                    let gBase = g.baseAddress!, cBase = c.baseAddress!, rBase = r.baseAddress!
                    Parallel.forEach(indices.count) { b in
                        render(indices[b], gray: gBase + b * plane, color: cBase + b * 3 * plane, regions: rBase + b * plane)
                    }
                }
            }
        }
        return (input, target, regions)
    }

    /// Region labels of scenes `indices` as class indices (`SceneRegion.rawValue`), B*H*W values,
    /// the layout `softmaxCrossEntropy` expects.
    public func regionLabels(_ indices: [Int]) -> [Int] {
        indices.flatMap { scene($0).regions.map { Int($0.rawValue) } }
    }
}

// MARK: - Drawing

/// What a pixel is painted with. Two flower paints share one region label.
enum Paint: UInt8 {
    case sky, lake, grass, dirt, yellowFlower, redFlower, horse

    var region: SceneRegion {
        switch self {
        case .sky: .sky
        case .lake: .lake
        case .grass: .grass
        case .dirt: .dirt
        case .yellowFlower, .redFlower: .flower
        case .horse: .horse
        }
    }

    /// The hue of each paint (the course's PyTorch prototype's), indexed by raw value.
    static let hues: [SIMD3<Float>] = [
        SIMD3(0.40, 0.60, 0.95), // sky
        SIMD3(0.15, 0.62, 0.50), // lake
        SIMD3(0.30, 0.62, 0.15), // grass
        SIMD3(0.50, 0.36, 0.22), // dirt
        SIMD3(0.95, 0.85, 0.15), // yellow flower
        SIMD3(0.85, 0.12, 0.12), // red flower
        SIMD3(0.45, 0.27, 0.13), // horse
    ]

    /// hue / luma(hue): multiplied by L it gives a color whose luminance is L (before clipping).
    static let huesPerUnitLuma: [SIMD3<Float>] = hues.map { $0 / ($0 * bt601).sum() }
}

/// BT.601 luma weights: the gray a camera (and the input of every model here) sees.
public let bt601 = SIMD3<Float>(0.299, 0.587, 0.114)

/// The SplitMix64 finalizer: spreads a 64-bit value over all bits (used to derive scene seeds).
func mix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

extension SeededGenerator {
    /// A uniform integer in lo...hi.
    mutating func int(_ lo: Int, _ hi: Int) -> Int { lo + Int(next() % UInt64(hi - lo + 1)) }
    /// True with probability p.
    mutating func chance(_ p: Float) -> Bool { uniform() < p }
}

/// A closed curve's radius as a function of angle: 1 + amplitude * (a mix of the 2nd and 3rd
/// harmonics with random phases). Evaluated from (cos θ, sin θ) without trigonometry per pixel.
struct Wobble {
    var s2: Float, c2: Float, s3: Float, c3: Float

    init(amplitude: Float, rng: inout SeededGenerator) {
        let share = rng.uniform(0.3, 0.7)
        let p2 = rng.uniform(0, 2 * .pi), p3 = rng.uniform(0, 2 * .pi)
        let a2 = amplitude * share, a3 = amplitude * (1 - share)
        // a*sin(kθ + p) = a*cos(p)*sin(kθ) + a*sin(p)*cos(kθ)
        s2 = a2 * cosf(p2); c2 = a2 * sinf(p2)
        s3 = a3 * cosf(p3); c3 = a3 * sinf(p3)
    }

    /// Whether the point (u, v), in units of the shape's radii, lies inside.
    @inline(__always) func contains(_ u: Float, _ v: Float) -> Bool {
        let rho2 = u * u + v * v
        if rho2 < 1e-12 { return true }
        let rho = rho2.squareRoot()
        let c = u / rho, s = v / rho
        let sin2 = 2 * s * c, cos2 = c * c - s * s
        let sin3 = s * (3 - 4 * s * s), cos3 = c * (4 * c * c - 3)
        let r = 1 + s2 * sin2 + c2 * cos2 + s3 * sin3 + c3 * cos3
        return rho2 < r * r
    }
}

extension MeadowScenes {
    /// Draws scene `index` into `gray` (H*W), `color` (3 planes of H*W) and `regions` (H*W).
    func render(_ index: Int, gray: UnsafeMutablePointer<Float>, color: UnsafeMutablePointer<Float>,
                regions: UnsafeMutablePointer<UInt8>) {
        var rng = SeededGenerator(seed: sceneSeed(index))
        let n = size, plane = n * n
        let s = Float(n) / 64  // geometry is specified at 64x64
        // Paint and luminance per pixel; the color rule turns them into RGB at the end.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: plane) { paintBuffer in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: plane) { lumBuffer in
            let paint = paintBuffer.baseAddress!, lum = lumBuffer.baseAddress!

            // Sky above the horizon (row 22-31 at 64 px): smooth, slightly lighter towards the horizon.
            let horizon = min(n - 4, Int((Float(rng.int(22, 31)) * s).rounded()))
            let skyL = rng.uniform(0.35, 0.50), skyRise = rng.uniform(0.02, 0.06)
            for y in 0..<horizon {
                let l = skyL + skyRise * Float(y) / Float(max(horizon - 1, 1))
                for x in 0..<n { paint[y * n + x] = Paint.sky.rawValue; lum[y * n + x] = l }
            }

            // Grass below: base luminance plus vertical-streak noise (white noise blurred along y
            // only, sigma 2, std 0.07): every column is its own 1-px blade pattern.
            drawGrass(from: horizon, paint: paint, lum: lum, rng: &rng)

            // Lake: a wobbly ellipse just under the horizon with the sky's luminance statistics.
            let rx = rng.uniform(20, 34) * s, ry = rng.uniform(9, 15) * s
            let top = Float(horizon) + rng.uniform(2, 6) * s
            let cx = rng.uniform(0.25, 0.75) * Float(n), cy = top + ry
            let lakeL = rng.uniform(0.35, 0.50), lakeRise = rng.uniform(0.02, 0.06)
            let lakeEdge = Wobble(amplitude: 0.08, rng: &rng)
            for y in max(horizon, Int(top)) ..< min(n, Int(cy + ry * 1.1) + 1) {
                let v = (Float(y) + 0.5 - cy) / ry
                let l = lakeL + lakeRise * (Float(y) - top) / (2 * ry)
                for x in max(0, Int(cx - rx * 1.1)) ..< min(n, Int(cx + rx * 1.1) + 1) {
                    if lakeEdge.contains((Float(x) + 0.5 - cx) / rx, v) {
                        paint[y * n + x] = Paint.lake.rawValue; lum[y * n + x] = l
                    }
                }
            }

            // Dirt: 1-4 wobbly blobs on the grass, speckled.
            for _ in 0..<rng.int(1, 4) {
                let r = rng.uniform(3, 7) * s
                let bx = rng.uniform(0, Float(n)), by = rng.uniform(Float(horizon) + 2 * s, Float(n))
                let baseL = rng.uniform(0.25, 0.40)
                let edge = Wobble(amplitude: 0.25, rng: &rng)
                for y in max(horizon, Int(by - r * 1.3)) ..< min(n, Int(by + r * 1.3) + 1) {
                    for x in max(0, Int(bx - r * 1.3)) ..< min(n, Int(bx + r * 1.3) + 1) {
                        let i = y * n + x
                        guard paint[i] == Paint.grass.rawValue,
                              edge.contains((Float(x) + 0.5 - bx) / r, (Float(y) + 0.5 - by) / r) else { continue }
                        paint[i] = Paint.dirt.rawValue
                        lum[i] = baseL + rng.uniform(-0.12, 0.12)
                    }
                }
            }

            // Flowers: 6-20 (at 64 px) 2x2 dots on grass, bright yellow or dark red.
            let flowerCount = max(1, Int((Float(rng.int(6, 20)) * s * s).rounded()))
            for _ in 0..<flowerCount {
                let yellow = rng.chance(0.5)
                let l = yellow ? rng.uniform(0.75, 0.90) : rng.uniform(0.10, 0.16)
                // A few tries to find a 2x2 spot that is all grass (not lake, dirt or another flower).
                for _ in 0..<4 {
                    let x = rng.int(0, n - 2), y = rng.int(horizon, n - 2)
                    let i = y * n + x, grass = Paint.grass.rawValue
                    guard paint[i] == grass, paint[i + 1] == grass, paint[i + n] == grass, paint[i + n + 1] == grass
                    else { continue }
                    for j in [i, i + 1, i + n, i + n + 1] {
                        paint[j] = (yellow ? Paint.yellowFlower : Paint.redFlower).rawValue
                        lum[j] = l
                    }
                    break
                }
            }

            // A horse in 70% of the scenes: body, neck, head and four 1-px legs.
            if rng.chance(0.7) { drawHorse(horizon: horizon, paint: paint, lum: lum, rng: &rng) }

            // The color rule, then the gray input as the luminance of the final RGB.
            let hues = Paint.huesPerUnitLuma
            for i in 0..<plane {
                let rgb = clamp01(lum[i] * hues[Int(paint[i])])
                color[i] = rgb.x; color[plane + i] = rgb.y; color[2 * plane + i] = rgb.z
                gray[i] = (rgb * bt601).sum()
                regions[i] = Paint(rawValue: paint[i])!.region.rawValue
            }
        }
        }
    }

    /// Grass luminance from row `top` down: a base level plus streaks 1 px wide.
    private func drawGrass(from top: Int, paint: UnsafeMutablePointer<UInt8>, lum: UnsafeMutablePointer<Float>,
                           rng: inout SeededGenerator) {
        let n = size, rows = n - top
        guard rows > 0 else { return }
        let baseL = rng.uniform(0.30, 0.45)
        // Gaussian taps (sigma 2, radius 6). Uniform white noise of std 1 blurred by w has std
        // sqrt(sum w^2), so `gain` rescales the streaks to std 0.07 exactly in expectation.
        let radius = 6
        var taps = (-radius...radius).map { expf(-Float($0 * $0) / 8) }
        let total = taps.reduce(0, +)
        taps = taps.map { $0 / total }
        let gain = 0.07 / taps.map { $0 * $0 }.reduce(0, +).squareRoot()
        let noiseRows = rows + 2 * radius
        withUnsafeTemporaryAllocation(of: Float.self, capacity: noiseRows * n) { noiseBuffer in
            let noise = noiseBuffer.baseAddress!
            let unitStd = Float(3).squareRoot()  // U(-1, 1) has std 1/sqrt(3)
            for i in 0..<(noiseRows * n) { noise[i] = rng.uniform(-unitStd, unitStd) }
            taps.withUnsafeBufferPointer { w in
                for y in 0..<rows {
                    let out = lum + (top + y) * n
                    for x in 0..<n { out[x] = 0 }
                    for k in 0...(2 * radius) {
                        let src = noise + (y + k) * n, wk = w[k] * gain
                        for x in 0..<n { out[x] += wk * src[x] }
                    }
                    for x in 0..<n { out[x] += baseL; paint[(top + y) * n + x] = Paint.grass.rawValue }
                }
            }
        }
    }

    /// A side view of a horse standing on the grass, facing left or right. Legs stay 1 px wide.
    private func drawHorse(horizon: Int, paint: UnsafeMutablePointer<UInt8>, lum: UnsafeMutablePointer<Float>,
                           rng: inout SeededGenerator) {
        let n = size, s = Float(n) / 64
        let l = rng.uniform(0.15, 0.25)
        let facingRight = rng.chance(0.5)
        let bodyW = max(6, Int((rng.uniform(9, 13) * s).rounded()))
        let bodyH = max(3, Int((rng.uniform(4, 5.5) * s).rounded()))
        let legH = max(3, Int((rng.uniform(4, 6) * s).rounded()))
        let neckH = max(2, Int((rng.uniform(3, 5) * s).rounded()))
        let neckW = max(2, Int((2.5 * s).rounded()))
        let headW = max(3, Int((rng.uniform(4, 5.5) * s).rounded()))
        let headH = max(2, Int((2.5 * s).rounded()))
        let feet = rng.int(min(n - 1, horizon + Int(10 * s)), n - 1)
        let bodyBottom = feet - legH, bodyTop = bodyBottom - bodyH + 1
        let left = rng.int(headW, max(headW, n - bodyW - headW - 1))

        // Pixels are drawn in "facing right" coordinates, then mirrored if needed.
        func put(_ x: Int, _ y: Int) {
            let px = facingRight ? x : (2 * left + bodyW - 1 - x)
            guard px >= 0, px < n, y >= 0, y < n else { return }
            paint[y * n + px] = Paint.horse.rawValue
            lum[y * n + px] = l
        }
        let right = left + bodyW - 1
        // Body: a rectangle with its four corners cut.
        for y in bodyTop...bodyBottom {
            for x in left...right {
                let corner = (y == bodyTop || y == bodyBottom) && (x == left || x == right)
                if !corner { put(x, y) }
            }
        }
        // Four 1-px legs: a hind pair and a front pair.
        for x in [left + 1, left + 3, right - 3, right - 1] {
            for y in (bodyBottom + 1)...feet { put(x, y) }
        }
        // Neck: rises from the front of the body, leaning forward one pixel every two rows.
        for dy in 1...neckH {
            let x0 = right - neckW + 1 + dy / 2
            for x in x0 ..< x0 + neckW { put(x, bodyTop - dy) }
        }
        // Head: a block at the top of the neck, pointing forward.
        let headBottom = bodyTop - neckH, headLeft = right - neckW + 1 + neckH / 2
        for y in (headBottom - headH + 1)...headBottom {
            for x in headLeft ..< headLeft + headW { put(x, y) }
        }
        // Tail: a short 1-px line hanging from the back.
        for dy in 0..<max(2, Int(3 * s)) { put(left - 1, bodyTop + dy) }
    }
}

@inline(__always) func clamp01(_ v: SIMD3<Float>) -> SIMD3<Float> {
    v.clamped(lowerBound: SIMD3(repeating: 0), upperBound: SIMD3(repeating: 1))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
