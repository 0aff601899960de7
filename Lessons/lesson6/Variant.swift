import CourseKit

/// A U-Net with some skips changed or its bottleneck zeroed: what every experiment of lesson 6
/// trains, the lesson's own at 32 px and the depth sweep's at 64 px.
struct Variant {
    let name: String
    /// One per level, outermost first: their count is the depth.
    let skips: [SkipKind]
    var zeroBottleneck = false
    /// What the variant asks, for the lesson's list (the depth sweep's speak through their names).
    var question = ""
    var depth: Int { skips.count }

    /// Channels of the first level; each level doubles them (the course's width rule).
    static let base = 16

    /// Builds this variant with `seed`'s weights and trains it on `data` (default: the lesson's),
    /// batches in `seed`'s order.
    func train(_ lesson: LessonRun, seed: Int, steps: Int, save: Bool, data: Dataset? = nil) throws -> (model: UNet, result: ColorizerResult) {
        var rng = SeededGenerator(seed: UInt64(seed))
        let model = UNet(name, base: Self.base, depth: depth, skips: skips, parts: lesson.options.kernelParts, rng: &rng)
        model.zeroBottleneck = zeroBottleneck
        let result = try lesson.trainColorizer(model, name: name, lesson.training("\(name) seed \(seed)", steps: steps),
                                               seed: seed, save: save, data: data)
        return (model, result)
    }
}
