import TensorCore

/// Exercise 4.4 — an experiment: give the bottleneck more room.
///
/// **What.** Return how many channels the autoencoder's bottleneck needs to hold `valuesPerPixel`
/// numbers for every pixel of a `side` x `side` gray input after `depth` 2x2 poolings. With
/// `--use-exercises`, lesson 4 trains its autoencoder with the bottleneck your function gives for
/// 4 values per pixel, instead of lesson 4's 2.
///
/// **Why.** The usual explanation of the autoencoder's blur is "the bottleneck can only store so
/// much". Lesson 4's 8x8x128 bottleneck already holds 8,192 numbers for a 4,096-pixel input. If
/// room were what loses the grass blades, twice the room should bring them back. Predict before
/// you run `swift run -c release lesson4 --use-exercises`: will the detail band (PSNR high) rise
/// by more than 1 dB over the reference run's autoencoder? (Lesson 6's `--depth-sweep` tests the
/// other suspect, the poolings.)
///
/// **Shapes.** `depth >= 1`, `side >= 1` and divisible by 2^depth, `valuesPerPixel >= 1` (throw a
/// `CourseError` otherwise); the answer is a channel count.
///
/// **Worked example.** side 64, depth 3: the bottleneck is 8x8 = 64 cells for 64x64 = 4096
/// pixels, so each cell stands for 64 pixels. 2 values per pixel -> 128 channels (lesson 4's
/// model), 4 values per pixel -> 256 channels.
///
/// **Hint.** Count the pixels one bottleneck cell stands for. Does the answer depend on `side`?
///
/// **API.** `throw CourseError("…")` for bad input. All of it: the DocC page "The API of the
/// exercises" (`swift package generate-documentation --target TensorCore`).
public func bottleneckChannels(side: Int, depth: Int, valuesPerPixel: Int) throws -> Int {
    throw ExerciseError.notStarted
}
