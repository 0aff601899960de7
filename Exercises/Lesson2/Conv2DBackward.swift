import TensorCore

/// Exercise 2.2 — the convolution, backward: three gradients.
///
/// **What.** Given the forward's `input`, `weight` and dL/dout (`gradOutput`), return
/// dL/dinput, dL/dweight and dL/dbias.
///
/// **Why.** Training needs dL/dweight and dL/dbias to update the layer, and dL/dinput to pass on to
/// the layer below. The rule behind all three: forward did `out += w * x` for some (w, x) pairs;
/// each such line contributes `dx += w * dout` and `dw += x * dout` in backward. The bias was
/// added once to every output pixel of its channel: dL/dbias[o] = sum of gradOutput over n, oy, ox.
/// (Forgetting the bias gradient is the classic bug: the network still trains, a bit worse.)
///
/// **Shapes.** input `[N, C, H, W]`, weight `[O, C, k, k]`, gradOutput `[N, O, outH, outW]`
/// (the forward output's shape). Returns `(input: [N, C, H, W], weight: [O, C, k, k], bias: [O])`.
///
/// **Worked example.** input 1x1x2x2 `[1 2; 3 4]`, weight 1x1x2x2 `[w0 w1; w2 w3]`, stride 1,
/// padding 0: one output pixel `out = w0*1 + w1*2 + w2*3 + w3*4 + b`. With gradOutput `[g]`:
/// dweight = `g * [1 2; 3 4]`, dinput = `g * [w0 w1; w2 w3]`, dbias = `[g]`.
///
/// **Hint.** Copy your forward loops. Where forward accumulated into `sum`, read
/// `g = gradOutput[n, o, oy, ox]` instead and accumulate into `dx` and `dw`; add `g` to `db[o]`.
///
/// **API.** `t.shape`, `t.values` (copy it into a local array before looping),
/// `Tensor(shape:values:)`. All of it: the DocC page "The API of the exercises" (`swift package
/// generate-documentation --target TensorCore`).
public func conv2dBackward(input: Tensor, weight: Tensor, gradOutput: Tensor, stride: Int, padding: Int) throws
    -> (input: Tensor, weight: Tensor, bias: Tensor)
{
    throw ExerciseError.notStarted
}
