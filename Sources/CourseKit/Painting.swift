import Foundation
import PixelIO
import TensorCore

/// The trained colorizers applied to pictures of any size (`course paint`).
///
/// A conv has no idea how big its input is, so the plain stack and the U-Net, trained on 64 px
/// scenes, run unchanged on 128 or 256 px, or on a wide picture: only the U-Net's three 2x2
/// poolings ask that the height and width be multiples of 8. What changes is how much of the
/// picture a pixel's color is decided from: the plain stack still sees 15x15 pixels, a smaller
/// share of a bigger scene, while the U-Net's bottleneck grows with the picture.
public enum Painting {

    /// Sizes the U-Net can take: multiples of 8 (three 2x2 poolings), 16 to `maximumSide` a side.
    public static let maximumSide = 512

    /// Throws a readable error for a size the models cannot paint.
    public static func check(width: Int, height: Int, what: String) throws {
        guard width >= 16, height >= 16 else {
            throw CourseError("\(what) is \(width)x\(height): paint needs at least 16 pixels a side "
                + "(the U-Net halves the picture three times, down to 2x2); use a bigger picture")
        }
        guard width <= maximumSide, height <= maximumSide else {
            throw CourseError("\(what) is \(width)x\(height): paint takes up to \(maximumSide) pixels a side "
                + "(memory: the U-Net keeps 16 to 128 channels of every level); scale it down first")
        }
        guard width % 8 == 0, height % 8 == 0 else {
            throw CourseError("\(what) is \(width)x\(height): the U-Net halves the picture three times, "
                + "so height and width must be multiples of 8 (e.g. \(width / 8 * 8)x\(height / 8 * 8))")
        }
    }

    /// Every colorizer whose checkpoint is in `outputs`, loaded; and the lessons still to run.
    public static func trained(outputs: String) throws -> (models: [(name: String, model: Layer)], missing: [String]) {
        var models: [(String, Layer)] = [], missing: [String] = []
        for c in CourseModel.allCases {
            if let model = try trained(c, outputs: outputs) { models.append((c.name, model)) } else {
                missing.append("lesson \(c.lesson) (\(c.name))")
            }
        }
        return (models, missing)
    }

    /// Colorizer `c` as its lesson saved it in `outputs`, or nil when it has no checkpoint there.
    /// Built the way its lesson builds it: a checkpoint that disagrees is refused, with a message.
    public static func trained(_ c: CourseModel, outputs: String) throws -> Layer? {
        let path = "\(outputs)/lesson\(c.lesson)/\(c.name).checkpoint"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var rng = SeededGenerator(seed: 0)
        let model = c.build(rng: &rng)
        try Checkpoint.load(into: model.parameters, from: path)
        return model
    }

    /// Crops an NCHW tensor to its centered `height` x `width` window: `centerCrop` below, or the
    /// learner's exercise 5.3 (`course paint --use-exercises`).
    public typealias Cropper = (_ x: Tensor, _ height: Int, _ width: Int) throws -> Tensor

    /// `crop`, as a `Cropper`.
    public static let centerCrop: Cropper = { x, height, width in crop(x, width: width, height: height) }

    /// `count` held-out meadow scenes drawn at `size`, cropped to `width` x `height` around
    /// their middle: (gray [N, 1, H, W], color [N, 3, H, W]).
    public static func meadowScenes(size: Int, width: Int, height: Int, count: Int,
                                    cropper: Cropper = centerCrop) throws -> (gray: Tensor, color: Tensor) {
        try check(width: width, height: height, what: "the picture")
        let scenes = MeadowScenes(size: size, seed: Dataset.meadowHeldOutSeed)
        let (gray, color) = scenes.batch(Array(0..<count))
        return (try cropped(gray, height: height, width: width, by: cropper), try cropped(color, height: height, width: width, by: cropper))
    }

