import TensorCore

/// The three networks the course compares, built in one place: lessons 2, 4, 5 and 7, `course
/// paint` and the stability sweep all ask here, so "the U-Net" is the same network everywhere.
public enum CourseModel: String, CaseIterable, Sendable {
    /// Lesson 2: seven 3x3 convs of 32 channels, full resolution throughout (sees 15x15 px).
    case plain
    /// Lesson 4: the U-Net below with every skip switched off.
    case autoencoder
    /// Lesson 5: base 16, three poolings, concat skips (`tools/pytorch/unet64.py`).
    case unet

    /// The lesson that trains it as a colorizer (and saves `Outputs/lessonN/<name>.checkpoint`).
    public var lesson: Int {
        switch self {
        case .plain: return 2
        case .autoencoder: return 4
        case .unet: return 5
        }
    }

    /// The layers' name prefix, the progress line's label and the key in metrics.json.
    public var name: String { rawValue }

    /// A fresh model with `outChannels` outputs (3 colors, or one per region in lesson 7), its
    /// weights drawn from `rng`, its layers made by `parts` (the learner's with --use-exercises).
    public func build(outChannels: Int = 3, parts: Parts = .builtIn, rng: inout SeededGenerator) -> Layer {
        switch self {
        case .plain: return Self.plainStack(outChannels: outChannels, parts: parts, rng: &rng)
        case .autoencoder, .unet: return buildUNet(outChannels: outChannels, parts: parts, rng: &rng)
        }
    }

    /// The plain stack's convs and the autoencoder's and U-Net's levels.
    public static let plainDepth = 7, levels = 3

    /// How wide a window of the scene one output pixel sees: the plain stack's, and the U-Net's
    /// through its deepest skip level and through its bottleneck (15, 60 and 100 px).
    public static var receptiveFields: (plain: Int, deepestSkip: Int, bottleneck: Int) {
        (PlainStack.receptiveField(depth: plainDepth), UNet.receptiveField(depth: levels, throughSkip: levels - 1), UNet.receptiveField(depth: levels, throughSkip: nil))
    }

    /// The plain stack as the `PlainStack` it is (lesson 2 reads its depth and receptive field).
    public static func plainStack(outChannels: Int = 3, parts: Parts = .builtIn, rng: inout SeededGenerator) -> PlainStack {
        PlainStack(CourseModel.plain.name, outChannels: outChannels, width: 32, depth: plainDepth, parts: parts, rng: &rng)
    }

    /// The autoencoder or the U-Net as the `UNet` it is, for a lesson that looks inside it.
    /// `levels`: other than the course's `levels` poolings (lesson 5's `--levels`);
    /// `bottleneckChannels`: a wider (or narrower) bottleneck than the usual, for exercise 4.4.
    public func buildUNet(outChannels: Int = 3, levels: Int = CourseModel.levels, bottleneckChannels: Int? = nil,
                          parts: Parts = .builtIn, rng: inout SeededGenerator) -> UNet {
        precondition(self != .plain, "CourseModel: the plain stack is not a UNet")
        let skip: SkipKind = self == .unet ? .concat : .none
        return UNet(name, outChannels: outChannels, base: 16, depth: levels, skips: Array(repeating: skip, count: levels),
                    bottleneckChannels: bottleneckChannels, parts: parts, rng: &rng)
    }

    /// Training steps of its default colorizer run (see `ColorizerSteps`).
    public var colorizerSteps: Int {
        switch self {
        case .plain: return ColorizerSteps.plain
        case .autoencoder: return ColorizerSteps.autoencoder
        case .unet: return ColorizerSteps.unet
        }
    }
}
