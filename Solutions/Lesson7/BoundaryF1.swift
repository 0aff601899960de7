import TensorCore

/// Exercise 7.3 — solution. 4-neighbor boundary maps; a boundary pixel is matched when the other
/// map has one within the (2t+1)x(2t+1) square; F1 of precision and recall.
public func boundaryF1(truth: [Int], predicted: [Int], width: Int, height: Int, tolerance: Int) throws -> Double {
    guard truth.count == width * height, predicted.count == width * height, tolerance >= 0 else {
        throw CourseError("boundaryF1: \(truth.count) and \(predicted.count) labels for a \(width)x\(height) image (tolerance \(tolerance))")
    }
    func edges(_ l: [Int]) -> [Bool] {
        var edge = [Bool](repeating: false, count: l.count)
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                let left = x > 0 && l[i - 1] != l[i], right = x + 1 < width && l[i + 1] != l[i]
                let up = y > 0 && l[i - width] != l[i], down = y + 1 < height && l[i + width] != l[i]
                edge[i] = left || right || up || down
            }
        }
        return edge
    }
    func near(_ map: [Bool], _ i: Int) -> Bool {
        let (x, y) = (i % width, i / width)
        for ny in max(0, y - tolerance)...min(height - 1, y + tolerance) {
            for nx in max(0, x - tolerance)...min(width - 1, x + tolerance) where map[ny * width + nx] { return true }
        }
        return false
    }
    let t = edges(truth), p = edges(predicted)
    let predictedCount = p.filter { $0 }.count, trueCount = t.filter { $0 }.count
    let precision = predictedCount == 0 ? 0 : Double(p.indices.filter { p[$0] && near(t, $0) }.count) / Double(predictedCount)
    let recall = trueCount == 0 ? 0 : Double(t.indices.filter { t[$0] && near(p, $0) }.count) / Double(trueCount)
    return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
}
