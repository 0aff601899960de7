import Foundation
import PixelIO
import TensorCore

/// The learner's own pictures (`--data DIR`) as (gray, color) pairs: every PNG in the folder,
/// center-cropped to a square, resized to `size` x `size` by area averaging, its gray input
/// computed with BT.601 like the meadow scenes'. Files that cannot be read are reported by name
/// and skipped; the rest are used.
public struct FolderPairs: ScenePairs {
    public let size: Int
    /// File names (without the folder), in the order of the pairs.
    public let names: [String]
    /// [count, 1, size, size] and [count, 3, size, size].
    public let gray: Tensor
    public let color: Tensor

    public var count: Int { names.count }

    public func batch(_ indices: [Int]) -> (input: Tensor, target: Tensor) {
        (gather(gray, indices), gather(color, indices))
    }

    private func gather(_ t: Tensor, _ indices: [Int]) -> Tensor {
        let item = t.count / max(count, 1)
        var out = Tensor(shape: [indices.count] + Array(t.shape.dropFirst()))
        out.withUnsafeMutableBufferPointer { o in
            t.withUnsafeBufferPointer { src in
                for (b, i) in indices.enumerated() {
                    (o.baseAddress! + b * item).update(from: src.baseAddress! + i * item, count: item)
                }
            }
        }
        return out
    }
}

extension Dataset {
    /// A dataset from the PNG files in `directory` (see `FolderPairs`): every fifth file, in name
    /// order, is held out (at most 256, at least one); the rest are for training.
    /// `report` receives one line per file that was skipped, naming it and saying why.
    /// Throws if the folder is missing or fewer than two pictures could be read.
    public static func folder(_ directory: String, size: Int = 64, seed: UInt64,
                              report: (String) -> Void = { printToStandardError($0) }) throws -> Dataset {
        guard size >= 11, size <= 1024 else {
            throw CourseError("--size \(size) cannot be used with --data: use 11 to 1024 (default 64)")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw CourseError("--data '\(directory)': no such folder")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.lowercased().hasSuffix(".png") }
            .sorted()
        var names = [String](), pictures = [Image](), flat: [(file: String, color: String)] = []
        for file in files {
            do {
                // Only regular files: opening a FIFO named x.png would block forever, a device
                // would never end. (A symlink to a regular file is fine.)
                let path = directory + "/" + file
                let type = (try? FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: path)
                    .resolvingSymlinksInPath().path))?[.type] as? FileAttributeType
                guard type == .typeRegular else {
                    report("skipped \(String(reflecting: file)): not a regular file")
                    continue
                }
                let picture = resizedSquare(try Image.decodePNG(at: path).toRGB(), size: size)
                // One flat color (an all-black picture, say) has nothing to colorize, and scored
                // among the others it makes every mean PSNR infinite: a flat color or the blurred
                // target paints it exactly.
                if let color = flatColor(picture) {
                    flat.append((file, color))
                    continue
                }
                pictures.append(picture)
                names.append(file)
            } catch {
                report("skipped \(String(reflecting: file)): \(error)")
            }
        }
        if pictures.isEmpty && flat.count >= 2 {
            throw CourseError("--data '\(directory)': all \(flat.count) readable pictures are one flat color "
                + "(the first: every pixel \(flat[0].color)): there is nothing to learn from them; use pictures with some content")
        }
        for (file, color) in flat {
            report("skipped \(String(reflecting: file)): one flat color (every pixel \(color)), nothing to colorize "
                + "(scored, it would make every mean PSNR infinite)")
        }
        guard pictures.count >= 2 else {
            throw CourseError("--data '\(directory)': found \(pictures.count) usable PNG file(s) among \(files.count); "
                + "need at least 2 (one to train on, one to hold out)")
        }
        let heldOutIndices = Set(pictures.indices.filter { $0 % 5 == 4 }.prefix(256))
            .union(pictures.count < 5 ? [pictures.count - 1] : [])
        func pairs(_ keep: (Int) -> Bool) throws -> FolderPairs {
            let chosen = pictures.indices.filter(keep)
            let color = try Tensor(images: chosen.map { pictures[$0] })
            return FolderPairs(size: size, names: chosen.map { names[$0] }, gray: try luminanceBT601(color), color: color)
        }
        let training = try pairs { !heldOutIndices.contains($0) }
        let heldOut = try pairs { heldOutIndices.contains($0) }
        return try Dataset(training: training, trainingCount: training.count, heldOut: heldOut,
                           heldOutCount: heldOut.count, seed: seed,
                           summary: "\(pictures.count) pictures from '\(directory)' at \(size)x\(size): "
                               + "\(training.count) training, \(heldOut.count) held out")
    }

    /// "(r, g, b)/255" for a picture whose every pixel is, within half a level, the first one's
    /// color; nil for a picture with any content.
    static func flatColor(_ picture: Image) -> String? {
        let c = picture.channels, p = picture.pixels
        guard !p.isEmpty else { return nil }
        for i in c..<p.count where abs(p[i] - p[i % c]) > 0.5 / 255 { return nil }
        return "(" + p[0..<c].map { "\(Int(($0 * 255).rounded()))" }.joined(separator: ", ") + ")/255"
    }

    /// The largest centered square of `image`, resized to `size` x `size` by area averaging
    /// (each output pixel is the mean of the source area it covers).
    static func resizedSquare(_ image: Image, size: Int) -> Image {
        let side = min(image.width, image.height)
        let x0 = (image.width - side) / 2, y0 = (image.height - side) / 2
        let weights = areaWeights(from: side, to: size)
        let c = image.channels
        // Rows first (side rows x size columns), then columns.
        var rows = [Float](repeating: 0, count: side * size * c)
        for y in 0..<side {
            for (ox, taps) in weights.enumerated() {
                for (sx, w) in taps {
                    for ch in 0..<c {
                        rows[(y * size + ox) * c + ch] += w * image.pixels[((y0 + y) * image.width + x0 + sx) * c + ch]
                    }
                }
            }
        }
        var out = [Float](repeating: 0, count: size * size * c)
        for (oy, taps) in weights.enumerated() {
            for (sy, w) in taps {
                for i in 0..<(size * c) { out[oy * size * c + i] += w * rows[sy * size * c + i] }
            }
        }
        return try! Image(width: size, height: size, channels: c, pixels: out)  // size was checked
    }

    /// For each output pixel, the source pixels it covers and their shares (summing to 1).
    static func areaWeights(from source: Int, to output: Int) -> [[(Int, Float)]] {
        let scale = Double(source) / Double(output)
        return (0..<output).map { o in
            let a = Double(o) * scale, b = Double(o + 1) * scale
            return (Int(a)..<min(source, Int(b.rounded(.up)))).compactMap { i in
                let overlap = min(b, Double(i + 1)) - max(a, Double(i))
                return overlap > 1e-12 ? (i, Float(overlap / scale)) : nil
            }
        }
    }
}

/// Writes one line to standard error (warnings that must not mix with a lesson's results).
public func printToStandardError(_ line: String) {
    FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
}
