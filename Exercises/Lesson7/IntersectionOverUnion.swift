/// Exercise 7.2 — intersection over union, from a confusion matrix.
///
/// **What.** `confusion[t][p]` counts the pixels of true class t that a model labelled p
/// (C rows, C columns). For every class c return its IoU: the pixels both true and predicted c,
/// divided by the pixels true *or* predicted c:
/// `confusion[c][c] / (row sum of c + column sum of c - confusion[c][c])`. A class that appears
/// neither in the truth nor in the predictions has no IoU: return `nil` for it.
///
/// **Why.** Pixel accuracy hides small things: a model that never labels a horse loses only the
/// horse's pixels, a small share of each scene. Per-class IoU does not: the horse's IoU is 0. In lesson 7 the horse and flower
/// IoUs measure the detail; "lake labelled sky" is the confusion matrix's row lake, column sky.
///
/// **Shapes.** a square matrix (throw a `CourseError` otherwise); C values out.
///
/// **Worked example.** `[[3, 1], [2, 4]]`: class 0: 3 / (4 + 5 - 3) = 0.5; class 1: 4 / (6 + 5 - 4) = 0.5714.
///
/// **Hint.** The row sum is everything that *was* c, the column sum everything *called* c; the
/// diagonal cell is in both, so subtract it once.
///
/// **API.** `throw CourseError("…")` for bad input. All of it: the DocC page "The API of the
/// exercises" (`swift package generate-documentation --target TensorCore`).
public func intersectionOverUnion(_ confusion: [[Int]]) throws -> [Double?] {
    throw ExerciseError.notStarted
}
