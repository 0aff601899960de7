/// A picture as the course sees it: `height` rows of `width` pixels, each pixel `channels` Float
/// values in [0, 1], stored interleaved (HWC: red, green, blue, red, green, blue, ...).
///
/// Channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. Values are what a display shows (sRGB-encoded),
/// so 0.5 gray is mid-gray on screen. PixelIO does not depend on TensorCore: CourseKit converts
/// between `Image` and NCHW tensors.
public struct Image: Equatable {
    public var width: Int
    public var height: Int
    public var channels: Int
    /// `width * height * channels` values, row by row, channels interleaved.
    public var pixels: [Float]

    /// An image from existing values; throws if the sizes are impossible or `pixels` has the wrong count.
    public init(width: Int, height: Int, channels: Int, pixels: [Float]) throws {
        try Image.checkSize(width: width, height: height, channels: channels)
        guard pixels.count == width * height * channels else {
            throw PixelIOError("an image of \(width)x\(height) with \(channels) channel(s) needs "
                + "\(width * height * channels) values, but \(pixels.count) were given")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image filled with one color (converted to `channels`: gray uses the color's luminance).
    public init(width: Int, height: Int, channels: Int = 3, fill: Color = .black) throws {
        try Image.checkSize(width: width, height: height, channels: channels)
        self.width = width
        self.height = height
        self.channels = channels
        let value = fill.values(channels: channels)
        pixels = [Float](unsafeUninitializedCapacity: width * height * channels) { buffer, count in
            for i in 0..<(width * height) {
                for c in 0..<channels { buffer[i * channels + c] = value[c] }
            }
            count = width * height * channels
        }
    }

    /// The value of channel `c` of pixel (`x`, `y`); (0, 0) is the top-left corner. For tests and
    /// small jobs: bulk work should go through `pixels` directly.
    public subscript(x: Int, y: Int, c: Int) -> Float {
        get { pixels[(y * width + x) * channels + c] }
        set { pixels[(y * width + x) * channels + c] = newValue }
    }

    /// Whether the image has an alpha channel (2 or 4 channels).
    public var hasAlpha: Bool { channels == 2 || channels == 4 }

    static func checkSize(width: Int, height: Int, channels: Int) throws {
        guard (1...4).contains(channels) else {
            throw PixelIOError("an image has 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA) channels, not \(channels)")
        }
        guard width > 0, height > 0 else {
            throw PixelIOError("an image needs a positive width and height, not \(width)x\(height)")
        }
        guard width <= Image.maxSide, height <= Image.maxSide,
              width * height * channels <= Image.maxValues else {
            throw PixelIOError("an image of \(width)x\(height) with \(channels) channel(s) is larger than "
                + "the \(Image.maxSide)x\(Image.maxSide) and \(Image.maxValues / 1_000_000) million values this course handles")
        }
    }

    /// The largest width or height PixelIO creates or decodes: far above anything the course needs,
    /// far below what a hostile PNG header may claim (up to 2^31-1).
    public static let maxSide = 16384
    /// The largest `width * height * channels` PixelIO creates or decodes: 128 Mi values (512 MiB
    /// of Float), so a 40-megapixel RGB photo still loads (a learner's `--data` may hold camera files).
    public static let maxValues = 1 << 27
}

/// An error in PixelIO (image sizes, PNG files, file writes) with a message a learner can act on.
public struct PixelIOError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
