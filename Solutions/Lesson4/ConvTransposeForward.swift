import TensorCore

/// Exercise 4.3 — solution. Every input pixel stamps its kernel, scaled by its value, onto the
/// output at (stride * y, stride * x); overlapping stamps add.
public func convTranspose2dForward(input: Tensor, weight: Tensor, bias: Tensor, stride: Int) throws -> Tensor {
    guard input.rank == 4, weight.rank == 4, weight.shape[0] == input.shape[1], weight.shape[2] == weight.shape[3],
          bias.shape == [weight.shape[1]], stride >= 1 else {
        throw CourseError("convTranspose2dForward: input \(input.shape), weight \(weight.shape) (expected [in, out, k, k]), bias \(bias.shape), stride \(stride) do not fit together")
    }
    let (batch, inC, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (outC, k) = (weight.shape[1], weight.shape[2])
    let outH = (h - 1) * stride + k, outW = (w - 1) * stride + k
    let x = input.values, wt = weight.values, b = bias.values
    var out = [Float](repeating: 0, count: batch * outC * outH * outW)
    for n in 0..<batch {
        for o in 0..<outC {
            for i in 0..<(outH * outW) { out[(n * outC + o) * outH * outW + i] = b[o] }
        }
        for c in 0..<inC {
            for y in 0..<h {
                for xx in 0..<w {
                    let v = x[((n * inC + c) * h + y) * w + xx]
                    for o in 0..<outC {
                        for ky in 0..<k {
                            for kx in 0..<k {
                                out[((n * outC + o) * outH + y * stride + ky) * outW + xx * stride + kx] +=
                                    v * wt[((c * outC + o) * k + ky) * k + kx]
                            }
                        }
                    }
                }
            }
        }
    }
    return Tensor(shape: [batch, outC, outH, outW], values: out)
}
