#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Float32 tensor: contiguous, row-major (NCHW for images), with value semantics.
///
/// Copying a `Tensor` is cheap: two copies share one buffer until one of them is written to
/// (copy on write). Hot loops never index through `subscript`; they hoist a raw pointer with
/// `withUnsafeBufferPointer` / `withUnsafeMutableBufferPointer`, which is ~20x faster.
public struct Tensor: @unchecked Sendable {
    /// The extent of each dimension, outermost first: `[N, C, H, W]` for a batch of images.
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorStorage

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        self.shape = shape
        self.storage = TensorStorage(count: shape.reduce(1, *), repeating: value)
    }

    /// A tensor of `shape` holding `values` in row-major order.
    public init(shape: [Int], values: [Float]) {
        let count = shape.reduce(1, *)
        precondition(values.count == count,
                     "Tensor(shape:values:): shape \(shape) holds \(count) values, got \(values.count)")
        self.shape = shape
        self.storage = TensorStorage(count: count, repeating: 0)
        values.withUnsafeBufferPointer { src in
            storage.pointer.update(from: src.baseAddress!, count: count)
        }
    }

    /// The number of elements.
    @inlinable public var count: Int { storage.count }
    /// The number of dimensions.
    @inlinable public var rank: Int { shape.count }
    /// All values in row-major order.
    public var values: [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }

    /// Read-only access to the contiguous buffer.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Write access to the contiguous buffer (copies first if the buffer is shared).
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// The same values seen with another shape of the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let newCount = newShape.reduce(1, *)
        precondition(newCount == count, "reshaped: cannot view shape \(shape) (\(count) values) as \(newShape) (\(newCount) values)")
        var t = self
        t.shape = newShape
        return t
    }

    /// Element access by full index, e.g. `t[n, c, y, x]`. For tests and small examples only.
    public subscript(_ index: Int...) -> Float {
        get { storage.pointer[flatIndex(index)] }
        set {
            let i = flatIndex(index)
            withUnsafeMutableBufferPointer { $0[i] = newValue }
        }
    }

    func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "Tensor index \(index) does not match shape \(shape)")
        var flat = 0
        for (i, d) in zip(index, shape) {
            precondition(i >= 0 && i < d, "Tensor index \(index) out of range for shape \(shape)")
            flat = flat * d + i
        }
        return flat
    }
}

extension Tensor: Equatable {
    /// Equal shapes and bitwise-equal values.
    public static func == (a: Tensor, b: Tensor) -> Bool {
        guard a.shape == b.shape else { return false }
        if a.storage === b.storage { return true }
        return memcmp(a.storage.pointer, b.storage.pointer, a.count * MemoryLayout<Float>.stride) == 0
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = values.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor\(shape)[\(head)\(count > 8 ? ", …" : "")]"
    }
}

/// Checks that two shapes agree and names the op and both shapes when they do not.
@inlinable
public func checkShape(_ op: String, _ got: [Int], _ expected: [Int], file: StaticString = #file, line: UInt = #line) {
    precondition(got == expected, "\(op): expected shape \(expected), got \(got)", file: file, line: line)
}

/// The buffer behind a `Tensor`: 64-byte aligned so SIMD loads never straddle cache lines.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    @usableFromInline init(count: Int, repeating value: Float) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: value, count: max(count, 1))
    }

    @usableFromInline func copy() -> TensorStorage {
        let c = TensorStorage(count: count, repeating: 0)
        c.pointer.update(from: pointer, count: count)
        return c
    }

    deinit { pointer.deallocate() }
}


extension Tensor {
    /// A tensor of `shape` whose every element the caller will overwrite.
    ///
    /// Reuses the buffer kept in `spare` when its shape matches and nobody else holds it (the
    /// caller dropped last call's result), so a layer called every step stops allocating. `spare`
    /// is emptied; store the result back into it after writing. The contents are stale values,
    /// never read them.
    @inlinable
    public static func recycled(_ spare: inout Tensor?, shape: [Int]) -> Tensor {
        guard var t = spare, t.shape == shape else { spare = nil; return Tensor(shape: shape) }
        spare = nil
        if !isKnownUniquelyReferenced(&t.storage) { return Tensor(shape: shape) }
        return t
    }
}
