import Foundation
import Scoring
import TensorCore

/// Random label maps for the lesson 7 checks: 4x4 blocks of classes with a 1-px line across,
/// and a prediction that is the truth with `noise` of its pixels relabelled and `shift` columns moved.
func labelMaps(width: Int, height: Int, classes: Int, noise: Float, shift: Int, seed: UInt64) -> (truth: [Int], predicted: [Int]) {
    var rng = SeededGenerator(seed: seed)
    let blocks = (0..<((height / 4 + 1) * (width / 4 + 1))).map { _ in Int(rng.next() % UInt64(classes)) }
    let line = Int(rng.next() % UInt64(height))
    let blocksPerRow = width / 4 + 1
    var truth: [Int] = (0..<(width * height)).map { (i: Int) -> Int in
        let (x, y) = (i % width, i / width)
        return blocks[(y / 4) * blocksPerRow + x / 4]
    }
    for x in 0..<width { truth[line * width + x] = classes - 1 }
    let predicted = (0..<(width * height)).map { i -> Int in
        let (x, y) = (i % width, i / width)
        let source = truth[y * width + max(0, min(width - 1, x - shift))]
        return rng.uniform(0, 1) < noise ? Int(rng.next() % UInt64(classes)) : source
    }
    return (truth, predicted)
}

/// The reference boundary F1 (CourseKit's, which lesson 7 reports and which is checked against
/// scikit-image and scipy in SegmentationScoresTests).
func referenceBoundaryF1(_ truth: [Int], _ predicted: [Int], _ width: Int, _ height: Int, _ tolerance: Int) -> Double {
    var score = BoundaryScore(tolerance: tolerance)
    score.add(truth: truth, predicted: predicted, width: width, height: height)
    return score.f1
}

