import PixelIO
import TensorCore

/// A model's parameters in a file: names, shapes and values, so a run can be resumed or a trained
/// model reused by a later lesson.
///
/// Format (little-endian): the 8 bytes "UNFSCKPT", a UInt32 version (1), a UInt32 parameter count,
/// then per parameter a UInt32 name length, the UTF-8 name, a UInt32 rank, rank UInt32 dimensions
/// and the Float32 values; last, a UInt64 FNV-1a checksum of everything before it, so a truncated
/// or damaged file is refused instead of loading garbage.
///
/// Files are written atomically (a temporary file, then a rename): a crash or a full disk in the
/// middle of `save` leaves the previous checkpoint as it was.
public enum Checkpoint {
    static let magic = Array("UNFSCKPT".utf8)
    static let version: UInt32 = 1

    /// One stored parameter.
    public struct Entry: Equatable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
    }

    /// Writes `parameters` to `path` atomically. The folder must exist.
    public static func save(_ parameters: [Parameter], to path: String) throws {
        do {
            try writeFileAtomically(encode(parameters), to: path)
        } catch let error as PixelIOError {
            throw CourseError("cannot save the checkpoint: \(error)")
        }
    }

    /// Loads `path` into `parameters`, which must match the file one to one, in order, by name and
    /// shape (the same model built the same way). Nothing is changed unless everything matches.
    public static func load(into parameters: [Parameter], from path: String) throws {
        let entries = try read(path)
        guard entries.count == parameters.count else {
            throw CourseError("checkpoint '\(path)' holds \(entries.count) parameters but the model has "
                + "\(parameters.count): it was saved from a different model")
        }
        for (i, (entry, p)) in zip(entries, parameters).enumerated() {
            guard entry.name == p.name, entry.shape == p.value.shape else {
                throw CourseError("checkpoint '\(path)' does not fit the model: parameter \(i) is '\(entry.name)' "
                    + "\(entry.shape) in the file but '\(p.name)' \(p.value.shape) in the model")
            }
        }
        for (entry, p) in zip(entries, parameters) {
            p.value = Tensor(shape: entry.shape, values: entry.values)
        }
    }

    /// The entries stored in `path`. Throws a readable error for a missing, truncated or damaged file.
    public static func read(_ path: String) throws -> [Entry] {
        let bytes: [UInt8]
        do { bytes = try readFileBytes(path, maxBytes: ReadLimit.checkpoint) } catch { throw CourseError("cannot load the checkpoint: \(error)") }
        return try decode(bytes, name: "checkpoint '\(path)'")
    }

    /// The file's bytes for `parameters`.
    static func encode(_ parameters: [Parameter]) -> [UInt8] {
        var out = magic
        out.reserveCapacity(64 + parameters.reduce(0) { $0 + 64 + $1.name.utf8.count + 4 * $1.value.count })
        append(version, to: &out)
        append(UInt32(parameters.count), to: &out)
        for p in parameters {
            let name = Array(p.name.utf8)
            append(UInt32(name.count), to: &out)
            out += name
            append(UInt32(p.value.rank), to: &out)
            for d in p.value.shape { append(UInt32(d), to: &out) }
            p.value.withUnsafeBufferPointer { values in
                for v in values { append(v.bitPattern, to: &out) }
            }
        }
        append(fnv1a(out[...]), to: &out)
        return out
    }

    static func decode(_ bytes: [UInt8], name: String) throws -> [Entry] {
        guard bytes.count >= magic.count + 16, Array(bytes[0..<magic.count]) == magic else {
            throw CourseError("\(name) is not a checkpoint of this course (wrong header or empty file)")
        }
        let body = bytes[0..<(bytes.count - 8)]
        var reader = ByteReader(bytes: bytes, offset: bytes.count - 8, name: name)
        guard try reader.uint64() == fnv1a(body) else {
            throw CourseError("\(name) is damaged or truncated (checksum mismatch): save it again")
        }
        reader = ByteReader(bytes: Array(body), offset: magic.count, name: name)
        let fileVersion = try reader.uint32()
        guard fileVersion == version else {
            throw CourseError("\(name) has format version \(fileVersion); this course reads version \(version)")
        }
        let count = Int(try reader.uint32())
        var entries = [Entry]()
        for _ in 0..<count {
            let nameLength = Int(try reader.uint32())
            let paramName = String(decoding: try reader.take(nameLength), as: UTF8.self)
            let rank = Int(try reader.uint32())
            guard rank <= 8 else { throw CourseError("\(name): parameter '\(paramName)' has an impossible rank \(rank)") }
            let shape = try (0..<rank).map { _ in Int(try reader.uint32()) }
            // The stored shape is data: multiply without trapping, and never past what the file holds.
            var valueCount = 1
            for d in shape {
                let (product, overflow) = valueCount.multipliedReportingOverflow(by: d)
                guard !overflow, product <= (body.count - reader.offset) / 4 else {
                    throw CourseError("\(name): parameter '\(paramName)' claims shape \(shape), more values than the file holds")
                }
                valueCount = product
            }
            let raw = Array(try reader.take(4 * valueCount))
            let values = (0..<valueCount).map { i -> Float in
                // Little-endian bytes, one at a time (Swift 6.0's type checker gives up on one expression).
                var bits = UInt32(raw[4 * i])
                bits |= UInt32(raw[4 * i + 1]) << 8
                bits |= UInt32(raw[4 * i + 2]) << 16
                bits |= UInt32(raw[4 * i + 3]) << 24
                return Float(bitPattern: bits)
            }
            entries.append(Entry(name: paramName, shape: shape, values: values))
        }
        guard reader.offset == body.count else {
            throw CourseError("\(name) has \(body.count - reader.offset) unexpected bytes after its last parameter")
        }
        return entries
    }

    static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    /// 64-bit FNV-1a: a simple checksum that catches truncation and flipped bytes.
    static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return hash
    }

    /// Reads little-endian fields and refuses to read past the end.
    struct ByteReader {
        let bytes: [UInt8]
        var offset: Int
        let name: String

        mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, n <= bytes.count - offset else {
                throw CourseError("\(name) is truncated: it ends in the middle of a parameter")
            }
            defer { offset += n }
            return bytes[offset..<(offset + n)]
        }

        mutating func uint32() throws -> UInt32 {
            let b = try take(4)
            return b.reversed().reduce(0) { $0 << 8 | UInt32($1) }
        }

        mutating func uint64() throws -> UInt64 {
            let b = try take(8)
            return b.reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }
    }
}
