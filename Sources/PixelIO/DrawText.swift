// Text on images with the built-in 5x7 font: column labels ("input", "target", "U-Net"), chart
// titles and tick labels.

extension Image {
    /// Draws `text` with its top-left corner at (`x`, `y`), each font pixel a `scale` x `scale`
    /// block. One line; characters outside printable ASCII show as "?". Clipped to the image.
    public mutating func drawText(_ text: String, x: Int, y: Int, color: Color = .black, scale: Int = 1) {
        let s = max(1, scale)
        for (i, character) in text.enumerated() {
            let left = x + i * BitmapFont.advance * s
            for column in 0..<BitmapFont.glyphWidth {
                for row in 0..<BitmapFont.glyphHeight where BitmapFont.isInk(character, column: column, row: row) {
                    fillRect(x: left + column * s, y: y + row * s, width: s, height: s, color: color)
                }
            }
        }
    }

    /// A strip just large enough for `text` plus `padding` pixels on every side: a label to paste
    /// above or beside a picture.
    public static func label(_ text: String, color: Color = .black, background: Color = .white,
                             scale: Int = 1, padding: Int = 2, channels: Int = 3) throws -> Image {
        let width = BitmapFont.width(of: text, scale: scale) + 2 * padding
        let height = BitmapFont.height(scale: scale) + 2 * padding
        var strip = try Image(width: max(1, width), height: height, channels: channels, fill: background)
        strip.drawText(text, x: padding, y: padding, color: color, scale: scale)
        return strip
    }

    /// This picture with a key under it, one line of small text per entry of `lines`: what the
    /// picture shows and how to read it.
    public func withKey(_ lines: [String]) throws -> Image {
        try Image.grid([[self]] + lines.map { [try Image.label($0, scale: 1, padding: 2)] }, gap: 0)
    }
}
