import CLibPNG

// PNG decoding on libpng's simplified API (png_image_*). libpng reports errors with longjmp; the
// simplified API catches them inside libpng and returns 0 with `image.message` set, so no jump ever
// crosses a Swift frame.

/// The 8 bytes every PNG file starts with.
let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

extension Image {
    /// Decodes the PNG file at `path`. See `decodePNG(data:)` for what comes out.
    public static func decodePNG(at path: String) throws -> Image {
        // Twice the raw size of the largest image we decode (16-bit samples) covers any real PNG;
        // its header bounds each file far tighter (`largestPlausibleSize`).
        let bytes = try readFileBytes(path, maxBytes: 4 * maxValues) { size, head in
            guard size > head.count else { return }  // all read already: the decoder judges it
            let largest = try largestPlausibleSize(header: head, name: "'\(path)'")
            if size > largest {
                throw PixelIOError("'\(path)' is \(size) bytes, but its header describes a picture that fits in \(largest): "
                    + "it is not a PNG this course can read")
            }
        }
        return try decodePNG(data: bytes, name: "'\(path)'")
    }

    /// The most bytes a PNG with this header can sensibly hold: its pixels uncompressed (deflate's
    /// worst case adds 5 bytes per 64 KB), twice over for chunk overheads, plus 16 MB for metadata
    /// chunks (colour profiles, EXIF). Sides past `maxSide` count as `maxSide` (refused later).
    /// Throws when `header` (at least 29 bytes) is not a PNG signature followed by IHDR.
    static func largestPlausibleSize(header: [UInt8], name: String) throws -> Int {
        guard header.count >= 8, Array(header[0..<8]) == pngSignature else {
            throw PixelIOError("\(name) is not a PNG file (it does not start with the 8-byte PNG signature)")
        }
        guard header.count >= 29, Array(header[12..<16]) == Array("IHDR".utf8) else {
            throw PixelIOError("\(name) is not a valid PNG file: its first chunk is not the IHDR header")
        }
        func int(_ at: Int) -> Int { header[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        let width = min(int(16), maxSide), height = min(int(20), maxSide), depth = max(Int(header[24]), 8)
        let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(header[25])] ?? 4
        let raw = height * (1 + (width * channels * depth + 7) / 8)
        return 2 * raw + 16 << 20
    }

    /// Decodes PNG bytes: any bit depth (1-16), gray, gray+alpha, RGB, RGBA, palette, interlaced.
    ///
    /// The image keeps the file's channels: gray stays 1 channel, gray with transparency (alpha or
    /// tRNS) 2, RGB 3, RGB with transparency 4; palette files become RGB, or RGBA if the palette
    /// has transparency. Files of up to 8 bits come out as libpng's 8-bit sRGB samples / 255 (a
    /// file tagged with another gamma is converted to sRGB by libpng; untagged files, and every file
    /// PixelIO writes, come through unchanged). 16-bit files keep their precision: libpng's 16-bit
    /// linear samples / 65535 (an untagged 16-bit file comes through unchanged; a gAMA/sRGB/iCCP-
    /// tagged one is converted to linear light by libpng), with alpha kept straight, not premultiplied.
    /// A file must end with its IEND chunk: one cut anywhere is reported as truncated.
    /// `name` is how errors refer to the data (e.g. the file's path).
    ///
    /// Throws a `PixelIOError` for empty, truncated, corrupt or non-PNG data, and for images larger
    /// than `Image.maxSide` / `Image.maxValues`, checked from the header before anything is allocated.
    public static func decodePNG(data: [UInt8], name: String = "the PNG data") throws -> Image {
        guard !data.isEmpty else {
            throw PixelIOError("\(name) is empty (0 bytes), not a PNG file: write it again")
        }
        guard data.count >= 8, Array(data[0..<8]) == pngSignature else {
            throw PixelIOError("\(name) is not a PNG file (it does not start with the 8-byte PNG signature)")
        }
        try checkChunkLayout(data, name: name)
        var png = png_image()
        png.version = png_uint_32(PNG_IMAGE_VERSION)
        defer { png_image_free(&png) }  // frees libpng's state if we stop before finish_read

        let began = data.withUnsafeBytes { png_image_begin_read_from_memory(&png, $0.baseAddress, $0.count) }
        guard began != 0 else { throw readError(png, name: name, stage: "header") }

        let fileFormat = png.format
        let hasColor = fileFormat & png_uint_32(PNG_FORMAT_FLAG_COLOR) != 0
        let hasAlpha = fileFormat & png_uint_32(PNG_FORMAT_FLAG_ALPHA) != 0
        let sixteenBit = fileFormat & png_uint_32(PNG_FORMAT_FLAG_LINEAR) != 0
        let channels = (hasColor ? 3 : 1) + (hasAlpha ? 1 : 0)
        let width = Int(png.width), height = Int(png.height)
        do {
            try checkSize(width: width, height: height, channels: channels)
        } catch {
            throw PixelIOError("\(name) is \(width)x\(height) with \(channels) channel(s) "
                + "(\(Int(Double(width) * Double(height) * Double(channels) / 1e6)) million values): this course reads images of at most "
                + "\(maxSide)x\(maxSide) px and \(maxValues / 1_000_000) million values; shrink it first "
                + "(the lessons use pictures at 64x64 anyway)")
        }
        // Ask for the file's own layout, without its palette (COLORMAP) and at its own precision.
        png.format = (hasColor ? png_uint_32(PNG_FORMAT_FLAG_COLOR) : 0)
            | (hasAlpha ? png_uint_32(PNG_FORMAT_FLAG_ALPHA) : 0)
            | (sixteenBit ? png_uint_32(PNG_FORMAT_FLAG_LINEAR) : 0)
        let count = width * height * channels

        var pixels = [Float](repeating: 0, count: count)
        if sixteenBit {
            var samples = [UInt16](repeating: 0, count: count)
            let finished = samples.withUnsafeMutableBytes { png_image_finish_read(&png, nil, $0.baseAddress, 0, nil) }
            guard finished != 0 else { throw readError(png, name: name, stage: "pixels") }
            samples.withUnsafeBufferPointer { src in
                pixels.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<count { dst[i] = Float(src[i]) / 65535 }
                }
            }
            // libpng's 16-bit output has color premultiplied by alpha; undo it so every Image has
            // straight alpha, like the 8-bit output. (Fully transparent pixels come out black.)
            if hasAlpha { unpremultiply(&pixels, channels: channels) }
        } else {
            var samples = [UInt8](repeating: 0, count: count)
            let finished = samples.withUnsafeMutableBytes { png_image_finish_read(&png, nil, $0.baseAddress, 0, nil) }
            guard finished != 0 else { throw readError(png, name: name, stage: "pixels") }
            samples.withUnsafeBufferPointer { src in
                pixels.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<count { dst[i] = Float(src[i]) / 255 }
                }
            }
        }
        return try Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// Divides the color values of every pixel by its alpha (the last channel).
    private static func unpremultiply(_ pixels: inout [Float], channels: Int) {
        pixels.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i < p.count {
                let alpha = p[i + channels - 1]
                for c in 0..<(channels - 1) {
                    p[i + c] = alpha > 0 ? min(1, p[i + c] / alpha) : 0
                }
                i += channels
            }
        }
    }

    /// Turns libpng's message into one that says what is wrong and what to do.
    private static func readError(_ png: png_image, name: String, stage: String) -> PixelIOError {
        var message = png
        let text = withUnsafeBytes(of: &message.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let libpng = text.isEmpty ? "no message" : text
        let lower = libpng.lowercased()
        if lower.contains("beyond end of data") || lower.contains("not enough image data")
            || lower.contains("read error") || lower.contains("truncated") {
            return PixelIOError("\(name) is truncated (libpng: \"\(libpng)\" while reading the \(stage)): "
                + "the file was cut short; write or copy it again")
        }
        return PixelIOError("\(name) is a damaged or unsupported PNG (libpng: \"\(libpng)\" while reading the \(stage)): "
            + "write or copy it again")
    }
}
