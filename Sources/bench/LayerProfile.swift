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
        var timed = self
        let (conv, relu, pool, upConv, concat) = (self.conv, self.relu, self.pool, self.upConv, self.concat)
        timed.conv = { name, cin, cout, kernel, padding, rng in
            Timed(conv(name, cin, cout, kernel, padding, &rng), "Conv2D \(kernel)x\(kernel)", profile)
        }
        timed.relu = { Timed(relu($0), "ReLU", profile) }
        timed.pool = { Timed(pool($0), "MaxPool2D", profile) }
        timed.upConv = { name, cin, cout, rng in Timed(upConv(name, cin, cout, &rng), "ConvTranspose2D", profile) }
        timed.concat = { name in TimedJoin(name, concat(name), profile) }
        return timed
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
