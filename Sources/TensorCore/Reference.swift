/// The plain definitions of the layers: loops over NCHW indices, sums in Double, no buffers kept
/// and no SIMD — the version to read first (llm.c keeps `matmul_forward_naive` beside its tuned
/// kernel for the same reason).
///
/// Each layer's file holds its reference beside its fast path (`Reference.conv2dForward` is in
/// `Conv2D.swift`). They serve three purposes:
/// - **text**: what the layer computes, without the engineering;
/// - **ground truth**: the tests and the exercise grader compare against them;
/// - **layers to train with**: `ReferenceConv2D`, `ReferenceConvTranspose2D`, `ReferenceMaxPool2D`,
///   `ReferenceReLU` and `ReferenceConcat` run these loops on a layer's parameters; a model built
///   from `Parts.reference` (every lesson's `--reference-kernels`) uses them throughout, so a
///   learner can check that the tuned engine changes speed and nothing else (results agree to
///   float rounding, ~1e-5).
public enum Reference {
    /// A 4-D view of a tensor for readable loops: `x[n, c, y, x]`.
    public struct Grid {
        public let n: Int, c: Int, h: Int, w: Int
        public var values: [Float]

        public init(_ t: Tensor) {
            precondition(t.rank == 4, "Reference.Grid needs an NCHW tensor, got shape \(t.shape)")
            (n, c, h, w) = (t.shape[0], t.shape[1], t.shape[2], t.shape[3])
            values = t.values
        }

        /// Zeros of shape `[n, c, h, w]`.
        public init(_ n: Int, _ c: Int, _ h: Int, _ w: Int) {
            (self.n, self.c, self.h, self.w) = (n, c, h, w)
            values = Array(repeating: 0, count: n * c * h * w)
        }

        public subscript(_ i: Int, _ ch: Int, _ y: Int, _ x: Int) -> Float {
            get { values[((i * c + ch) * h + y) * w + x] }
            set { values[((i * c + ch) * h + y) * w + x] = newValue }
        }

        /// True when (y, x) is inside the image (outside is zero padding).
        public func contains(_ y: Int, _ x: Int) -> Bool { y >= 0 && y < h && x >= 0 && x < w }

        public var tensor: Tensor { Tensor(shape: [n, c, h, w], values: values) }
    }

    /// `[C]`: each channel of `dy` summed over the batch and every pixel — a bias's gradient
    /// (the bias is added to every pixel of its channel).
    public static func channelSums(_ dy: Grid) -> Tensor {
        let sums = (0..<dy.c).map { o -> Float in
            var sum = 0.0
            for i in 0..<dy.n { for y in 0..<dy.h { for x in 0..<dy.w { sum += Double(dy[i, o, y, x]) } } }
            return Float(sum)
        }
        return Tensor(shape: [dy.c], values: sums)
    }
}
