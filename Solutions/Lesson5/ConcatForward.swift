import TensorCore

/// Exercise 5.1 — solution. For each image, a's channels, then b's.
public func concatForward(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    guard a.rank == 4, b.rank == 4, a.shape[0] == b.shape[0], a.shape[2] == b.shape[2], a.shape[3] == b.shape[3] else {
        throw CourseError("concatForward: \(a.shape) and \(b.shape) differ in batch or size")
    }
    let batch = a.shape[0]
    let aImage = a.count / max(batch, 1), bImage = b.count / max(batch, 1)
    let av = a.values, bv = b.values
    var out: [Float] = []
    out.reserveCapacity(a.count + b.count)
    for n in 0..<batch {
        out += av[(n * aImage)..<((n + 1) * aImage)]
        out += bv[(n * bImage)..<((n + 1) * bImage)]
    }
    return Tensor(shape: [batch, a.shape[1] + b.shape[1], a.shape[2], a.shape[3]], values: out)
}
