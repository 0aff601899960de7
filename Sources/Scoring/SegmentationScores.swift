import TensorCore

/// How often each true class was predicted as each class, over every pixel scored.
///
/// Every segmentation number of lesson 7 comes from it (IoU, pixel accuracy, "lake labelled
/// sky") except the boundary F1, which needs to know *where* the pixels are.
public struct ConfusionMatrix: Equatable, Sendable {
    public let classes: Int
    /// `counts[t * classes + p]`: pixels of true class t predicted as p.
    public private(set) var counts: [Int]

    public init(classes: Int) {
        self.classes = classes
        counts = Array(repeating: 0, count: classes * classes)
    }

    public mutating func add(truth: [Int], predicted: [Int]) {
        precondition(truth.count == predicted.count, "ConfusionMatrix.add: \(truth.count) true labels, \(predicted.count) predicted")
        for (t, p) in zip(truth, predicted) { counts[t * classes + p] += 1 }
    }

    public subscript(truth: Int, predicted: Int) -> Int { counts[truth * classes + predicted] }

    /// Pixels of true class `c`.
    public func truthTotal(_ c: Int) -> Int { (0..<classes).reduce(0) { $0 + self[c, $1] } }
    /// Pixels predicted as class `c`.
    public func predictedTotal(_ c: Int) -> Int { (0..<classes).reduce(0) { $0 + self[$1, c] } }

    /// Intersection over union of class `c`: TP / (TP + FP + FN); nil when the class appears
    /// neither in the truth nor in the prediction.
    public func iou(_ c: Int) -> Double? {
        let union = truthTotal(c) + predictedTotal(c) - self[c, c]
        return union == 0 ? nil : Double(self[c, c]) / Double(union)
    }

    /// The mean of `iou` over the classes that appear.
    public var meanIoU: Double {
        let values = (0..<classes).compactMap(iou)
        return values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// The fraction of pixels whose class is right.
    public var pixelAccuracy: Double {
        let total = counts.reduce(0, +)
        return total == 0 ? 0 : Double((0..<classes).reduce(0) { $0 + self[$1, $1] }) / Double(total)
    }

    /// The fraction of class `truth`'s pixels predicted as `predicted` (e.g. lake pixels called sky).
    public func rate(truth: Int, predicted: Int) -> Double {
        let total = truthTotal(truth)
        return total == 0 ? 0 : Double(self[truth, predicted]) / Double(total)
    }
}

/// Boundary F1: are the region edges where they should be, to within `tolerance` pixels?
///
/// A boundary pixel is one with a 4-neighbor of another class (both sides of an edge count). A
/// predicted boundary pixel is right when a true boundary pixel lies within `tolerance` pixels
/// (Chebyshev distance: the (2t+1)x(2t+1) square around it), and a true one is found when a
/// predicted one lies that close. Precision, recall and F1 are summed over every image scored.
public struct BoundaryScore: Equatable, Sendable {
    public var predictedPixels = 0, predictedMatched = 0
    public var truePixels = 0, trueMatched = 0
    public let tolerance: Int

    public init(tolerance: Int) { self.tolerance = tolerance }

    public var precision: Double { predictedPixels == 0 ? 0 : Double(predictedMatched) / Double(predictedPixels) }
    public var recall: Double { truePixels == 0 ? 0 : Double(trueMatched) / Double(truePixels) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    /// Adds one image of `width` x `height` labels (row-major).
    public mutating func add(truth: [Int], predicted: [Int], width: Int, height: Int) {
        add(truthBoundaries: Self.boundaries(truth, width: width, height: height),
            predictedBoundaries: Self.boundaries(predicted, width: width, height: height), width: width, height: height)
    }

    /// Adds one image's boundary maps (true where a pixel is a boundary pixel), however drawn.
    public mutating func add(truthBoundaries t: [Bool], predictedBoundaries p: [Bool], width: Int, height: Int) {
        let tNear = Self.dilated(t, width: width, height: height, by: tolerance)
        let pNear = Self.dilated(p, width: width, height: height, by: tolerance)
        for i in t.indices {
            if p[i] { predictedPixels += 1; if tNear[i] { predictedMatched += 1 } }
            if t[i] { truePixels += 1; if pNear[i] { trueMatched += 1 } }
        }
    }

    /// True where a pixel has a 4-neighbor (inside the image) of another label.
    public static func boundaries(_ labels: [Int], width: Int, height: Int) -> [Bool] {
        var edge = [Bool](repeating: false, count: labels.count)
        for y in 0..<height {
            for x in 0..<width {
                let l = labels[y * width + x]
                edge[y * width + x] = (x > 0 && labels[y * width + x - 1] != l) || (x + 1 < width && labels[y * width + x + 1] != l)
                    || (y > 0 && labels[(y - 1) * width + x] != l) || (y + 1 < height && labels[(y + 1) * width + x] != l)
            }
        }
        return edge
    }

    /// True where `map` is true within `radius` pixels (a square window).
    public static func dilated(_ map: [Bool], width: Int, height: Int, by radius: Int) -> [Bool] {
        var out = [Bool](repeating: false, count: map.count)
        for y in 0..<height {
            for x in 0..<width where map[y * width + x] {
                for yy in max(0, y - radius)...min(height - 1, y + radius) {
                    for xx in max(0, x - radius)...min(width - 1, x + radius) { out[yy * width + xx] = true }
                }
            }
        }
        return out
    }
}

/// The class of every pixel: the channel with the largest logit (the first, on a tie).
/// `logits` is `[N, C, H, W]`; the result is N*H*W labels, row-major per image.
public func argmaxLabels(_ logits: Tensor) -> [Int] {
    let (n, c, plane) = (logits.shape[0], logits.shape[1], logits.shape[2] * logits.shape[3])
    let v = logits.values
    var labels = [Int](repeating: 0, count: n * plane)
    for b in 0..<n {
        for i in 0..<plane {
            var best = 0, top = v[b * c * plane + i]
            for k in 1..<c where v[(b * c + k) * plane + i] > top { best = k; top = v[(b * c + k) * plane + i] }
            labels[b * plane + i] = best
        }
    }
    return labels
}