    /// `cropper(x, height, width)`, checked: another shape (a learner's crop not right yet) is a
    /// clear error, not a crash further on.
    static func cropped(_ x: Tensor, height: Int, width: Int, by cropper: Cropper) throws -> Tensor {
        let what = "the crop of \(x.shape) to \(height)x\(width)"
        let out: Tensor
        do { out = try cropper(x, height, width) } catch {
            throw CourseError("\(what) threw: \(error) (your centerCrop? `swift run course check 5.3`)")
        }
        let expected = [x.shape[0], x.shape[1], height, width]
        guard out.shape == expected else {
            throw CourseError("\(what) returned shape \(out.shape), not \(expected) (your centerCrop? `swift run course check 5.3`)")
        }
        return out
    }

    /// A PNG as the models' input: its gray (BT.601) and its colors, cropped around the middle to
    /// multiples of 8 by `cropper` (the note says so when it was cropped).
    public static func picture(_ path: String, cropper: Cropper = centerCrop) throws -> (gray: Tensor, color: Tensor, note: String?) {
        let image = try Image.decodePNG(at: path).toRGB()
        guard image.width <= maximumSide, image.height <= maximumSide else {
            throw CourseError("'\(path)' is \(image.width)x\(image.height): paint takes up to \(maximumSide) pixels a side "
                + "(memory: the U-Net keeps 16 to 128 channels of every level); scale it down first")
        }
        let (w, h) = (image.width / 8 * 8, image.height / 8 * 8)
        try check(width: w, height: h, what: "'\(path)' cropped to multiples of 8")
        let color = try cropped(Tensor(image: image), height: h, width: w, by: cropper)
        let note = (w, h) == (image.width, image.height) ? nil
            : "cropped from \(image.width)x\(image.height) to \(w)x\(h) (the U-Net needs multiples of 8)"
        return (try luminanceBT601(color), color, note)
    }

    /// What the scores say about size, sentence by sentence from the numbers: the big-picture
    /// (low band) and detail (high band) PSNR of the plain stack and the U-Net at the training
    /// size and at the largest size painted. Nil when either model is missing.
    public static func sizeVerdict(trainingSize: Int, largest: Int,
                                   plain: (small: QualityScores, large: QualityScores)?,
                                   unet: (small: QualityScores, large: QualityScores)?) -> String? {
        guard let plain, let unet else { return nil }
        let leadSmall = unet.small.psnrLow - plain.small.psnrLow, leadLarge = unet.large.psnrLow - plain.large.psnrLow
        var text = "Big picture (PSNR low), U-Net minus plain stack: \(signed(leadSmall)) dB at \(trainingSize) px, "
            + "\(signed(leadLarge)) dB at \(largest) px. "
        if leadLarge < leadSmall - LessonVerdicts.clear {
            text += (leadLarge < -LessonVerdicts.clear ? "On bigger scenes the U-Net falls behind the plain stack there"
                                                         : "The U-Net's lead shrinks on bigger scenes")
                + ": a conv net runs at any size, but it is not scale-invariant — "
                + "the lake and the sky are \(largest / trainingSize)x wider than any it was trained on, and what its "
                + "bottleneck learned to recognise at \(trainingSize) px does not grow with them. "
        } else {
            text += "The U-Net keeps its lead on bigger scenes. "
        }
        let detail = unet.large.psnrHigh - plain.large.psnrHigh
        text += "Detail (PSNR high) at \(largest) px: U-Net \(fmt(unet.large.psnrHigh)) dB, plain stack \(fmt(plain.large.psnrHigh)) dB"
            + (detail >= -LessonVerdicts.clear ? ": the skips still carry every blade." : ".")
        return text
    }

    /// The centered `width` x `height` part of an NCHW tensor.
    static func crop(_ t: Tensor, width: Int, height: Int) -> Tensor {
        let (n, c, h, w) = (t.shape[0], t.shape[1], t.shape[2], t.shape[3])
        let (y0, x0) = ((h - height) / 2, (w - width) / 2)
        let v = t.values
        var out = [Float](repeating: 0, count: n * c * height * width)
        for plane in 0..<(n * c) {
            for y in 0..<height {
                for x in 0..<width { out[(plane * height + y) * width + x] = v[(plane * h + y0 + y) * w + x0 + x] }
            }
        }
        return Tensor(shape: [n, c, height, width], values: out)
    }
}
