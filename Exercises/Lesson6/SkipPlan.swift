import TensorCore

/// Exercise 6.5 — an experiment of your own: which skips to keep.
///
/// **What.** For a U-Net with `levels` skip levels, return which skips to keep, one `Bool` per
/// level: index 0 is the full-resolution skip, the last one the coarsest. The plan asked here:
/// keep only the full-resolution skip (level 0). With `--use-exercises`, lesson 6 trains your
/// plan as one more variant on the same seeds and adds it to its table, its chart and its
/// conclusion.
///
/// **Why.** Lesson 6 removes the finest skips first ("no-skip0", "no-skip01") and watches the
/// detail fall. The opposite question stays open: is the full-resolution skip *enough*? Predict
/// before you run `swift run -c release lesson6 --use-exercises`: will "only level 0" land closer
/// to the full U-Net or to the autoencoder on the detail band (PSNR high)? On the big picture
/// (PSNR low)?
///
/// Once it passes, the plan is yours to change: return any other plan and run lesson 6 again
/// (`course check 6.5` will then call it failing — it grades the plan asked above).
///
/// **Shapes.** `levels >= 1` (throw a `CourseError` otherwise); the answer has `levels` entries.
///
/// **Worked example.** levels 3 -> `[true, false, false]`; levels 1 -> `[true]`.
///
/// **Hint.** `(0..<levels).map { ... }`.
///
/// **API.** `throw CourseError("…")` for bad input. All of it: the DocC page "The API of the
/// exercises" (`swift package generate-documentation --target TensorCore`).
public func skipPlan(levels: Int) throws -> [Bool] {
    throw ExerciseError.notStarted
}
