import TensorCore

/// Small, fully predictable layers for checking code that *wires* layers together (residual
/// blocks, the U-Net). Their forward must never crash on a wrongly wired input: they record the
/// problem and return zeros of a plausible shape, and the check reports what went wrong.
final class ProbeLog {
    var problems: [String] = []
    var calls: [String] = []
}

/// y = x * scale[c] per channel, with a trainable `scale` (so backward has a gradient to add).
final class ChannelScale: Layer {
    let name: String
    let scale: Parameter
    let log: ProbeLog
    private var input: Tensor?

    init(_ name: String, scales: [Float], log: ProbeLog) {
        self.name = name
        self.scale = Parameter("\(name).scale", Tensor(shape: [scales.count], values: scales))
        self.log = log
    }

    var parameters: [Parameter] { [scale] }

    func forward(_ x: Tensor) -> Tensor {
        log.calls.append("\(name).forward")
        guard x.rank == 4, x.shape[1] == scale.value.count else {
            log.problems.append("\(name).forward got shape \(x.shape), expected \(scale.value.count) channels")
            return x
        }
        input = x
        return map(x) { c, v in v * self.scale.value.values[c] }
    }

    func backward(_ dy: Tensor) -> Tensor {
        log.calls.append("\(name).backward")
        guard let x = input, x.shape == dy.shape else {
            log.problems.append("\(name).backward got shape \(dy.shape) before/without a matching forward")
            return dy
        }
        let plane = x.shape[2] * x.shape[3], channels = x.shape[1]
        let xv = x.values, gv = dy.values
        var g = scale.grad.values
        for i in 0..<xv.count { g[(i / plane) % channels] += xv[i] * gv[i] }
        scale.grad = Tensor(shape: scale.grad.shape, values: g)
        return map(dy) { c, v in v * self.scale.value.values[c] }
    }

    private func map(_ t: Tensor, _ f: (Int, Float) -> Float) -> Tensor {
        let plane = t.shape[2] * t.shape[3], channels = t.shape[1]
        return Tensor(shape: t.shape, values: t.values.enumerated().map { f(($0.offset / plane) % channels, $0.element) })
    }
}

/// A fixed 1x1 "convolution" that mixes `inChannels` into `outChannels` with distinct weights, so
/// feeding it channels in the wrong order changes its output. Forward only.
final class ChannelMix: Layer {
    let name: String
    let inChannels: Int, outChannels: Int
    let weights: [Float]
    let log: ProbeLog

    init(_ name: String, in inChannels: Int, out outChannels: Int, seed: UInt64, log: ProbeLog) {
        self.name = name
        self.inChannels = inChannels
        self.outChannels = outChannels
        var rng = SeededGenerator(seed: seed)
        self.weights = (0..<(inChannels * outChannels)).map { _ in rng.uniform(-1, 1) }
        self.log = log
    }

    func forward(_ x: Tensor) -> Tensor {
        log.calls.append("\(name).forward")
        guard x.rank == 4, x.shape[1] == inChannels else {
            log.problems.append("\(name).forward got shape \(x.shape), expected \(inChannels) channels")
            return Tensor(shape: [x.shape.first ?? 1, outChannels, x.rank == 4 ? x.shape[2] : 1, x.rank == 4 ? x.shape[3] : 1])
        }
        let (n, h, w) = (x.shape[0], x.shape[2], x.shape[3])
        let plane = h * w, xv = x.values
        var out = [Float](repeating: 0, count: n * outChannels * plane)
        for i in 0..<n { for o in 0..<outChannels { for c in 0..<inChannels { for p in 0..<plane {
            out[(i * outChannels + o) * plane + p] += weights[o * inChannels + c] * xv[(i * inChannels + c) * plane + p]
        } } } }
        return Tensor(shape: [n, outChannels, h, w], values: out)
    }

    func backward(_ dy: Tensor) -> Tensor {
        log.problems.append("\(name).backward was called; this exercise is forward only")
        return dy
    }
}

/// Resizes by 2 (down: 2x2 max; up: nearest neighbour). Forward only.
final class Resample: Layer {
    let name: String
    let up: Bool
    let log: ProbeLog

    init(_ name: String, up: Bool, log: ProbeLog) {
        self.name = name
        self.up = up
        self.log = log
    }

    func forward(_ x: Tensor) -> Tensor {
        log.calls.append("\(name).forward")
        guard x.rank == 4, up || (x.shape[2] >= 2 && x.shape[3] >= 2) else {
            log.problems.append("\(name).forward got shape \(x.shape)")
            return x
        }
        if !up { return Reference.maxPool2dForward(x).output }
        var out = Reference.Grid(x.shape[0], x.shape[1], 2 * x.shape[2], 2 * x.shape[3])
        let g = Reference.Grid(x)
        for i in 0..<out.n { for c in 0..<out.c { for y in 0..<out.h { for xx in 0..<out.w { out[i, c, y, xx] = g[i, c, y / 2, xx / 2] } } } }
        return out.tensor
    }

    func backward(_ dy: Tensor) -> Tensor {
        log.problems.append("\(name).backward was called; this exercise is forward only")
        return dy
    }
}

/// A branch whose output has a fixed shape whatever it is given: a residual block must refuse
/// to add it to an input of another shape, whichever dimension differs.
final class FixedShapeOutput: Layer {
    let name: String
    let shape: [Int]
    init(_ name: String, shape: [Int]) { (self.name, self.shape) = (name, shape) }
    func forward(_ x: Tensor) -> Tensor { Tensor(shape: shape) }
    func backward(_ dy: Tensor) -> Tensor { Tensor(shape: shape) }
}
