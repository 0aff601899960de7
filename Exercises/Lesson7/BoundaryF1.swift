/// Exercise 7.3 — boundary F1: are the edges on the right pixels?
///
/// **What.** `truth` and `predicted` are the labels of one `width` x `height` image, row by row.
/// 1. A pixel is a *boundary* pixel when one of its 4 neighbors (left, right, up, down; only those
///    inside the image) has another label. Both sides of an edge are boundary pixels.
/// 2. A predicted boundary pixel is *matched* when a true boundary pixel lies within `tolerance`
///    pixels of it: in the square from (x - tolerance, y - tolerance) to (x + tolerance, y + tolerance).
///    A true boundary pixel is matched when a predicted one lies that close.
/// 3. precision = matched predicted / all predicted boundary pixels, recall = matched true / all
///    true ones (0 when there are none), F1 = 2 * precision * recall / (precision + recall) (0 when
///    both are 0).
///
/// **Why.** IoU counts pixels; boundary F1 asks whether the *edges* are where they should be, to
/// within a pixel: "pixel-perfect edges", what the skip connections are said to give. Lesson 7
/// prints it for each model beside the IoUs, so you can see which of the two it tracks.
///
/// **Shapes.** `truth.count == predicted.count == width * height` (throw a `CourseError` otherwise).
///
/// **Worked example.** width 4, height 1, truth `[0, 0, 1, 1]` (boundary pixels 1 and 2),
/// predicted `[0, 1, 1, 1]` (boundary 0 and 1). Tolerance 0: matched predicted {1}, matched true {1}:
/// precision 1/2, recall 1/2, F1 0.5. Tolerance 1: everything matched, F1 1.
///
/// **Hint.** Make the two boundary maps first, then for each boundary pixel look for the other
/// map in its square window.
///
/// **API.** `throw CourseError("…")` for bad input. All of it: the DocC page "The API of the
/// exercises" (`swift package generate-documentation --target TensorCore`).
public func boundaryF1(truth: [Int], predicted: [Int], width: Int, height: Int, tolerance: Int) throws -> Double {
    throw ExerciseError.notStarted
}
