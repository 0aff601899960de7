import TensorCore

/// Exercise 5.3 — center crop: the original U-Net's skip.
///
/// **What.** Keep the middle `height x width` window of every plane:
/// `out[n, c, y, x] = x[n, c, top + y, left + x]` with `top = (H - height) / 2` and
/// `left = (W - width) / 2` (integer division: when the margin is odd, the extra row/column is
/// cut at the bottom/right).
///
/// **Why.** Ronneberger et al.'s 2015 U-Net used unpadded convolutions, so each decoder map was
/// smaller than the encoder map it joined, and the skip was cropped to fit. Our convs pad, so the
/// sizes match and no crop is needed — but an off-by-one crop is an easy way to shift every
/// detail by a pixel, and the check tests odd margins on purpose. Where the course crops:
/// `swift run -c release course paint --use-exercises photo.png` cuts your picture to multiples
/// of 8 (what the U-Net's three poolings need) with this function.
///
/// **Shapes.** x `[N, C, H, W]`, 1 <= height <= H, 1 <= width <= W; out `[N, C, height, width]`.
///
/// **Worked example.** one 1x5 row `[0 1 2 3 4]` cropped to width 2: left = (5 - 2)/2 = 1 ->
/// `[1 2]`. Cropped to width 3: left = 1 -> `[1 2 3]`.
///
/// **Hint.** Copy `width` values per row, starting at `(p*H + top + y)*W + left` for plane p.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func centerCrop(_ x: Tensor, height: Int, width: Int) throws -> Tensor {
    throw ExerciseError.notStarted
}
