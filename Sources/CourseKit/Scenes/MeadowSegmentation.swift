import TensorCore

/// The meadow scenes as a segmentation task (lesson 7): the gray input, and as the target the
/// region of every pixel (`SceneRegion`: sky, lake, grass, dirt, flower, horse) as a class index
/// stored in a `[B, 1, H, W]` tensor, which `softmaxCrossEntropy` reads back as integers.
///
/// Same scenes, same seeds as the colorization lessons: only the target changes. Sky and lake
/// have the same gray levels (only context tells them apart); horse legs are 1 px wide and
/// flowers 2x2 (only detail keeps them).
public struct MeadowSegmentation: ScenePairs {
    public let scenes: MeadowScenes
    public var size: Int { scenes.size }

    public init(_ scenes: MeadowScenes) { self.scenes = scenes }

    public func batch(_ indices: [Int]) -> (input: Tensor, target: Tensor) {
        let (input, _, regions) = scenes.renderedBatch(indices)
        return (input, Tensor(shape: [indices.count, 1, size, size], values: regions.map(Float.init)))
    }

    /// The region classes, in label order: the channels of a segmentation model's output.
    public static let classes = SceneRegion.allCases

    /// Lesson 7's data: the meadow scenes of every lesson, labelled by region.
    public static func dataset(size: Int = 64, seed: UInt64) throws -> Dataset {
        try MeadowScenes.validate(size: size)
        return try Dataset(
            training: MeadowSegmentation(MeadowScenes(size: size, seed: Dataset.meadowTrainingSeed)), trainingCount: 4000,
            heldOut: MeadowSegmentation(MeadowScenes(size: size, seed: Dataset.meadowHeldOutSeed)), heldOutCount: 256,
            seed: seed, summary: "meadow scenes \(size)x\(size) labelled by region: 4000 training, 256 held out")
    }
}
