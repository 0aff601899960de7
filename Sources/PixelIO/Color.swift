/// An sRGB color with alpha, components in [0, 1], for drawing: backgrounds, text, chart lines.
public struct Color: Equatable {
    public var r: Float, g: Float, b: Float, a: Float

    public init(r: Float, g: Float, b: Float, a: Float = 1) {
        self.r = r; self.g = g; self.b = b; self.a = a
    }

    /// A gray level (0 black, 1 white).
    public static func gray(_ level: Float) -> Color { Color(r: level, g: level, b: level) }

    public static let black = Color.gray(0)
    public static let white = Color.gray(1)

    /// Gray level of this color with ITU-R BT.601 weights (the ones most grayscale conversions use).
    public var luminance: Float { 0.299 * r + 0.587 * g + 0.114 * b }

    /// The color as `channels` values: gray(+alpha) uses the luminance, RGB(A) the components.
    public func values(channels: Int) -> [Float] {
        switch channels {
        case 1: return [luminance]
        case 2: return [luminance, a]
        case 3: return [r, g, b]
        default: return [r, g, b, a]
        }
    }

    /// Clearly distinct colors for chart series, in order (Tableau 10: readable, colour-blind-aware).
    public static let palette: [Color] = [
        (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
        (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
    ].map { Color(r: Float($0.0) / 255, g: Float($0.1) / 255, b: Float($0.2) / 255) }
}
