import TensorCore

/// Exercise 6.4 — solution. low = Gaussian blur (separable: rows, then columns, borders
/// mirrored), high = image - low.
public func bandSplit(_ image: Tensor, sigma: Float) throws -> (low: Tensor, high: Tensor) {
    guard image.rank == 4, sigma > 0 else { throw CourseError("bandSplit: need [N, C, H, W] and sigma > 0, got \(image.shape), \(sigma)") }
    let radius = Int(4 * sigma + 0.5)
    let kernel = try gaussianKernel(sigma: sigma, radius: radius).values
    let (planes, h, w) = (image.shape[0] * image.shape[1], image.shape[2], image.shape[3])
    /// scipy's "reflect": ... c b a | a b c ... (the edge pixel repeats), folded until inside.
    func mirror(_ i: Int, _ n: Int) -> Int {
        var i = i
        while i < 0 || i >= n { i = i < 0 ? -i - 1 : 2 * n - i - 1 }
        return i
    }
    let src = image.values
    var low = [Float](repeating: 0, count: src.count)
    for p in 0..<planes {
        let base = p * h * w
        var rows = [Float](repeating: 0, count: h * w)
        for y in 0..<h { for x in 0..<w { for (i, k) in kernel.enumerated() {
            rows[y * w + x] += k * src[base + y * w + mirror(x + i - radius, w)]
        } } }
        for y in 0..<h { for x in 0..<w { for (i, k) in kernel.enumerated() {
            low[base + y * w + x] += k * rows[mirror(y + i - radius, h) * w + x]
        } } }
    }
    let high = zip(src, low).map { $0 - $1 }
    return (Tensor(shape: image.shape, values: low), Tensor(shape: image.shape, values: high))
}
