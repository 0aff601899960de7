import TensorCore

/// Exercise 3.3 — solution. The Euclidean length of all values, summed in Double so that large
/// tensors lose nothing.
public func gradientNorm(_ t: Tensor) throws -> Float {
    Float(t.values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
}
