/// How a colorizer did on each kind of meadow pixel (sky, lake, grass, ...): PSNR over that
/// region's pixels and the mean color it painted there next to the true mean color.
///
/// This is how a lesson can *say* "the plain stack paints the lake sky-blue" with a number: the
/// lake's mean predicted color, measured on the held-out scenes.
public struct RegionReport: Sendable {
    public struct Entry: Sendable {
        public let region: SceneRegion
        public let pixels: Int
        /// PSNR over this region's pixels (all three channels), dB.
        public let psnr: Double
        /// Mean RGB the model painted, and the true mean RGB.
        public let predictedColor: SIMD3<Double>
        public let trueColor: SIMD3<Double>
        /// Share of the region's pixels painted bluer than green. Sky is (true) bluer than green,
        /// lake and grass are greener than blue: this says "painted like sky" in one number.
        public let bluerThanGreen: Double
    }

    private var squaredError = [Double](repeating: 0, count: SceneRegion.allCases.count)
    private var pixels = [Int](repeating: 0, count: SceneRegion.allCases.count)
    private var predictedSum = [SIMD3<Double>](repeating: .zero, count: SceneRegion.allCases.count)
    private var trueSum = [SIMD3<Double>](repeating: .zero, count: SceneRegion.allCases.count)
    private var bluer = [Int](repeating: 0, count: SceneRegion.allCases.count)

    public init() {}

    /// Adds a batch: prediction and target [B, 3, H, W], `labels` B*H*W region indices
    /// (`MeadowScenes.regionLabels`).
    public mutating func add(prediction: Tensor, target: Tensor, labels: [Int]) {
        checkShape("RegionReport", prediction.shape, target.shape)
        let (b, h, w) = (target.shape[0], target.shape[2], target.shape[3])
        precondition(labels.count == b * h * w, "RegionReport: \(labels.count) labels for \(b * h * w) pixels")
        let plane = h * w
        prediction.withUnsafeBufferPointer { p in
            target.withUnsafeBufferPointer { t in
                for n in 0..<b {
                    for i in 0..<plane {
                        let r = labels[n * plane + i]
                        var guess = SIMD3<Double>.zero, truth = SIMD3<Double>.zero
                        for c in 0..<3 {
                            let offset = (n * 3 + c) * plane + i
                            guess[c] = Double(min(max(p[offset], 0), 1))
                            truth[c] = Double(t[offset])
                        }
                        let d = guess - truth
                        squaredError[r] += (d * d).sum()
                        pixels[r] += 1
                        predictedSum[r] += guess
                        trueSum[r] += truth
                        if guess.z > guess.y { bluer[r] += 1 }
                    }
                }
            }
        }
    }

    /// One entry per region that had pixels, in `SceneRegion` order.
    public var entries: [Entry] {
        SceneRegion.allCases.compactMap { region in
            let r = Int(region.rawValue)
            guard pixels[r] > 0 else { return nil }
            let n = Double(pixels[r])
            let mse = squaredError[r] / (3 * n)
            return Entry(region: region, pixels: pixels[r], psnr: Metrics.psnr(mse: mse),
                         predictedColor: predictedSum[r] / n, trueColor: trueSum[r] / n,
                         bluerThanGreen: Double(bluer[r]) / n)
        }
    }

    public func entry(_ region: SceneRegion) -> Entry? { entries.first { $0.region == region } }

    /// How far the mean color painted on `region` moved from its true mean color toward the true
    /// mean color of `other`, along the line between the two: 0 = right, 1 = painted like `other`
    /// (e.g. lake toward sky: "the lake painted sky-blue").
    public func shift(of region: SceneRegion, toward other: SceneRegion) -> Double? {
        guard let a = entry(region), let b = entry(other) else { return nil }
        let axis = b.trueColor - a.trueColor
        let length = (axis * axis).sum()
        guard length > 0 else { return nil }
        return ((a.predictedColor - a.trueColor) * axis).sum() / length
    }

    /// Prints one row per region: PSNR, mean painted color, true mean color, share painted bluer
    /// than green.
    public func printTable(model: String) {
        var rows = [["region (\(model))", "pixels", "PSNR dB", "painted (mean RGB)", "true (mean RGB)", "bluer than green"]]
        for e in entries {
            rows.append([e.region.name, "\(e.pixels)", fmt(e.psnr), e.predictedColor.rgbText, e.trueColor.rgbText,
                         "\(fmt(100 * e.bluerThanGreen, 0))%"])
        }
        Chapter.table(rows)
    }
}

extension SIMD3 where Scalar == Double {
    /// "(0.15, 0.62, 0.50)"
    public var rgbText: String { "(\(fmt(x)), \(fmt(y)), \(fmt(z)))" }
}

extension SceneRegion {
    public var name: String { String(describing: self) }
}
