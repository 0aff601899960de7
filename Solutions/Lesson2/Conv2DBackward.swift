import TensorCore

/// Exercise 2.2 — solution. Walk the forward loops again; wherever forward did
/// `out += w * x`, backward does `dx += w * dout` and `dw += x * dout`. The bias was added to every
/// output pixel of its channel, so its gradient is the sum of that channel's `dout`.
public func conv2dBackward(input: Tensor, weight: Tensor, gradOutput: Tensor, stride: Int, padding: Int) throws
    -> (input: Tensor, weight: Tensor, bias: Tensor)
{
    guard input.rank == 4, weight.rank == 4, gradOutput.rank == 4, weight.shape[1] == input.shape[1],
          gradOutput.shape[0] == input.shape[0], gradOutput.shape[1] == weight.shape[0], stride >= 1, padding >= 0 else {
        throw CourseError("conv2dBackward: input \(input.shape), weight \(weight.shape), gradOutput \(gradOutput.shape) do not fit together")
    }
    let (batch, inC, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (outC, k) = (weight.shape[0], weight.shape[2])
    let (outH, outW) = (gradOutput.shape[2], gradOutput.shape[3])
    guard outH == (h + 2 * padding - k) / stride + 1, outW == (w + 2 * padding - k) / stride + 1 else {
        throw CourseError("conv2dBackward: gradOutput \(gradOutput.shape) is not the forward output's shape")
    }
    let x = input.values, wt = weight.values, dy = gradOutput.values
    var dx = [Float](repeating: 0, count: x.count)
    var dw = [Float](repeating: 0, count: wt.count)
    var db = [Float](repeating: 0, count: outC)
    for n in 0..<batch {
        for o in 0..<outC {
            for oy in 0..<outH {
                for ox in 0..<outW {
                    let g = dy[((n * outC + o) * outH + oy) * outW + ox]
                    db[o] += g
                    for c in 0..<inC {
                        for ky in 0..<k {
                            let iy = oy * stride + ky - padding
                            if iy < 0 || iy >= h { continue }
                            for kx in 0..<k {
                                let ix = ox * stride + kx - padding
                                if ix < 0 || ix >= w { continue }
                                let wi = ((o * inC + c) * k + ky) * k + kx
                                let xi = ((n * inC + c) * h + iy) * w + ix
                                dx[xi] += wt[wi] * g
                                dw[wi] += x[xi] * g
                            }
                        }
                    }
                }
            }
        }
    }
    return (Tensor(shape: input.shape, values: dx), Tensor(shape: weight.shape, values: dw), Tensor(shape: [outC], values: db))
}
