import TensorCore

/// A residual branch for the checks: a per-channel scale with seeded factors.
func scaleBranch(channels: Int, seed: UInt64, log: ProbeLog) -> ChannelScale {
    var rng = SeededGenerator(seed: seed)
    return ChannelScale("branch", scales: (0..<channels).map { _ in rng.uniform(-2, 2) }, log: log)
}

extension Catalog {
    static let lesson3: [Exercise] = [
        Exercise(
            "3.1", "residual block forward",
            hints: [
                "Two paths from x to y: through the branch, and straight across.",
                "let fx = branch.forward(x) — exactly once; check fx.shape == x.shape.",
                "Return the element-wise sum x + fx.",
            ],
            check: { impl in
                var rng = SeededGenerator(seed: 31)
                for shape in [[1, 2, 1, 1], [2, 3, 4, 5]] {
                    let log = ProbeLog()
                    let branch = scaleBranch(channels: shape[1], seed: 32, log: log)
                    let x = Tensor.uniform(shape, -1, 1, using: &rng)
                    let got = try impl.residualForward(x, branch)
                    let plane = shape[2] * shape[3]
                    let expected = x.values.enumerated().map { $0.element * (1 + branch.scale.value.values[($0.offset / plane) % shape[1]]) }
                    try Expect.that(log.calls == ["branch.forward"], "residualForward on \(shape)",
                                    "the branch should run forward exactly once, saw calls \(log.calls)")
                    try Expect.tensor(got, Tensor(shape: shape, values: expected), "residualForward on \(shape), branch = per-channel scale")
                }
                try Expect.refuses("residualForward with a branch that halves H and W (its output cannot be added to x)") {
                    _ = try impl.residualForward(Tensor(shape: [1, 1, 4, 4]), MaxPool2D("halving branch")) }
                try Domain.sweep(seed: 3101) { d in
                    let shape = d.shape(), m = d.magnitude(), seed = UInt64(d.int(0...999))
                    let x = d.tensor(shape, m)
                    let got = try impl.residualForward(x, scaleBranch(channels: shape[1], seed: seed, log: ProbeLog()))
                    let expected = try Implementation.solutions.residualForward(x, scaleBranch(channels: shape[1], seed: seed, log: ProbeLog()))
                    try Expect.tensor(got, expected, "residualForward on \(shape), values up to \(m), branch = per-channel scale", absolute: 1e-6 * m)
                }
                let shape = [2, 3, 4, 5]
                for other in Domain.oneDimensionOff(shape) {
                    try Expect.refuses("residualForward on \(shape) with a branch whose output is \(other)") {
                        _ = try impl.residualForward(Tensor(shape: shape), FixedShapeOutput("branch", shape: other)) }
                }
            },
            wrong: [
                ("refuses a branch that changes H or W, not one that changes the channels", .solutions { $0.residualForward = { x, branch in
                    let y = branch.forward(x)
                    guard y.rank == 4, y.shape[2...] == x.shape[2...] else { throw CourseError("branch output \(y.shape) for input \(x.shape)") }
                    return Tensor(shape: x.shape, values: x.values.enumerated().map { $0.element + (y.values.indices.contains($0.offset) ? y.values[$0.offset] : 0) }) } }),
                ("does not check the branch's output shape (returns F(x) when they differ)", .solutions { $0.residualForward = { x, branch in
                    let y = branch.forward(x)
                    return y.shape == x.shape ? try Implementation.solutions.residualForward(x, branch) : y } }),
                ("skip forgotten: returns F(x)", .solutions { $0.residualForward = { x, branch in branch.forward(x) } }),
                ("branch applied twice: x + F(F(x))", .solutions { $0.residualForward = { x, branch in
                    let y = branch.forward(branch.forward(x))
                    return Tensor(shape: x.shape, values: zip(x.values, y.values).map { $0 + $1 }) } }),
            ]),
        Exercise(
            "3.2", "residual block backward (the gradients add)",
            hints: [
                "x reached y along two paths; the chain rule adds the gradients of both.",
                "The skip path's gradient is gradOutput itself; the branch path's is branch.backward(gradOutput).",
                "Call branch.backward exactly once (it adds into its weights' gradients) and return gradOutput + its result.",
            ],
            check: { impl in
                var rng = SeededGenerator(seed: 33)
                for shape in [[1, 2, 1, 1], [2, 3, 4, 5]] {
                    let log = ProbeLog()
                    let branch = scaleBranch(channels: shape[1], seed: 34, log: log)
                    let x = Tensor.uniform(shape, -1, 1, using: &rng), dy = Tensor.uniform(shape, -1, 1, using: &rng)
                    _ = branch.forward(x)
                    log.calls = []
                    let got = try impl.residualBackward(dy, branch)
                    let plane = shape[2] * shape[3]
                    let scales = branch.scale.value.values
                    let expected = dy.values.enumerated().map { $0.element * (1 + scales[($0.offset / plane) % shape[1]]) }
                    var expectedScaleGrad = [Float](repeating: 0, count: shape[1])
                    for i in 0..<x.count { expectedScaleGrad[(i / plane) % shape[1]] += x.values[i] * dy.values[i] }
                    let context = "residualBackward on \(shape), branch = per-channel scale"
                    try Expect.tensor(got, Tensor(shape: shape, values: expected), context + ": dL/dx")
                    try Expect.tensor(branch.scale.grad, Tensor(shape: [shape[1]], values: expectedScaleGrad),
                                      context + ": the branch's weight gradient (branch.backward must run exactly once)")
                }
                try Domain.sweep(seed: 3201) { d in
                    let shape = d.shape(), seed = UInt64(d.int(0...999)), (mx, mg) = (d.magnitude(), d.magnitude())
                    let x = d.tensor(shape, mx), dy = d.tensor(shape, mg)
                    let branches = (scaleBranch(channels: shape[1], seed: seed, log: ProbeLog()), scaleBranch(channels: shape[1], seed: seed, log: ProbeLog()))
                    _ = branches.0.forward(x)
                    _ = branches.1.forward(x)
                    let got = try impl.residualBackward(dy, branches.0)
                    let expected = try Implementation.solutions.residualBackward(dy, branches.1)
                    let context = "residualBackward on \(shape), inputs up to \(mx), gradOutput up to \(mg), branch = per-channel scale"
                    try Expect.tensor(got, expected, context + ": dL/dx", absolute: 1e-6 * mg)
                    try Expect.tensor(branches.0.scale.grad, branches.1.scale.grad, context + ": the branch's weight gradient",
                                      absolute: 1e-6 * Float(x.count) * mx * mg)
                }
            },
            wrong: [
                ("skip forgotten: returns only the branch's gradient", .solutions { $0.residualBackward = { dy, branch in branch.backward(dy) } }),
                ("branch forgotten: returns gradOutput (the branch never learns)", .solutions { $0.residualBackward = { dy, _ in dy } }),
                ("branch.backward called twice", .solutions { $0.residualBackward = { dy, branch in
                    _ = branch.backward(dy)
                    return try Implementation.solutions.residualBackward(dy, branch) } }),
            ]),
        Exercise(
            "3.3", "gradient norm",
            hints: [
                "The L2 norm is the length of the tensor seen as one long vector.",
                "Sum v*v over all values (in a Double), then take the square root.",
                "Float(sum.squareRoot()) — not the mean, not the sum of squares.",
            ],
            check: { impl in
                try Expect.scalar(try impl.gradientNorm(Tensor(shape: [2], values: [3, 4])), 5, "gradientNorm([3, 4])")
                try Expect.scalar(try impl.gradientNorm(Tensor(shape: [2], values: [3e20, 4e20])), 5e20, "gradientNorm([3e20, 4e20])",
                                  relative: 1e-5)
                var rng = SeededGenerator(seed: 35)
                // Magnitudes from 1e-3 to 1e20 (an exploding gradient: squared in a Float it overflows).
                for (shape, scale) in [([2, 3, 4, 5], Float(1)), ([64, 16, 3, 3], Float(1e-3)), ([1], Float(-2)), ([3, 5], Float(1e20))] {
                    let t = Tensor.uniform(shape, 0, scale, using: &rng)
                    let expected = Float(t.values.map { Double($0) * Double($0) }.reduce(0, +).squareRoot())
                    try Expect.scalar(try impl.gradientNorm(t), expected, "gradientNorm of \(shape) values in [0, \(scale))",
                                      absolute: 1e-7, relative: 1e-4)
                }
                try Domain.sweep(seed: 3301) { d in
                    let shape = (0..<d.int(1...4)).map { _ in d.int(1...9) }, m = d.magnitude(-15...15)
                    let t = d.tensor(shape, m)
                    try Expect.scalar(try impl.gradientNorm(t), try Implementation.solutions.gradientNorm(t),
                                      "gradientNorm of \(shape), values up to \(m)", absolute: 0, relative: 1e-5)
                }
            },
            wrong: [
                ("sum of squares, no square root", .solutions { $0.gradientNorm = { t in t.values.reduce(0) { $0 + $1 * $1 } } }),
                ("root mean square (divided by the count)", .solutions { $0.gradientNorm = { t in
                    (t.values.reduce(0) { $0 + $1 * $1 } / Float(t.count)).squareRoot() } }),
                ("squares summed in a Float (right for small values; an exploding gradient overflows to inf)", .solutions { $0.gradientNorm = { t in
                    t.values.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot() } }),
            ]),
    ]
}
