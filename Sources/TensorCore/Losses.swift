#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Mean squared error, `mean((pred − target)²)`, and its gradient `2(pred − target)/count`
/// (PyTorch's `mse_loss` with mean reduction). The sum is accumulated in Double.
/// Returns a new gradient tensor; a training loop uses `MSELoss`, which reuses it.
public func mseLoss(_ pred: Tensor, _ target: Tensor) -> (loss: Float, grad: Tensor) {
    var spare: Tensor?
    return mseLoss(pred, target, reusing: &spare)
}

/// `mseLoss` that keeps its gradient buffer from one call to the next.
///
/// Once the caller has let go of last call's gradient (e.g. after `model.backward`), the next
/// gradient is written into the same buffer (see `Tensor.recycled`), so a training step
/// allocates nothing for its loss. Use it as a function: `let (loss, grad) = mse(pred, target)`.
public final class MSELoss {
    private var gradient: Tensor?

    public init() {}

    public func callAsFunction(_ pred: Tensor, _ target: Tensor) -> (loss: Float, grad: Tensor) {
        let result = mseLoss(pred, target, reusing: &gradient)
        gradient = result.grad
        return result
    }
}

/// `mseLoss`, writing the gradient into `spare` when it can be reused (the one implementation).
func mseLoss(_ pred: Tensor, _ target: Tensor, reusing spare: inout Tensor?) -> (loss: Float, grad: Tensor) {
    let scale = 2 / Float(max(pred.count, 1))
    return meanPointwiseLoss("mseLoss", pred, target, reusing: &spare) { d in (Double(d * d), scale * d) }
}

/// The shared body of the pointwise losses: the mean of `term(pred[i] − target[i]).loss` over all
/// values, and each value's gradient `term(...).grad`, written into `spare` when it can be reused.
@inline(__always)
private func meanPointwiseLoss(_ op: String, _ pred: Tensor, _ target: Tensor, reusing spare: inout Tensor?,
                               term: (Float) -> (loss: Double, grad: Float)) -> (loss: Float, grad: Tensor) {
    checkShape(op, target.shape, pred.shape)
    var grad = Tensor.recycled(&spare, shape: pred.shape)
    var sum = 0.0
    pred.withUnsafeBufferPointer { pp in
        target.withUnsafeBufferPointer { tp in
            grad.withUnsafeMutableBufferPointer { gp in
                for i in 0..<gp.count {
                    let (loss, g) = term(pp[i] - tp[i])
                    sum += loss
                    gp[i] = g
                }
            }
        }
    }
    return (Float(sum / Double(max(pred.count, 1))), grad)
}

/// Cross-entropy of a per-pixel softmax over channels, averaged over pixels (PyTorch's
/// `cross_entropy(logits, labels)` with mean reduction).
///
/// `logits` is `[N, C, ...]` (e.g. `[N, C, H, W]` for segmentation, `[N, C]` for classification);
/// `labels` holds one class in `0..<C` per pixel, in `[N, ...]` row-major order. The gradient is
/// `(softmax − onehot) / pixels`. Softmax subtracts each pixel's max logit first, so large
/// logits do not overflow.
public func softmaxCrossEntropy(_ logits: Tensor, _ labels: [Int]) -> (loss: Float, grad: Tensor) {
    precondition(logits.rank >= 2, "softmaxCrossEntropy: logits need shape [N, C, ...], got \(logits.shape)")
    let n = logits.shape[0], classes = logits.shape[1]
    let spatial = logits.shape[2...].reduce(1, *)
    let pixels = n * spatial
    precondition(labels.count == pixels,
                 "softmaxCrossEntropy: logits \(logits.shape) have \(pixels) pixels, got \(labels.count) labels")
    precondition(classes >= 1, "softmaxCrossEntropy: logits \(logits.shape) have no classes")
    var grad = Tensor(shape: logits.shape)
    let scale = 1 / Float(max(pixels, 1))
    var sum = 0.0
    logits.withUnsafeBufferPointer { lp in
        grad.withUnsafeMutableBufferPointer { gp in
            labels.withUnsafeBufferPointer { labels in
                for b in 0..<n {
                    for s in 0..<spatial {
                        // Channel k of this pixel lives at base + k * spatial.
                        let base = b * classes * spatial + s
                        let label = labels[b * spatial + s]
                        precondition(label >= 0 && label < classes,
                                     "softmaxCrossEntropy: label \(label) outside 0..<\(classes)")
                        var top = lp[base]
                        for k in 1..<classes { top = max(top, lp[base + k * spatial]) }
                        var total: Float = 0
                        for k in 0..<classes {
                            let e = expf(lp[base + k * spatial] - top)
                            gp[base + k * spatial] = e
                            total += e
                        }
                        // −log softmax[label] = log Σ e − (logit[label] − top)
                        sum += Double(logf(total) - (lp[base + label * spatial] - top))
                        let inverse = 1 / total
                        for k in 0..<classes { gp[base + k * spatial] *= inverse * scale }
                        gp[base + label * spatial] -= scale
                    }
                }
            }
        }
    }
    return (Float(sum / Double(max(pixels, 1))), grad)
}
