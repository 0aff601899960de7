/// Updates parameters from their gradients. Optimizers keep per-parameter state (momentum,
/// moment estimates) keyed by the parameter's identity, so the same optimizer must be given the
/// same `Parameter` objects every step. `step` does not clear gradients: call `zeroGrad()`.
public protocol Optimizer: AnyObject {
    /// The step size of the next `step`; a schedule changes it between steps.
    var learningRate: Double { get set }
    func step(_ parameters: [Parameter])
    /// Everything `step` remembers between calls. A trainer saves it with the weights and puts
    /// both back after a loss spike, so the optimizer forgets the steps that were rolled back.
    var state: OptimizerState { get set }
}

/// What Adam (the course's optimizer, built in or the learner's) remembers between steps: per
/// parameter, the two moment estimates and how many steps it took. A value — the tensors are copy
/// on write, so keeping a copy costs nothing until the next update writes its own.
public struct OptimizerState {
    public struct Moments {
        /// Kept alive so its `ObjectIdentifier` (the key) is never reused.
        public let parameter: Parameter
        public var m: Tensor, v: Tensor
        /// Steps this parameter has taken (Adam's bias correction needs it).
        public var t: Int

        /// Zero moments and no steps yet: a parameter's state before its first update.
        public init(_ parameter: Parameter) {
            self.parameter = parameter
            m = Tensor(shape: parameter.value.shape)
            v = Tensor(shape: parameter.value.shape)
            t = 0
        }
    }

    public var moments: [ObjectIdentifier: Moments] = [:]

    public init() {}

    /// `parameter`'s moments taken out of the state (zero ones if it has none yet), so the caller
    /// holds the only reference and can update them in place; put them back with `put`.
    public mutating func take(_ parameter: Parameter) -> Moments {
        moments.removeValue(forKey: ObjectIdentifier(parameter)) ?? Moments(parameter)
    }

    public mutating func put(_ entry: Moments) { moments[ObjectIdentifier(entry.parameter)] = entry }
}

/// Adam (Kingma & Ba), with exactly PyTorch's update and bias correction:
///
///     m ← m + (1 − β1)·(g − m)       v ← β2·v + (1 − β2)·g·g
///     θ ← θ − (lr / (1 − β1ᵗ))·m / (√v / √(1 − β2ᵗ) + ε)
///
/// `t` counts this parameter's steps. Hyperparameters are Doubles and the per-step scalars are
/// computed in Double, as Python does, then rounded to Float. The elementwise update rounds like
/// PyTorch's CPU kernels (fused multiply-adds in `lerp_` and `addcmul_`; checked op by op against
/// torch 2.15): `m` and `v` come out bit-identical. `θ` can still differ in the last bit because
/// PyTorch's CPU `sqrt` is not correctly rounded (1 ulp off for ~16% of inputs, measured).
public final class Adam: Optimizer {
    public var learningRate: Double
    public let beta1: Double, beta2: Double, epsilon: Double
    public var state = OptimizerState()

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public func step(_ parameters: [Parameter]) {
        for p in parameters {
            checkShape("Adam \(p.name)", p.grad.shape, p.value.shape)
            var s = state.take(p)  // taken out, so `m` and `v` are uniquely held and updated in place
            s.t += 1
            let b2 = Float(beta2)
            let c1 = Float(1 - beta1), c2 = Float(1 - beta2)
            let stepSize = Float(learningRate / (1 - pow(beta1, Double(s.t))))
            let rootCorrection2 = Float((1 - pow(beta2, Double(s.t))).squareRoot())
            let eps = Float(epsilon)
            p.grad.withUnsafeBufferPointer { gp in
                s.m.withUnsafeMutableBufferPointer { mp in
                    s.v.withUnsafeMutableBufferPointer { vp in
                        p.value.withUnsafeMutableBufferPointer { wp in
                            let g = gp.baseAddress!, m = mp.baseAddress!, v = vp.baseAddress!, w = wp.baseAddress!
                            // Every element is updated on its own, so ranges can run on any core.
                            parallelRanges(wp.count) { range in
                                let n = range.upperBound
                                var i = range.lowerBound
                                while i + 16 <= n {
                                    let gi = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD16<Float>.self)
                                    var mi = UnsafeRawPointer(m + i).loadUnaligned(as: SIMD16<Float>.self)
                                    var vi = UnsafeRawPointer(v + i).loadUnaligned(as: SIMD16<Float>.self)
                                    var wi = UnsafeRawPointer(w + i).loadUnaligned(as: SIMD16<Float>.self)
                                    mi = mi.addingProduct(c1, gi - mi)
                                    vi = (b2 * vi).addingProduct(c2 * gi, gi)
                                    wi -= (stepSize * mi) / (squareRootOfNonNegative(vi) / rootCorrection2 + eps)
                                    UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: SIMD16<Float>.self)
                                    UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: SIMD16<Float>.self)
                                    UnsafeMutableRawPointer(w + i).storeBytes(of: wi, as: SIMD16<Float>.self)
                                    i += 16
                                }
                                while i < n {
                                    m[i] = m[i].addingProduct(c1, g[i] - m[i])
                                    v[i] = (b2 * v[i]).addingProduct(c2 * g[i], g[i])
                                    w[i] -= (stepSize * m[i]) / (v[i].squareRoot() / rootCorrection2 + eps)
                                    i += 1
                                }
                            }
                        }
                    }
                }
            }
            state.put(s)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
