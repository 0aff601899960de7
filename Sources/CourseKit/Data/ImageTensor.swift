import PixelIO
import TensorCore

// Conversions between PixelIO's `Image` (HWC, interleaved) and the tensors the models see
// (NCHW, planar). PixelIO knows nothing of tensors; this file is the one bridge.

extension Tensor {
    /// The image as a [1, C, H, W] tensor with the image's channels (alpha included, if any).
    public init(image: Image) {
        let (w, h, c) = (image.width, image.height, image.channels)
        self.init(shape: [1, c, h, w])
        withUnsafeMutableBufferPointer { out in
            image.pixels.withUnsafeBufferPointer { src in
                for y in 0..<h {
                    for x in 0..<w {
                        for ch in 0..<c { out[(ch * h + y) * w + x] = src[(y * w + x) * c + ch] }
                    }
                }
            }
        }
    }

    /// Images `images` (same size and channels) stacked into one [N, C, H, W] tensor.
    public init(images: [Image]) throws {
        guard let first = images.first else { throw CourseError("cannot stack an empty list of images into a tensor") }
        for (i, image) in images.enumerated()
        where image.width != first.width || image.height != first.height || image.channels != first.channels {
            throw CourseError("cannot stack images of different sizes: image 0 is \(first.width)x\(first.height)x\(first.channels), "
                + "image \(i) is \(image.width)x\(image.height)x\(image.channels)")
        }
        let plane = first.channels * first.width * first.height
        self.init(shape: [images.count, first.channels, first.height, first.width])
        withUnsafeMutableBufferPointer { out in
            for (n, image) in images.enumerated() {
                Tensor(image: image).withUnsafeBufferPointer { src in
                    (out.baseAddress! + n * plane).update(from: src.baseAddress!, count: plane)
                }
            }
        }
    }
}

extension Image {
    /// Image `index` of a [N, C, H, W] tensor (C = 1 gray or 3 RGB), values clamped to [0, 1]
    /// (a model's prediction may overshoot a little; NaN stays NaN so `encodePNG` can name it).
    public init(tensor: Tensor, index: Int = 0) throws {
        guard tensor.rank == 4 else {
            throw CourseError("an image needs a [N, C, H, W] tensor, got shape \(tensor.shape)")
        }
        let (n, c, h, w) = (tensor.shape[0], tensor.shape[1], tensor.shape[2], tensor.shape[3])
        guard c == 1 || c == 3 else {
            throw CourseError("an image tensor has 1 (gray) or 3 (RGB) channels, got shape \(tensor.shape)")
        }
        guard index >= 0 && index < n else {
            throw CourseError("image \(index) asked of a batch of \(n) (shape \(tensor.shape))")
        }
        var pixels = [Float](repeating: 0, count: c * h * w)
        tensor.withUnsafeBufferPointer { src in
            let base = src.baseAddress! + index * c * h * w
            for ch in 0..<c {
                for i in 0..<(h * w) {
                    let v = base[ch * h * w + i]
                    pixels[i * c + ch] = v.isNaN ? v : min(max(v, 0), 1)
                }
            }
        }
        try self.init(width: w, height: h, channels: c, pixels: pixels)
    }
}

/// BT.601 luminance of a [N, 3, H, W] RGB tensor: a [N, 1, H, W] gray tensor,
/// Y = 0.299 R + 0.587 G + 0.114 B (the gray the models get as input).
public func luminanceBT601(_ rgb: Tensor) throws -> Tensor {
    guard rgb.rank == 4, rgb.shape[1] == 3 else {
        throw CourseError("luminanceBT601: expected an RGB tensor [N, 3, H, W], got shape \(rgb.shape)")
    }
    let (n, h, w) = (rgb.shape[0], rgb.shape[2], rgb.shape[3])
    let plane = h * w
    var gray = Tensor(shape: [n, 1, h, w])
    gray.withUnsafeMutableBufferPointer { out in
        rgb.withUnsafeBufferPointer { src in
            for b in 0..<n {
                let s = src.baseAddress! + b * 3 * plane, o = out.baseAddress! + b * plane
                for i in 0..<plane {
                    o[i] = bt601.x * s[i] + bt601.y * s[plane + i] + bt601.z * s[2 * plane + i]
                }
            }
        }
    }
    return gray
}
