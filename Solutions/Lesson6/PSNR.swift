import TensorCore

/// Exercise 6.2 — solution. 10 log10(range^2 / MSE) with range 1.
public func psnr(prediction: Tensor, target: Tensor) throws -> Float {
    guard prediction.shape == target.shape, prediction.count > 0 else {
        throw CourseError("psnr: prediction \(prediction.shape) and target \(target.shape) differ")
    }
    let squared = zip(prediction.values, target.values).reduce(0.0) { sum, pair in
        let d = Double(pair.0) - Double(pair.1)
        return sum + d * d
    }
    let mse = squared / Double(prediction.count)
    return mse == 0 ? .infinity : Float(10 * log10(1 / mse))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
