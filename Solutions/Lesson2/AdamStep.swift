import TensorCore

/// Exercise 2.5 — solution. Kingma & Ba (2015), Algorithm 1, one step, element by element.
public func adamStep(value: Tensor, gradient: Tensor, m: Tensor, v: Tensor, step: Int,
                     learningRate: Float, beta1: Float, beta2: Float, epsilon: Float) throws
    -> (value: Tensor, m: Tensor, v: Tensor)
{
    guard gradient.shape == value.shape, m.shape == value.shape, v.shape == value.shape, step >= 1 else {
        throw CourseError("adamStep: value \(value.shape), gradient \(gradient.shape), m \(m.shape), v \(v.shape) must match and step (\(step)) start at 1")
    }
    let correction1 = 1 - pow(beta1, Float(step)), correction2 = 1 - pow(beta2, Float(step))
    var newValue = value.values, newM = m.values, newV = v.values
    let g = gradient.values
    for i in 0..<g.count {
        newM[i] = beta1 * newM[i] + (1 - beta1) * g[i]
        newV[i] = beta2 * newV[i] + (1 - beta2) * g[i] * g[i]
        let mHat = newM[i] / correction1, vHat = newV[i] / correction2
        newValue[i] -= learningRate * mHat / (vHat.squareRoot() + epsilon)
    }
    return (Tensor(shape: value.shape, values: newValue), Tensor(shape: m.shape, values: newM),
            Tensor(shape: v.shape, values: newV))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
