import TensorCore

/// A model, layer by layer — name, kind, output shape, weights — as a lesson prints it.
///
/// Read off one forward pass of a twin of the model built from recording parts (the same
/// `Parts` mechanism the learner's code is swapped in with), so the listing is what the
/// model really runs, never a hand-kept description. A ReLU is folded into the row of the conv
/// before it.
public enum ModelListing {
    /// The table rows (a header first) for the model `build` makes from the parts it is given,
    /// run on one image of `input` channels × `size` × `size`.
    public static func rows(parts: Parts = .builtIn, input: Int = 1, size: Int,
                            build: (Parts, inout SeededGenerator) -> Layer) -> [[String]] {
        let log = Log()
        var rng = SeededGenerator(seed: 0)
        let model = build(parts.recording(into: log), &rng)
        _ = model.forward(Tensor(shape: [1, input, size, size]))
        var rows = [["layer", "kind", "output (C x H x W)", "weights"]]
        for entry in log.entries {
            if entry.kind == "ReLU", let last = rows.last, last[2] == entry.shape, last[1].hasPrefix("Conv") {
                rows[rows.count - 1][1] += " + ReLU"
                continue
            }
            rows.append([entry.name, entry.kind, entry.shape, entry.weights == 0 ? "" : "\(entry.weights)"])
        }
        rows.append(["total", "", "", "\(parameterCount(model))"])
        return rows
    }

    final class Log {
        var entries: [(name: String, kind: String, shape: String, weights: Int)] = []
        var isOn = true
        func add(_ name: String, _ kind: String, _ y: Tensor, _ weights: Int) {
            guard isOn else { return }
            entries.append((name, kind, y.shape.dropFirst().map(String.init).joined(separator: " x "), weights))
        }
    }

    /// Passes everything through to `layer`, noting its forward in the log.
    final class Recorded: Layer {
        let layer: Layer, kind: String, log: Log
        init(_ layer: Layer, _ kind: String, _ log: Log) { (self.layer, self.kind, self.log) = (layer, kind, log) }
        var name: String { layer.name }
        var parameters: [Parameter] { layer.parameters }
        func forward(_ x: Tensor) -> Tensor {
            let y = layer.forward(x)
            log.add(name, kind, y, kind == "Residual (x + branch)" ? 0 : parameterCount(layer))
            return y
        }
        func backward(_ dy: Tensor) -> Tensor { layer.backward(dy) }
    }

    final class RecordedJoin: Join {
        let name: String, join: Join, log: Log
        init(_ name: String, _ join: Join, _ log: Log) { (self.name, self.join, self.log) = (name, join, log) }
        func forward(_ up: Tensor, _ skip: Tensor) -> Tensor {
            let y = join.forward(up, skip)
            log.add(name, "concat (up, skip)", y, 0)
            return y
        }
        func backward(_ dy: Tensor) -> (Tensor, Tensor) { join.backward(dy) }
    }
}

extension Parts {
    /// These parts with every layer noting its forward into `log` (see `ModelListing`).
    func recording(into log: ModelListing.Log) -> Parts {
        var recording = self
        let (conv, relu, pool, upConv, concat, residual) = (self.conv, self.relu, self.pool, self.upConv, self.concat, self.residual)
        func kind(_ layer: Layer) -> String { String(describing: type(of: layer)) }
        recording.conv = { name, cin, cout, kernel, padding, rng in
            let layer = conv(name, cin, cout, kernel, padding, &rng)
            return ModelListing.Recorded(layer, "\(kind(layer)) \(kernel)x\(kernel)", log)
        }
        recording.relu = { let layer = relu($0); return ModelListing.Recorded(layer, kind(layer), log) }
        recording.pool = { let layer = pool($0); return ModelListing.Recorded(layer, "\(kind(layer)) 2x2", log) }
        recording.upConv = { name, cin, cout, rng in
            let layer = upConv(name, cin, cout, &rng)
            return ModelListing.Recorded(layer, "\(kind(layer)) 2x2, stride 2", log)
        }
        recording.concat = { name in ModelListing.RecordedJoin(name, concat(name), log) }
        recording.residual = { name, branch in ModelListing.Recorded(residual(name, branch), "Residual (x + branch)", log) }
        return recording
    }
}
