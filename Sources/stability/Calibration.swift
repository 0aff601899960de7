import CourseKit
import TensorCore

/// Experiment for the init lottery (docs/STABILITY.md): scale every conv's drawn weights so that,
/// on one batch of training scenes, its output has mean square 1 ("layer-sequential unit
/// variance", Mishkin & Matas 2016), in forward order and in one pass: each wrapped layer
/// rescales itself at its first forward, so the next one already sees calibrated inputs. Biases
/// start at zero, so scaling the weights scales the output exactly. (The model's output is then
/// scaled by `StartingOutput`, as for every run.)
final class Calibrated: Layer {
    let inner: Layer
    let calibration: Calibration
    init(_ inner: Layer, _ calibration: Calibration) { self.inner = inner; self.calibration = calibration }
    var name: String { inner.name }
    var parameters: [Parameter] { inner.parameters }
    func backward(_ dy: Tensor) -> Tensor { inner.backward(dy) }

    func forward(_ x: Tensor) -> Tensor {
        var y = inner.forward(x)
        guard calibration.active else { return y }
        let scale = Float(1 / max(StartingOutput.rootMeanSquare(y), 1e-12))
        for p in inner.parameters { Calibration.scale(p, by: scale) }
        y.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] *= scale } }
        return y
    }
}

final class Calibration {
    var active = false

    /// Parts whose convs and up-convs calibrate themselves while `active`.
    func parts() -> Parts {
        Parts.builtIn.wrapping(layer: { layer, kind in
            switch kind {
            case .conv, .upConv: return Calibrated(layer, self)
            default: return layer
            }
        }, join: { $1 })
    }

    /// One calibrating forward of `model` on `input`.
    func run(_ model: Layer, on input: Tensor) {
        active = true
        _ = model.forward(input)
        active = false
    }

    static func scale(_ p: Parameter, by s: Float) {
        p.value.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] *= s } }
    }
}
