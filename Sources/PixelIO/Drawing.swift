// Minimal raster drawing for labels and charts: filled rectangles and thick straight lines.
// Colors are written opaquely (no blending); everything is clipped to the image.

extension Image {
    /// Sets pixel (`x`, `y`) to `color` if it lies inside the image.
    public mutating func setPixel(x: Int, y: Int, color: Color) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let values = color.values(channels: channels)
        let base = (y * width + x) * channels
        for c in 0..<channels { pixels[base + c] = values[c] }
    }

    /// Fills the rectangle with top-left (`x`, `y`) and the given size (clipped to the image).
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, color: Color) {
        let x0 = max(0, x), x1 = min(width, x + w), y0 = max(0, y), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        let values = color.values(channels: channels)
        let c = channels
        pixels.withUnsafeMutableBufferPointer { p in
            for row in y0..<y1 {
                for col in x0..<x1 {
                    let base = (row * width + col) * c
                    for k in 0..<c { p[base + k] = values[k] }
                }
            }
        }
    }

    /// Draws a straight line from (`x0`, `y0`) to (`x1`, `y1`), `thickness` pixels wide
    /// (Bresenham's algorithm, stamping a square brush at each step).
    public mutating func drawLine(x0: Int, y0: Int, x1: Int, y1: Int, color: Color, thickness: Int = 1) {
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var (x, y, error) = (x0, y0, dx + dy)
        let offset = (thickness - 1) / 2
        while true {
            fillRect(x: x - offset, y: y - offset, width: thickness, height: thickness, color: color)
            if x == x1 && y == y1 { return }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    /// Draws the 1-pixel outline of a rectangle.
    public mutating func strokeRect(x: Int, y: Int, width w: Int, height h: Int, color: Color) {
        fillRect(x: x, y: y, width: w, height: 1, color: color)
        fillRect(x: x, y: y + h - 1, width: w, height: 1, color: color)
        fillRect(x: x, y: y, width: 1, height: h, color: color)
        fillRect(x: x + w - 1, y: y, width: 1, height: h, color: color)
    }
}
