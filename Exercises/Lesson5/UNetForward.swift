import TensorCore

/// Exercise 5.4 — wiring a U-Net's forward pass.
///
/// **What.** Given the parts, run them in U-Net order and return the output:
/// ```
/// down:  for level 0 ..< depth:   y = encoders[level](y); skip[level] = y; y = pools[level](y)
/// middle: y = bottleneck(y)
/// up:    for level depth-1 ... 0: y = decoders[level]( join(ups[level](y), skip[level]) )
/// out:   head(y)
/// ```
/// All arrays are ordered outermost level first (level 0 = full resolution), so the *last*
/// encoder's output joins the *first* decoder that runs. `join(up, skip)` is the skip connection:
/// concatenation (your 5.1) in a U-Net, addition in a variant, `{ up, _ in up }` for no skip at all.
///
/// **Why.** The whole course question is in these lines: the path through `bottleneck` carries
/// what the net understood about the scene, squeezed to 8x8; `skip[level]` carries the encoder's
/// full-resolution detail across. Lessons 4-6 change only `join` (and the decoder's input
/// channels), and the pictures change from blurry to sharp.
///
/// **Shapes.** `encoders`, `pools`, `ups`, `decoders` have one entry per level (throw a
/// `CourseError` otherwise). With depth 3 and a 64x64 input: skips at 64, 32, 16; bottleneck 8.
///
/// **Worked example.** depth 1: `head(decoders[0](join(ups[0](bottleneck(pools[0](e))), e)))` with
/// `e = encoders[0](x)`.
///
/// **Hint.** Keep the skips in an array while going down; walk the levels backwards with
/// `stride(from: depth - 1, through: 0, by: -1)`. Call every part's `forward` exactly once.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`; `layer.forward(_:)`, `layer.backward(_:)`; `throw CourseError("…")` for
/// bad input. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func uNetForward(_ x: Tensor, encoders: [Layer], pools: [Layer], bottleneck: Layer, ups: [Layer],
                        decoders: [Layer], head: Layer, join: (Tensor, Tensor) throws -> Tensor) throws -> Tensor {
    throw ExerciseError.notStarted
}
