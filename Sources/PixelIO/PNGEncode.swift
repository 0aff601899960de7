import CLibPNG

// PNG encoding on libpng's simplified API: 8 bits per channel, gray, gray+alpha, RGB or RGBA.

extension Image {
    /// The image as 8-bit PNG bytes, with the image's channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA).
    /// Values are clamped to [0, 1] and rounded to the nearest of 256 levels (`(x * 255).rounded()`),
    /// so an image decoded from an 8-bit PNG encodes back to exactly the same samples.
    /// Throws if a value is NaN (a picture of NaNs hides a bug; the error says where).
    public func encodePNG() throws -> [UInt8] {
        let samples = try eightBitSamples()
        var png = png_image()
        png.version = png_uint_32(PNG_IMAGE_VERSION)
        png.width = png_uint_32(width)
        png.height = png_uint_32(height)
        png.format = (channels >= 3 ? png_uint_32(PNG_FORMAT_FLAG_COLOR) : 0)
            | (hasAlpha ? png_uint_32(PNG_FORMAT_FLAG_ALPHA) : 0)
        defer { png_image_free(&png) }

        // First call measures, second call writes (libpng's documented two-step use).
        var size: png_alloc_size_t = 0
        let measured = samples.withUnsafeBytes {
            png_image_write_to_memory(&png, nil, &size, 0, $0.baseAddress, 0, nil)
        }
        guard measured != 0, size > 0 else { throw writeError(png) }
        var output = [UInt8](repeating: 0, count: Int(size))
        let written = output.withUnsafeMutableBytes { out in
            samples.withUnsafeBytes { png_image_write_to_memory(&png, out.baseAddress, &size, 0, $0.baseAddress, 0, nil) }
        }
        guard written != 0 else { throw writeError(png) }
        return Array(output[0..<Int(size)])
    }

    /// Encodes the image (see `encodePNG`) and writes it atomically to `path` (temporary file, then
    /// rename): an existing file is replaced whole or left untouched. The folder must exist.
    public func writePNG(to path: String) throws {
        try writeFileAtomically(try encodePNG(), to: path)
    }

    /// The pixels as bytes: clamped to [0, 1], times 255, rounded to nearest.
    private func eightBitSamples() throws -> [UInt8] {
        var firstNaN: Int?
        let bytes = pixels.withUnsafeBufferPointer { src in
            [UInt8](unsafeUninitializedCapacity: src.count) { dst, count in
                for i in 0..<src.count {
                    let v = src[i]
                    if v.isNaN { firstNaN = firstNaN ?? i; dst[i] = 0; continue }
                    dst[i] = UInt8((Swift.min(Swift.max(v, 0), 1) * 255).rounded())
                }
                count = src.count
            }
        }
        if let i = firstNaN {
            let pixel = i / channels
            throw PixelIOError("cannot encode a PNG: the image holds NaN (first at x \(pixel % width), "
                + "y \(pixel / width), channel \(i % channels)); look for a NaN in what produced it")
        }
        return bytes
    }

    private func writeError(_ png: png_image) -> PixelIOError {
        var copy = png
        let text = withUnsafeBytes(of: &copy.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return PixelIOError("libpng could not encode a \(width)x\(height) image with \(channels) channel(s): \(text)")
    }
}
