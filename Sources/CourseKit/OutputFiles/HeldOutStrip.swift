import PixelIO
import TensorCore

/// A batch of images stacked top to bottom in one picture, and back.
public enum HeldOutStrip {
    public static func image(_ batch: Tensor) throws -> Image {
        let n = batch.shape[0], size = batch.shape[2]
        var strip = try Image(width: batch.shape[3], height: n * size, channels: 3)
        for i in 0..<n { try strip.paste(try Image(tensor: batch, index: i).toRGB(), x: 0, y: i * size) }
        return strip
    }

    /// The square images of a strip written by `image(_:)`.
    public static func images(_ strip: Image) throws -> [Image] {
        let size = strip.width
        guard size > 0, strip.height % size == 0 else {
            throw CourseError("a held-out strip must be a column of square images, got \(strip.width)x\(strip.height)")
        }
        return try (0..<(strip.height / size)).map { try strip.cropped(x: 0, y: $0 * size, width: size, height: size) }
    }
}
