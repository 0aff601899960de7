import TensorCore

/// Exercise 2.1 — solution. Each output pixel is a dot product of the kernel with the input patch
/// under it; patch positions outside the image read zero (the padding).
public func conv2dForward(input: Tensor, weight: Tensor, bias: Tensor, stride: Int, padding: Int) throws -> Tensor {
    guard input.rank == 4, weight.rank == 4, weight.shape[1] == input.shape[1], weight.shape[2] == weight.shape[3],
          bias.shape == [weight.shape[0]], stride >= 1, padding >= 0 else {
        throw CourseError("conv2dForward: input \(input.shape), weight \(weight.shape), bias \(bias.shape), stride \(stride), padding \(padding) do not fit together")
    }
    let (batch, inC, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (outC, k) = (weight.shape[0], weight.shape[2])
    let outH = (h + 2 * padding - k) / stride + 1, outW = (w + 2 * padding - k) / stride + 1
    guard outH > 0, outW > 0 else { throw CourseError("conv2dForward: kernel \(k) does not fit input \(h)x\(w) with padding \(padding)") }
    let x = input.values, wt = weight.values, b = bias.values
    var out = [Float](repeating: 0, count: batch * outC * outH * outW)
    for n in 0..<batch {
        for o in 0..<outC {
            for oy in 0..<outH {
                for ox in 0..<outW {
                    var sum = b[o]
                    for c in 0..<inC {
                        for ky in 0..<k {
                            let iy = oy * stride + ky - padding
                            if iy < 0 || iy >= h { continue }
                            for kx in 0..<k {
                                let ix = ox * stride + kx - padding
                                if ix < 0 || ix >= w { continue }
                                sum += wt[((o * inC + c) * k + ky) * k + kx] * x[((n * inC + c) * h + iy) * w + ix]
                            }
                        }
                    }
                    out[((n * outC + o) * outH + oy) * outW + ox] = sum
                }
            }
        }
    }
    return Tensor(shape: [batch, outC, outH, outW], values: out)
}
