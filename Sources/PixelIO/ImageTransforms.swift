// Whole-image reshaping for the lessons' pictures: enlarge small samples so a reader can see the
// pixels, convert between gray and color, cut out and paste in regions.

extension Image {
    /// The image enlarged `factor` times by nearest neighbour: every pixel becomes a
    /// `factor` x `factor` block, so a 64x64 sample stays sharp (no blur that hides detail).
    public func upscaled(by factor: Int) throws -> Image {
        guard factor >= 1 else { throw PixelIOError("upscaled(by:) needs a factor of 1 or more, not \(factor)") }
        var out = try Image(width: width * factor, height: height * factor, channels: channels, fill: .black)
        let (w, c, outWidth) = (width, channels, width * factor)
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for y in 0..<(height * factor) {
                    let srcRow = (y / factor) * w * c
                    let dstRow = y * outWidth * c
                    for x in 0..<outWidth {
                        let s = srcRow + (x / factor) * c, d = dstRow + x * c
                        for k in 0..<c { dst[d + k] = src[s + k] }
                    }
                }
            }
        }
        return out
    }

    /// The image with `count` channels: gray is replicated into RGB, color becomes gray by
    /// luminance (BT.601), alpha is dropped or added as fully opaque (1).
    public func converted(toChannels count: Int) throws -> Image {
        if count == channels { return self }
        var out = try Image(width: width, height: height, channels: count, fill: .black)
        let (c, pixelCount) = (channels, width * height)
        let colorIn = channels >= 3, alphaIn = hasAlpha
        let colorOut = count >= 3, alphaOut = count == 2 || count == 4
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for i in 0..<pixelCount {
                    let s = i * c, d = i * count
                    let r = src[s], g = colorIn ? src[s + 1] : r, b = colorIn ? src[s + 2] : r
                    if colorOut {
                        dst[d] = r; dst[d + 1] = g; dst[d + 2] = b
                    } else {
                        dst[d] = colorIn ? 0.299 * r + 0.587 * g + 0.114 * b : r
                    }
                    if alphaOut { dst[d + count - 1] = alphaIn ? src[s + c - 1] : 1 }
                }
            }
        }
        return out
    }

    /// The image as 3-channel RGB (gray replicated, alpha dropped): what montages and charts use.
    public func toRGB() throws -> Image { try converted(toChannels: 3) }

    /// The `width` x `height` region whose top-left corner is (`x`, `y`); it must lie inside the image.
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) throws -> Image {
        guard x >= 0, y >= 0, w > 0, h > 0, x + w <= width, y + h <= height else {
            throw PixelIOError("cannot crop \(w)x\(h) at (\(x), \(y)) from a \(width)x\(height) image")
        }
        var out = try Image(width: w, height: h, channels: channels, fill: .black)
        for row in 0..<h {
            let s = ((y + row) * width + x) * channels
            out.pixels.replaceSubrange((row * w * channels)..<((row + 1) * w * channels),
                                       with: pixels[s..<(s + w * channels)])
        }
        return out
    }

    /// Copies `other` into this image with its top-left corner at (`x`, `y`), converted to this
    /// image's channel count. Parts that fall outside this image are left out.
    public mutating func paste(_ other: Image, x: Int, y: Int) throws {
        let source = try other.converted(toChannels: channels)
        let x0 = max(0, x), x1 = min(width, x + source.width)
        let y0 = max(0, y), y1 = min(height, y + source.height)
        guard x0 < x1, y0 < y1 else { return }
        let c = channels
        for row in y0..<y1 {
            let s = ((row - y) * source.width + (x0 - x)) * c
            let d = (row * width + x0) * c
            pixels.replaceSubrange(d..<(d + (x1 - x0) * c), with: source.pixels[s..<(s + (x1 - x0) * c)])
        }
    }
}
