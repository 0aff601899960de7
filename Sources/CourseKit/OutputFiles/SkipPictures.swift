import PixelIO
import TensorCore

/// Pictures of what a U-Net's skips carry (lesson 5).
public enum SkipPictures {
    /// A grid of feature maps of one image: a column per level (`levels`, each [N, C, h, w]), the
    /// `channels` channels that vary most across the picture in each, every map stretched to
    /// black..white and enlarged to `size` pixels so the levels line up. Level 0's maps show
    /// blades and edges pixel for pixel; deeper levels are coarser summaries.
    public static func features(_ levels: [(label: String, tensor: Tensor)], image: Int = 0, channels: Int = 4,
                                size: Int) throws -> Image {
        var columns: [[Image]] = []
        for (_, t) in levels {
            let (c, h, w) = (t.shape[1], t.shape[2], t.shape[3])
            let plane = h * w, values = t.values
            let maps = (0..<c).map { ch in Array(values[((image * c + ch) * plane)..<((image * c + ch + 1) * plane)]) }
            func variance(_ m: [Float]) -> Float {
                let mean = m.reduce(0, +) / Float(m.count)
                return m.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            }
            let chosen = maps.indices.sorted { variance(maps[$0]) > variance(maps[$1]) }.prefix(channels)
            columns.append(try chosen.map { ch in
                let m = maps[ch], low = m.min() ?? 0, high = m.max() ?? 1
                let stretched = m.map { high > low ? ($0 - low) / (high - low) : 0 }
                return try Image(width: w, height: h, channels: 1, pixels: stretched).toRGB().upscaled(by: max(1, size / h))
            })
        }
        let rows = (0..<channels).map { r in columns.compactMap { r < $0.count ? $0[r] : nil } }
        return try Image.grid(rows, gap: 3, columnLabels: levels.map(\.label), labelScale: 2).withKey([
            "Each level's \(channels) most varied channels for one scene, each stretched from its lowest value (black)",
            "to its highest (white). Which level keeps the grass blades, which the horizon and the lake's outline,",
            "which whole regions? Compare with how wide a window each path sees (lesson 5 prints it)."])
    }
}