extension Catalog {
    static let lesson7: [Exercise] = [
        Exercise(
            "7.1", "softmax cross-entropy, forward and backward",
            hints: [
                "For each pixel (n, y, x), its C logits are C planes apart: offset ((n*C + k)*H + y)*W + x.",
                "Subtract the pixel's largest logit, exp, divide by the sum: that is the softmax; the loss adds -log p[label].",
                "Gradient: p[k] - 1 for k == label, p[k] otherwise, all divided by the number of pixels N*H*W (not by N*C*H*W).",
            ],
            check: { impl in
                let worked = try impl.softmaxCrossEntropy(Tensor(shape: [1, 2, 1, 1], values: [0, 0]), [1])
                try Expect.scalar(worked.loss, 0.693147, "the worked example's loss", absolute: 1e-5)
                try Expect.tensor(worked.gradient, Tensor(shape: [1, 2, 1, 1], values: [0.5, -0.5]), "the worked example's gradient")
                var rng = SeededGenerator(seed: 71)
                for (shape, spread) in [([2, 6, 3, 4], Float(3)), ([1, 3, 2, 5], 40), ([3, 2, 1, 1], 1)] {
                    var logits = Tensor.uniform(shape, -spread, spread, using: &rng)
                    if spread > 10 { logits.withUnsafeMutableBufferPointer { $0[0] = 1000; $0[1] = -1000 } }  // exp(1000) overflows
                    let pixels = shape[0] * shape[2] * shape[3]
                    let labels = (0..<pixels).map { _ in Int(rng.next() % UInt64(shape[1])) }
                    let got = try impl.softmaxCrossEntropy(logits, labels)
                    let expected = TensorCore.softmaxCrossEntropy(logits, labels)
                    let context = "softmaxCrossEntropy on \(shape), logits in ±\(spread)\(spread > 10 ? " (and one of 1000)" : "")"
                    try Expect.scalar(got.loss, expected.loss, context + ": loss", absolute: 1e-4)
                    try Expect.tensor(got.gradient, expected.grad, context + ": gradient")
                }
                try Expect.refuses("softmaxCrossEntropy with a label 3 for 3 classes") {
                    _ = try impl.softmaxCrossEntropy(Tensor(shape: [1, 3, 1, 1]), [3]) }
                try Expect.refuses("softmaxCrossEntropy with 1 label for 2 pixels") {
                    _ = try impl.softmaxCrossEntropy(Tensor(shape: [1, 3, 1, 2]), [0]) }
                try Domain.sweep(seed: 7101) { d in
                    let shape = d.shape(channels: 2...6), spread = d.magnitude(-2...3)
                    let logits = d.tensor(shape, spread)
                    let labels = (0..<(shape[0] * shape[2] * shape[3])).map { _ in d.int(0...shape[1] - 1) }
                    let got = try impl.softmaxCrossEntropy(logits, labels), expected = try Implementation.solutions.softmaxCrossEntropy(logits, labels)
                    let context = "softmaxCrossEntropy on \(shape), logits in ±\(spread)"
                    try Expect.scalar(got.loss, expected.loss, context + ": loss", absolute: 1e-4)
                    try Expect.tensor(got.gradient, expected.gradient, context + ": gradient", absolute: 1e-6)
                }
                try Expect.refuses("softmaxCrossEntropy with a label -1") { _ = try impl.softmaxCrossEntropy(Tensor(shape: [1, 3, 1, 1]), [-1]) }
                try Expect.refuses("softmaxCrossEntropy with 3 labels for 2 pixels") { _ = try impl.softmaxCrossEntropy(Tensor(shape: [1, 3, 1, 2]), [0, 1, 2]) }
                try Expect.refuses("softmaxCrossEntropy with 1 class (C >= 2)") { _ = try impl.softmaxCrossEntropy(Tensor(shape: [1, 1, 1, 2]), [0, 0]) }
            },
            wrong: [
                ("log of the softmax probability (max subtracted, but a label far below the max underflows to log 0 = -inf)", .solutions { $0.softmaxCrossEntropy = { z, labels in
                    let r = try Implementation.solutions.softmaxCrossEntropy(z, labels)
                    let (c, plane) = (z.shape[1], z.shape[2] * z.shape[3])
                    var loss: Float = 0
                    for (p, label) in labels.enumerated() {
                        let logits = (0..<c).map { z.values[((p / plane) * c + $0) * plane + p % plane] }
                        let top = logits.max()!, e = logits.map { expf($0 - top) }
                        loss -= logf(e[label] / e.reduce(0, +))
                    }
                    return (loss / Float(labels.count), r.gradient) } }),
                ("no max subtracted: exp(1000) overflows", .solutions { $0.softmaxCrossEntropy = { z, labels in
                    let (c, plane) = (z.shape[1], z.shape[2] * z.shape[3])
                    var g = [Float](repeating: 0, count: z.count), loss: Float = 0
                    for b in 0..<z.shape[0] { for i in 0..<plane {
                        let e = (0..<c).map { expf(z.values[(b * c + $0) * plane + i]) }, sum = e.reduce(0, +)
                        loss -= logf(e[labels[b * plane + i]] / sum)
                        for k in 0..<c { g[(b * c + k) * plane + i] = (e[k] / sum - (k == labels[b * plane + i] ? 1 : 0)) / Float(labels.count) }
                    } }
                    return (loss / Float(labels.count), Tensor(shape: z.shape, values: g)) } }),
                ("gradient summed over pixels, not averaged", .solutions { $0.softmaxCrossEntropy = { z, labels in
                    let r = TensorCore.softmaxCrossEntropy(z, labels)
                    return (r.loss, Tensor(shape: z.shape, values: r.grad.values.map { $0 * Float(labels.count) })) } }),
                ("gradient is the softmax (one-hot forgotten)", .solutions { $0.softmaxCrossEntropy = { z, labels in
                    let r = TensorCore.softmaxCrossEntropy(z, labels)
                    let plane = z.shape[2] * z.shape[3], c = z.shape[1]
                    var g = r.grad.values
                    for (p, label) in labels.enumerated() { g[((p / plane) * c + label) * plane + p % plane] += 1 / Float(labels.count) }
                    return (r.loss, Tensor(shape: z.shape, values: g)) } }),
                ("divided by N*C*H*W values instead of N*H*W pixels", .solutions { $0.softmaxCrossEntropy = { z, labels in
                    let r = TensorCore.softmaxCrossEntropy(z, labels), c = Float(z.shape[1])
                    return (r.loss / c, Tensor(shape: z.shape, values: r.grad.values.map { $0 / c })) } }),
            ]),
        Exercise(
            "7.2", "IoU from a confusion matrix",
            hints: [
                "Row c: every pixel that truly was c. Column c: every pixel the model called c.",
                "IoU = diagonal / (row sum + column sum - diagonal).",
                "A class with row and column sums both 0 returns nil, not 0 and not NaN.",
            ],
            check: { impl in
                let worked = try impl.intersectionOverUnion([[3, 1], [2, 4]])
                try Expect.that(worked.count == 2 && abs((worked[0] ?? -1) - 0.5) < 1e-9 && abs((worked[1] ?? -1) - 4.0 / 7) < 1e-9,
                                "the worked example [[3, 1], [2, 4]]", "expected [0.5, 0.5714], got \(worked)")
                for seed in UInt64(72)...75 {
                    let maps = labelMaps(width: 20, height: 16, classes: 6, noise: 0.2, shift: Int(seed % 2), seed: seed)
                    var m = ConfusionMatrix(classes: 7)  // class 6 never appears: its IoU is nil
                    m.add(truth: maps.truth, predicted: maps.predicted)
                    let rows = (0..<7).map { t in (0..<7).map { m[t, $0] } }
                    let got = try impl.intersectionOverUnion(rows)
                    let expected = (0..<7).map { m.iou($0) }
                    func agree(_ a: Double?, _ b: Double?) -> Bool {
                        guard let a, let b else { return a == nil && b == nil }
                        return abs(a - b) < 1e-9
                    }
                    let same = got.count == 7 && zip(got, expected).allSatisfy { agree($0, $1) }
                    try Expect.that(same, "intersectionOverUnion of a 7x7 confusion matrix (class 6 absent)",
                                    "expected \(expected.map { $0.map { String(format: "%.4f", $0) } ?? "nil" }), got \(got.map { $0.map { String(format: "%.4f", $0) } ?? "nil" })")
                }
                try Expect.refuses("intersectionOverUnion of a 2x3 matrix") { _ = try impl.intersectionOverUnion([[1, 2, 3], [4, 5, 6]]) }
                try Domain.sweep(seed: 7201) { d in
                    let classes = d.int(1...8), scale = d.int(0...4)
                    let rows = (0..<classes).map { _ in d.int(0...3) == 0 ? Array(repeating: 0, count: classes)
                                                      : (0..<classes).map { _ in d.int(0...(1 << (3 * scale))) } }
                    let got = try impl.intersectionOverUnion(rows), expected = try Implementation.solutions.intersectionOverUnion(rows)
                    let same = got.count == expected.count && zip(got, expected).allSatisfy { a, b in
                        guard let a, let b else { return a == nil && b == nil }
                        return abs(a - b) < 1e-9
                    }
                    try Expect.that(same, "intersectionOverUnion of \(rows)", "expected \(expected), got \(got)")
                }
                try Expect.refuses("intersectionOverUnion of a 3x2 matrix") { _ = try impl.intersectionOverUnion([[1, 2], [3, 4], [5, 6]]) }
                try Expect.refuses("intersectionOverUnion of rows of 2 and 3 entries") { _ = try impl.intersectionOverUnion([[1, 2], [3, 4, 5]]) }
            },
            wrong: [
                ("recall: diagonal / row sum", .solutions { $0.intersectionOverUnion = { m in
                    m.indices.map { k in let r = m[k].reduce(0, +); return r == 0 ? nil : Double(m[k][k]) / Double(r) } } }),
                ("union without subtracting the diagonal", .solutions { $0.intersectionOverUnion = { m in
                    m.indices.map { k in let u = m[k].reduce(0, +) + m.reduce(0) { $0 + $1[k] }; return u == 0 ? nil : Double(m[k][k]) / Double(u) } } }),
                ("0 instead of nil for a class that never appears", .solutions { $0.intersectionOverUnion = { m in
                    try Implementation.solutions.intersectionOverUnion(m).map { $0 ?? 0 } } }),
                ("precision: diagonal / column sum", .solutions { $0.intersectionOverUnion = { m in
                    m.indices.map { k in let c = m.reduce(0) { $0 + $1[k] }; return c == 0 ? nil : Double(m[k][k]) / Double(c) } } }),
            ]),
        Exercise(
            "7.3", "boundary F1",
            hints: [
                "edge[i] = some 4-neighbor inside the image has another label; both sides of an edge are edges.",
                "Matched: any pixel of the *other* map in the square max(0, x-t)...min(w-1, x+t) by the same for y.",
                "precision uses the predicted edges, recall the true ones; F1 = 2PR/(P+R), 0 when P+R is 0.",
            ],
            check: { impl in
                let worked = [(0, 0.5), (1, 1.0)]
                for (tolerance, expected) in worked {
                    try Expect.scalar(Float(try impl.boundaryF1([0, 0, 1, 1], [0, 1, 1, 1], 4, 1, tolerance)), Float(expected),
                                      "the worked example, tolerance \(tolerance)", absolute: 1e-9)
                }
                for (seed, tolerance, shift) in [(UInt64(76), 1, 0), (77, 1, 1), (78, 2, 2), (79, 0, 1), (80, 1, 3)] {
                    let (w, h) = (23, 17)
                    let maps = labelMaps(width: w, height: h, classes: 5, noise: 0.05, shift: shift, seed: seed)
                    let got = try impl.boundaryF1(maps.truth, maps.predicted, w, h, tolerance)
                    try Expect.scalar(Float(got), Float(referenceBoundaryF1(maps.truth, maps.predicted, w, h, tolerance)),
                                      "boundaryF1 on a \(w)x\(h) map, tolerance \(tolerance), prediction shifted \(shift) px", absolute: 1e-6)
                }
                try Expect.scalar(Float(try impl.boundaryF1([0, 0, 0, 0], [0, 0, 0, 0], 2, 2, 1)), 0, "no edges anywhere", absolute: 0)
                try Expect.refuses("boundaryF1 with 3 labels for a 2x2 image") { _ = try impl.boundaryF1([0, 1, 0], [0, 1, 0], 2, 2, 1) }
                try Domain.sweep(seed: 7301) { d in
                    let (w, h, classes) = (d.int(1...20), d.int(1...20), d.int(2...5)), tolerance = d.int(0...3)
                    let maps = labelMaps(width: w, height: h, classes: classes, noise: d.float(0, 0.3), shift: d.int(0...3), seed: UInt64(d.int(0...9999)))
                    try Expect.scalar(Float(try impl.boundaryF1(maps.truth, maps.predicted, w, h, tolerance)),
                                      Float(try Implementation.solutions.boundaryF1(maps.truth, maps.predicted, w, h, tolerance)),
                                      "boundaryF1 on a \(w)x\(h) map of \(classes) classes, tolerance \(tolerance)", absolute: 1e-6)
                }
                try Expect.refuses("boundaryF1 with 4 truth labels but 3 predicted for a 2x2 image") { _ = try impl.boundaryF1([0, 1, 0, 1], [0, 1, 0], 2, 2, 1) }
                try Expect.refuses("boundaryF1 with 4 labels for a 2x3 image") { _ = try impl.boundaryF1([0, 1, 0, 1], [0, 1, 0, 1], 2, 3, 1) }
            },
            wrong: [
                ("tolerance capped at 2 (the largest the worked cases use)", .solutions { $0.boundaryF1 = { t, p, w, h, tolerance in
                    try Implementation.solutions.boundaryF1(t, p, w, h, min(tolerance, 2)) } }),
                ("8 neighbors (diagonals too) make an edge", .solutions { $0.boundaryF1 = { t, p, w, h, tol in
                    let e8: ([Int]) -> [Bool] = { l in (0..<(w * h)).map { i in
                        let (x, y) = (i % w, i / w)
                        return (-1...1).contains { dy in (-1...1).contains { dx in
                            let (nx, ny) = (x + dx, y + dy)
                            return nx >= 0 && nx < w && ny >= 0 && ny < h && l[ny * w + nx] != l[i] } } } }
                    let te = e8(t), pe = e8(p)
                    var score = BoundaryScore(tolerance: tol)
                    score.add(truthBoundaries: te, predictedBoundaries: pe, width: w, height: h)
                    return score.f1 } }),
                ("tolerance ignored: only the exact pixel counts", .solutions { $0.boundaryF1 = { t, p, w, h, _ in
                    referenceBoundaryF1(t, p, w, h, 0) } }),
                ("precision only", .solutions { $0.boundaryF1 = { t, p, w, h, tol in
                    var s = BoundaryScore(tolerance: tol); s.add(truth: t, predicted: p, width: w, height: h); return s.precision } }),
                ("only the left/upper side of an edge is a boundary pixel", .solutions { $0.boundaryF1 = { t, p, w, h, tol in
                    let e: ([Int]) -> [Bool] = { l in (0..<(w * h)).map { i in
                        let (x, y) = (i % w, i / w)
                        return (x + 1 < w && l[i + 1] != l[i]) || (y + 1 < h && l[i + w] != l[i]) } }
                    let te = e(t), pe = e(p)
                    var score = BoundaryScore(tolerance: tol)
                    score.add(truthBoundaries: te, predictedBoundaries: pe, width: w, height: h)
                    return score.f1 } }),
            ]),
    ]
}
