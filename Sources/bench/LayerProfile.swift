import CourseKit
import Dispatch

/// Wall-clock seconds per layer call, in call order (a per-op breakdown of a training step).
/// Filled by the `Timed` wrappers of `Parts.timed(into:)` while `isRecording` is on.
final class LayerProfile {
    struct Entry {
        let label: String, kind: String, seconds: Double
    }
    private(set) var entries: [Entry] = []
    var isRecording = false

    func time<T>(_ label: String, _ kind: String, _ body: () -> T) -> T {
        guard isRecording else { return body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = body()
        entries.append(Entry(label: label, kind: kind, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9))
        return result
    }

    func reset() { entries.removeAll() }
}

extension Parts {
    /// These parts with every layer and join wrapped in a timer: a model built from them reports
    /// each call into `profile`, and computes exactly what it would without.
    func timed(into profile: LayerProfile) -> Parts {
        wrapping(layer: { layer, kind in Timed(layer, kind.label, profile) }, join: { TimedJoin($0, $1, profile) })
    }
}

extension Parts.Kind {
    /// The kind of op in the breakdown.
    var label: String {
        switch self {
        case .conv(let k): return "Conv2D \(k)x\(k)"
        case .relu: return "ReLU"
        case .pool: return "MaxPool2D"
        case .upConv: return "ConvTranspose2D"
        case .residual: return "Residual"
        }
    }
}

/// A layer that times its forward and backward; it passes `needsInputGradient` through, so a
/// timed first conv still skips the input gradient.
final class Timed: InputGradientOptional {
    let layer: Layer, kind: String, profile: LayerProfile
    init(_ layer: Layer, _ kind: String, _ profile: LayerProfile) { (self.layer, self.kind, self.profile) = (layer, kind, profile) }
    var name: String { layer.name }
    var parameters: [Parameter] { layer.parameters }
    var needsInputGradient: Bool {
        get { (layer as? InputGradientOptional)?.needsInputGradient ?? true }
        set { (layer as? InputGradientOptional)?.needsInputGradient = newValue }
    }
    func forward(_ x: Tensor) -> Tensor { profile.time(name, kind) { layer.forward(x) } }
    func backward(_ dy: Tensor) -> Tensor { profile.time(name, kind + " backward") { layer.backward(dy) } }
}

final class TimedJoin: Join {
    let name: String, join: Join, profile: LayerProfile
    init(_ name: String, _ join: Join, _ profile: LayerProfile) { (self.name, self.join, self.profile) = (name, join, profile) }
    func forward(_ up: Tensor, _ skip: Tensor) -> Tensor { profile.time(name, "concat") { join.forward(up, skip) } }
    func backward(_ dy: Tensor) -> (Tensor, Tensor) { profile.time(name, "split") { join.backward(dy) } }
}
