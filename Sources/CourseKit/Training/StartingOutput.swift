import TensorCore

/// Sets the size of a model's first predictions before training: its last layer's drawn weights
/// are scaled so that the prediction for the first training batch has a chosen root mean square.
///
/// Why (measured with `stability --trace`, docs/STABILITY.md "the init lottery"): He's rule keeps
/// activations the same size from layer to layer only on average. One draw of the course's narrow
/// layers multiplies them by a random factor per layer, so the first loss of a U-Net ranged from
/// 0.22 to 14.7 over seeds 200-219. Adam divides every step by its running mean of squared
/// gradients, which remembers about 1000 steps. A huge start leaves that mean huge after the
/// gradients fall, and the run crawls: the four worst starts lost the U-Net's lead on detail. A
/// zero start fails the other way: the gradients then grow as the last layer learns, the mean
/// lags behind, and each step comes out larger than the rate (the autoencoder spiked on 5 of 20
/// seeds). A start of the usual size, the same on every seed, avoids both: at 0.3, seed 208's
/// U-Net scored 30.82 dB instead of 25.96, and the autoencoders that spiked with a zero start
/// stayed below 2.4 times their best loss (`TrainingSettings.startingOutputRMS` has the sweep).
public enum StartingOutput {
    /// Scales the weights of `model`'s last layer (its last parameter with more than one
    /// dimension: the course's models end in a conv with zero bias, so this scales the prediction
    /// exactly) so that `model.forward(input)` has root mean square `rms`.
    public static func scale(_ model: Layer, on input: Tensor, toRMS rms: Double) {
        guard let head = model.parameters.last(where: { $0.value.rank > 1 }) else { return }
        let now = rootMeanSquare(model.forward(input))
        guard now > 0, now.isFinite else { return }
        let factor = Float(rms / now)
        head.value.withUnsafeMutableBufferPointer { w in for i in w.indices { w[i] *= factor } }
    }

    public static func rootMeanSquare(_ t: Tensor) -> Double {
        t.withUnsafeBufferPointer { v in
            (v.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(v.count, 1))).squareRoot()
        }
    }
}
