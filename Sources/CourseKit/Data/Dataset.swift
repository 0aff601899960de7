import TensorCore

/// A numbered collection of (gray input, color target) pairs of one size.
public protocol ScenePairs {
    /// Width and height of every image.
    var size: Int { get }
    /// Input [B, 1, size, size] and target [B, 3, size, size] of the pairs `indices`.
    func batch(_ indices: [Int]) -> (input: Tensor, target: Tensor)
}

extension MeadowScenes: ScenePairs {}

/// What a lesson trains and evaluates on: training pairs served in a seeded order, and a fixed
/// held-out set that is the same for every lesson and every `--seed`.
///
/// The learner's `--seed` changes the order of the training batches (and the model's init, which
/// is the lesson's business); it never changes which scenes are held out, so every lesson's
/// metrics are measured on the same images.
public struct Dataset {
    /// The pairs training batches are drawn from (indices 0..<trainingCount).
    public let training: any ScenePairs
    public let trainingCount: Int
    /// The evaluation pairs (indices 0..<heldOutCount), never trained on.
    public let heldOut: any ScenePairs
    public let heldOutCount: Int
    /// Drives the order of training batches.
    public private(set) var seed: UInt64
    /// One line for the lesson's story, e.g. "meadow scenes 64x64: 4000 training, 256 held out".
    public let summary: String

    public var size: Int { training.size }

    /// Seeds of the meadow scenes: constants, so every lesson sees the same scenes.
    public static let meadowTrainingSeed: UInt64 = 0x4D45_4144_4F57_0001  // "MEADOW" 1
    public static let meadowHeldOutSeed: UInt64 = 0x4D45_4144_4F57_0002  // "MEADOW" 2

    public init(training: any ScenePairs, trainingCount: Int, heldOut: any ScenePairs, heldOutCount: Int,
                seed: UInt64, summary: String) throws {
        guard training.size == heldOut.size else {
            throw CourseError("training images are \(training.size)px but held-out images are \(heldOut.size)px")
        }
        guard trainingCount > 0, heldOutCount > 0 else {
            throw CourseError("a dataset needs at least one training and one held-out pair "
                + "(got \(trainingCount) and \(heldOutCount))")
        }
        self.training = training
        self.trainingCount = trainingCount
        self.heldOut = heldOut
        self.heldOutCount = heldOutCount
        self.seed = seed
        self.summary = summary
    }

    /// The meadow scenes: `trainingScenes` scenes to train on and `heldOutScenes`
    /// to evaluate on, both fixed; `seed` only orders the training batches.
    public static func meadow(size: Int = 64, seed: UInt64, trainingScenes: Int = 4000,
                              heldOutScenes: Int = 256) throws -> Dataset {
        try MeadowScenes.validate(size: size)
        return try Dataset(
            training: MeadowScenes(size: size, seed: meadowTrainingSeed), trainingCount: trainingScenes,
            heldOut: MeadowScenes(size: size, seed: meadowHeldOutSeed), heldOutCount: heldOutScenes,
            seed: seed,
            summary: "meadow scenes \(size)x\(size): \(trainingScenes) training, \(heldOutScenes) held out")
    }

    /// The same pairs served in another seed's order (lesson 6 trains one model per seed).
    public func ordered(by seed: UInt64) -> Dataset {
        var copy = self
        copy.seed = seed
        return copy
    }

    /// The training batch for `step` (0-based): the next `batchSize` pairs of a shuffled pass over
    /// the training set, reshuffled every epoch with a generator seeded by (seed, epoch). The same
    /// (seed, step, batchSize) always gives the same batch.
    public func trainingBatch(step: Int, batchSize: Int) -> (input: Tensor, target: Tensor) {
        training.batch(trainingIndices(step: step, batchSize: batchSize))
    }

    /// Which training pairs make up batch `step` (see `trainingBatch`).
    public func trainingIndices(step: Int, batchSize: Int) -> [Int] {
        var indices = [Int]()
        indices.reserveCapacity(batchSize)
        var cachedEpoch = -1
        var order = [Int]()
        for position in (step * batchSize)..<((step + 1) * batchSize) {
            let epoch = position / trainingCount
            if epoch != cachedEpoch { order = epochOrder(epoch); cachedEpoch = epoch }
            indices.append(order[position % trainingCount])
        }
        return indices
    }

    /// A permutation of the training indices for one epoch (Fisher-Yates).
    private func epochOrder(_ epoch: Int) -> [Int] {
        var rng = SeededGenerator(seed: mix64(seed ^ mix64(UInt64(epoch) &+ 0xE90C)))
        var order = Array(0..<trainingCount)
        for i in stride(from: trainingCount - 1, to: 0, by: -1) {
            order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        return order
    }

    /// The held-out pairs `range` (e.g. 0..<16 for the first batch or the samples picture).
    public func heldOutBatch(_ range: Range<Int>) -> (input: Tensor, target: Tensor) {
        heldOut.batch(Array(range.clamped(to: 0..<heldOutCount)))
    }

    /// Held-out scenes per forward pass when scoring: 32 up to 64 px, fewer for larger scenes, so
    /// one pass never holds more pixels than 32 scenes of 64x64. (A forward pass keeps every
    /// layer's activations: 32 scenes of 256 px peaked at 11.6 GB in lesson 3 and 12.9 GB in
    /// lesson 6, for one `--quick --steps 1` step.) How many scenes go into a pass changes no score
    /// beyond the rounding of its sums; at 64 px and below it is 32, as it always was.
    public var evaluationBatchSize: Int { max(1, 32 * 64 * 64 / max(size * size, 64 * 64)) }

    /// The held-out set in consecutive batches of at most `batchSize`.
    public func heldOutRanges(batchSize: Int) -> [Range<Int>] {
        stride(from: 0, to: heldOutCount, by: max(batchSize, 1)).map { $0..<min($0 + max(batchSize, 1), heldOutCount) }
    }
}
