import PixelIO
import TensorCore

/// Lesson 7's pictures: region masks in a fixed palette with a legend, boundary errors over the
/// input, and one confusion matrix per model.
public enum SegmentationOutputs {
    /// One color per `SceneRegion` (sky, lake, grass, dirt, flower, horse): far apart from each
    /// other, so a mislabelled region shows at a glance.
    public static let palette: [Color] = [
        Color(r: 0.45, g: 0.70, b: 1.00),  // sky: light blue
        Color(r: 0.00, g: 0.35, b: 0.45),  // lake: dark teal
        Color(r: 0.35, g: 0.75, b: 0.20),  // grass: green
        Color(r: 0.60, g: 0.42, b: 0.25),  // dirt: brown
        Color(r: 1.00, g: 0.90, b: 0.00),  // flower: yellow
        Color(r: 0.85, g: 0.10, b: 0.45),  // horse: magenta
    ]

    static func mask(_ labels: ArraySlice<Int>, size: Int) throws -> Image {
        var pixels = [Float](); pixels.reserveCapacity(3 * labels.count)
        for l in labels { let c = palette[l]; pixels += [c.r, c.g, c.b] }
        return try Image(width: size, height: size, channels: 3, pixels: pixels)
    }

    static func legend(scale: Int) throws -> [Image] {
        try SceneRegion.allCases.enumerated().map { i, region in
            let dark = i == 1 || i == 5
            return try Image.label("\(region)", color: dark ? .white : .black, background: palette[i], scale: scale, padding: 3)
        }
    }

    /// masks.png: a row per scene, columns input | true regions | each model's regions, and the
    /// palette as a last row.
    public static func masksImage(inputs: Tensor, truth: [Int], predictions: [(name: String, labels: [Int])],
                                  scale: Int = 3) throws -> Image {
        let (n, size) = (inputs.shape[0], inputs.shape[2])
        let plane = size * size
        var rows = try (0..<n).map { i -> [Image] in
            let range = (i * plane)..<((i + 1) * plane)
            return try [Image(tensor: inputs, index: i).toRGB().upscaled(by: scale), mask(truth[range], size: size).upscaled(by: scale)]
                + predictions.map { try mask($0.labels[range], size: size).upscaled(by: scale) }
        }
        rows.append(try legend(scale: 2))
        return try Image.grid(rows, gap: 3, columnLabels: ["input", "true regions"] + predictions.map(\.name), labelScale: 2)
    }

    /// boundaries.png: per model, the input dimmed with the region edges on it: blue where the
    /// model drew a true edge (within the tolerance), vermillion where it missed one, yellow where
    /// it drew an edge that is not there (Okabe and Ito's colours, told apart with any colour vision).
    public static func boundariesImage(inputs: Tensor, truth: [Int], predictions: [(name: String, labels: [Int])],
                                       tolerance: Int, scale: Int = 3) throws -> Image {
        let (n, size) = (inputs.shape[0], inputs.shape[2])
        let plane = size * size
        let found = Color(r: 0, g: 0.447, b: 0.698), missed = Color(r: 0.835, g: 0.369, b: 0), extra = Color(r: 0.941, g: 0.894, b: 0.259)
        let rows = try (0..<n).map { i -> [Image] in
            let range = (i * plane)..<((i + 1) * plane)
            let t = BoundaryScore.boundaries(Array(truth[range]), width: size, height: size)
            let tNear = BoundaryScore.dilated(t, width: size, height: size, by: tolerance)
            let gray = inputs.values[range]
            return try predictions.map { prediction in
                let p = BoundaryScore.boundaries(Array(prediction.labels[range]), width: size, height: size)
                let pNear = BoundaryScore.dilated(p, width: size, height: size, by: tolerance)
                var pixels = [Float](); pixels.reserveCapacity(3 * plane)
                for k in 0..<plane {
                    let g = 0.25 + 0.4 * gray[gray.startIndex + k]
                    let c: Color? = t[k] ? (pNear[k] ? found : missed) : (p[k] && !tNear[k] ? extra : nil)
                    pixels += c.map { [$0.r, $0.g, $0.b] } ?? [g, g, g]
                }
                return try Image(width: size, height: size, channels: 3, pixels: pixels).upscaled(by: scale)
            }
        }
        let key = try [Image.label("edge found", color: .white, background: found, scale: 2, padding: 3),
                       Image.label("edge missed", color: .white, background: missed, scale: 2, padding: 3),
                       Image.label("edge not there", background: extra, scale: 2, padding: 3)]
        return try Image.grid(rows + [key], gap: 3, columnLabels: predictions.map(\.name), labelScale: 2)
    }

    /// confusion.png: per model, a 6x6 grid (rows: true region, columns: predicted, each named),
    /// each cell shaded by the fraction of the row's pixels and labelled with it in percent.
    public static func confusionImage(_ matrices: [(name: String, matrix: ConfusionMatrix)]) throws -> Image {
        let regions = SceneRegion.allCases.map { "\($0)" }
        let cell = 40
        let text = BitmapFont.height(scale: 1)
        let left = (regions.map { BitmapFont.width(of: $0, scale: 1) }.max() ?? 0) + 6, top = text + 6
        let panels = try matrices.map { entry -> Image in
            let k = entry.matrix.classes
            var panel = try Image(width: left + k * cell, height: top + k * cell, channels: 3, fill: .white)
            for (i, region) in regions.prefix(k).enumerated() {
                panel.drawText(region, x: left - 4 - BitmapFont.width(of: region, scale: 1), y: top + i * cell + (cell - text) / 2,
                               color: .black, scale: 1)
                panel.drawText(region, x: left + i * cell + (cell - BitmapFont.width(of: region, scale: 1)) / 2, y: 2,
                               color: .black, scale: 1)
            }
            for t in 0..<k {
                for p in 0..<k {
                    let rate = Float(entry.matrix.rate(truth: t, predicted: p))
                    let shade = Color(r: 1 - 0.8 * rate, g: 1 - 0.6 * rate, b: 1 - 0.2 * rate)
                    panel.fillRect(x: left + p * cell, y: top + t * cell, width: cell - 1, height: cell - 1, color: shade)
                    let label = rate >= 0.995 ? "100" : rate < 0.005 ? "" : "\(Int((rate * 100).rounded()))"
                    panel.drawText(label, x: left + p * cell + 8, y: top + t * cell + 14, color: rate > 0.55 ? .white : .black, scale: 2)
                }
            }
            return panel
        }
        // The key under all panels, not in the first column.
        return try Image.grid([panels], gap: 6, columnLabels: matrices.map(\.name), labelScale: 2)
            .withKey(["rows: the true region; columns: the region predicted; % of the row's pixels"])
    }
}
