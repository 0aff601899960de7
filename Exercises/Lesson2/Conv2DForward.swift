import TensorCore

/// Exercise 2.1 — the convolution, forward.
///
/// **What.** `out[n, o, oy, ox] = bias[o] + sum over c, ky, kx of
/// weight[o, c, ky, kx] * input[n, c, oy*stride + ky - padding, ox*stride + kx - padding]`,
/// where positions outside the image read 0 (zero padding). No kernel flip: like PyTorch's
/// `Conv2d` (which is really a cross-correlation).
///
/// **Why.** The plain conv stack of lesson 2 is nothing but this, 7 times with ReLUs between. Each
/// output pixel sees only a k x k patch of the layer below — the reason a plain stack's view of
/// the scene (its receptive field, exercise 2.6) is small, and why it cannot tell sky from lake.
///
/// **Shapes.** input `[N, C, H, W]`, weight `[O, C, k, k]`, bias `[O]`;
/// out `[N, O, (H + 2p - k)/s + 1, (W + 2p - k)/s + 1]` (integer division).
///
/// **Worked example.** input 1x1x3x3 = `[1 2 3; 4 5 6; 7 8 9]`, weight 1x1x2x2 = `[1 0; 0 1]`,
/// bias `[10]`, stride 1, padding 0: out 1x1x2x2 = `[1+5+10, 2+6+10; 4+8+10, 5+9+10]` =
/// `[16 18; 22 24]`. With padding 1 the output is 4x4 and its corner `[0,0]` is 10 + 1*0 + 1*1 = 11
/// (only the kernel's bottom-right tap lands inside the image).
///
/// **Hint.** Seven nested loops (n, o, oy, ox outside; c, ky, kx inside); skip taps whose input row
/// or column is outside `0..<H` / `0..<W`. Copy `input.values` etc. into local arrays first.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func conv2dForward(input: Tensor, weight: Tensor, bias: Tensor, stride: Int, padding: Int) throws -> Tensor {
    throw ExerciseError.notStarted
}
