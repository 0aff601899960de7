import TensorCore

/// Exercise 4.3 — transposed convolution, forward: the way back up.
///
/// **What.** Every input pixel `input[n, c, y, x]` *stamps* its kernel, scaled by its value, onto
/// the output at rows `y*stride + ky`, columns `x*stride + kx`:
/// `out[n, o, y*s + ky, x*s + kx] += input[n, c, y, x] * weight[c, o, ky, kx]`; then add `bias[o]`
/// everywhere. No padding. Note the weight layout `[in, out, k, k]`, like PyTorch's
/// `ConvTranspose2d` (and the reverse of `Conv2d`'s `[out, in, k, k]`).
///
/// **Why.** The decoder must grow the 8x8 bottleneck back to 64x64. With kernel 2 and stride 2 each
/// input pixel becomes a learned 2x2 patch: resolution comes back, but only what the bottleneck
/// kept can come back — which is exactly the autoencoder's blur. (It is called "transposed"
/// because it is the backward pass of a convolution with respect to the convolution's input.)
///
/// **Shapes.** input `[N, C, H, W]`, weight `[C, O, k, k]`, bias `[O]`;
/// out `[N, O, (H - 1)*stride + k, (W - 1)*stride + k]`.
///
/// **Worked example.** input 1x1x1x2 `[1 2]`, weight 1x1x2x2 `[a b; c d]`, bias `[0]`, stride 2:
/// out 1x1x2x4 = `[a b 2a 2b; c d 2c 2d]`. With stride 1 and kernel 2 the stamps overlap and add:
/// out 1x1x2x3 = `[a, b + 2a, 2b; c, d + 2c, 2d]`.
///
/// **Hint.** Loop over the *input* pixels (scatter) rather than the output pixels (gather): it
/// avoids all divisibility tests. Don't flip the kernel.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func convTranspose2dForward(input: Tensor, weight: Tensor, bias: Tensor, stride: Int) throws -> Tensor {
    throw ExerciseError.notStarted
}
