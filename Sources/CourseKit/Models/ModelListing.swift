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
        let recording = parts.wrapping(layer: { Recorded($0, $1, log) }, join: { RecordedJoin($0, $1, log) })
        let model = build(recording, &rng)
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
        func add(_ name: String, _ kind: String, _ y: Tensor, _ weights: Int) {
            entries.append((name, kind, y.shape.dropFirst().map(String.init).joined(separator: " x "), weights))
        }
    }

    /// Passes everything through to `layer`, noting its forward in the log. The label names the
    /// layer's own type (a learner's part shows as `LearnerConv2D`); a residual's weights are its
    /// branch's, already listed row by row.
    final class Recorded: Layer {
        let layer: Layer, kind: String, weights: Int, log: Log
        init(_ layer: Layer, _ part: Parts.Kind, _ log: Log) {
            let type = String(describing: Swift.type(of: layer))
            switch part {
            case .conv(let k): kind = "\(type) \(k)x\(k)"
            case .relu: kind = type
            case .pool: kind = "\(type) 2x2"
            case .upConv: kind = "\(type) 2x2, stride 2"
            case .residual: kind = "Residual (x + branch)"
            }
            if case .residual = part { weights = 0 } else { weights = parameterCount(layer) }
            (self.layer, self.log) = (layer, log)
        }
        var name: String { layer.name }
        var parameters: [Parameter] { layer.parameters }
        func forward(_ x: Tensor) -> Tensor {
            let y = layer.forward(x)
            log.add(name, kind, y, weights)
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
