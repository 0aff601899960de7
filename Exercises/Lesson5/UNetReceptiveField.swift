import TensorCore

/// Exercise 5.5 — an experiment: a scene larger than what the U-Net sees.
///
/// **What.** How wide a window of the input one output pixel of the course's U-Net sees along one
/// path: down the encoder to skip level `level` (0 is full resolution), across that skip, and up
/// the decoder again; `level == nil` is the path through the bottleneck. Every block is two 3x3
/// convs (padding 1); each step down is a 2x2 max-pool first, each step up a 2x2 transposed conv
/// with stride 2. With `--use-exercises`, lesson 5 prints your windows beside its scene sizes.
///
/// **Why.** Lesson 5 trains at 64 px, where the bottleneck's window covers the whole scene, and
/// then paints scenes 2 and 4 times larger. Compute the windows first, then predict: in a 256 px
/// scene, which pixels can still see the horizon — and what will the sky far above it be painted?
///
/// **Shapes.** `depth >= 1`; `level` nil or in `0..<depth` (throw a `CourseError` otherwise). The
/// answer is a width in input pixels.
///
/// **Worked example.** Walk back from output pixel p as an interval [low, high], one layer at a
/// time. depth 1, through the bottleneck, p = 256: the decoder's two convs -> [254, 258]; the
/// up-conv: each pixel came from coarse pixel i / 2 -> [127, 129]; the bottleneck's two convs ->
/// [125, 131]; its pool: coarse pixel i covers 2i and 2i + 1 -> [250, 263]; the encoder's two
/// convs -> [248, 265]: 18 px. Through the skip (level 0): four convs, 9 px.
///
/// **Hint.** Where a pixel sits against the pooling grid changes the window (an up-conv's
/// `i / 2` rounds): take the widest over 2^(depth + 1) neighbouring pixels. For depth 3: 9, 26
/// and 60 px through levels 0, 1 and 2, and 100 px through the bottleneck.
///
/// **API.** `throw CourseError("…")` for bad input; `>> 1` halves rounding down, negative numbers
/// too. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func uNetReceptiveField(depth: Int, throughSkip level: Int?) throws -> Int {
    throw ExerciseError.notStarted
}
