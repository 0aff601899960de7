import Foundation
import TensorCore

/// Exercise 7.1 — solution. Per pixel: softmax after subtracting the largest logit m, loss
/// -log p_label = log Σ exp(z_j - m) - (z_label - m), gradient (softmax - one-hot) / pixels.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int]) throws -> (loss: Float, gradient: Tensor) {
    guard logits.rank == 4, logits.shape[1] >= 2 else { throw CourseError("softmaxCrossEntropy: logits \(logits.shape) must be [N, C, H, W] with C >= 2") }
    let (n, c, plane) = (logits.shape[0], logits.shape[1], logits.shape[2] * logits.shape[3])
    guard labels.count == n * plane else { throw CourseError("softmaxCrossEntropy: \(labels.count) labels for \(n * plane) pixels") }
    guard labels.allSatisfy({ (0..<c).contains($0) }) else { throw CourseError("softmaxCrossEntropy: a label is outside 0..<\(c)") }
    let z = logits.values
    var gradient = [Float](repeating: 0, count: z.count)
    var loss = 0.0
    let pixels = Double(n * plane)
    for b in 0..<n {
        for i in 0..<plane {
            let at = (0..<c).map { (b * c + $0) * plane + i }
            let top = at.map { Double(z[$0]) }.max()!
            let e = at.map { exp(Double(z[$0]) - top) }
            let sum = e.reduce(0, +)
            let label = labels[b * plane + i]
            loss += log(sum) - (Double(z[at[label]]) - top)  // -log p_label, without log(0) when p underflows
            for k in 0..<c { gradient[at[k]] = Float((e[k] / sum - (k == label ? 1 : 0)) / pixels) }
        }
    }
    return (Float(loss / pixels), Tensor(shape: logits.shape, values: gradient))
}
