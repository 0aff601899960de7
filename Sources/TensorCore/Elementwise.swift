/// Small elementwise building blocks shared by activations, losses and optimizers.

/// The number of elements one parallel chunk handles in elementwise loops. Fixed, so the split
/// (and therefore every result) is the same whatever `Parallel.threads` is.
public let elementwiseChunk = 1 << 15

/// Calls `body(range)` for consecutive ranges covering `0..<count`, in parallel.
/// Ranges are `elementwiseChunk` long (the last may be shorter) whatever the thread count.
@inlinable
public func parallelRanges(_ count: Int, _ body: (Range<Int>) -> Void) {
    let chunks = (count + elementwiseChunk - 1) / elementwiseChunk
    if chunks <= 1 { body(0..<count); return }
    Parallel.forEach(chunks) { c in
        let start = c * elementwiseChunk
        body(start..<min(start + elementwiseChunk, count))
    }
}

/// Calls `body(plane)` for every plane in `0..<planes` (e.g. the N·C images of an NCHW tensor),
/// in parallel, grouping planes so each chunk holds about `elementwiseChunk` elements: tiny
/// tensors run on the calling thread, big ones on every core. The grouping depends only on the
/// shape, never on the thread count.
@inlinable
public func parallelPlanes(_ planes: Int, planeSize: Int, _ body: (Int) -> Void) {
    let perChunk = max(1, elementwiseChunk / max(planeSize, 1))
    let chunks = (planes + perChunk - 1) / perChunk
    Parallel.forEach(chunks) { c in
        for plane in (c * perChunk)..<min((c + 1) * perChunk, planes) { body(plane) }
    }
}

/// `out[i] = f(a[i])` over `range`, 16 lanes at a time; `scalar` must compute the same function
/// for the few leftover elements.
@inlinable @inline(__always)
public func mapSIMD16(
    _ range: Range<Int>, _ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    _ simd: (SIMD16<Float>) -> SIMD16<Float>, _ scalar: (Float) -> Float
) {
    var i = range.lowerBound
    while i + 16 <= range.upperBound {
        let v = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(out + i).storeBytes(of: simd(v), as: SIMD16<Float>.self)
        i += 16
    }
    while i < range.upperBound { out[i] = scalar(a[i]); i += 1 }
}

/// `out[i] = f(a[i], b[i])` over `range`, 16 lanes at a time (see `mapSIMD16`).
@inlinable @inline(__always)
public func zipMapSIMD16(
    _ range: Range<Int>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
    _ simd: (SIMD16<Float>, SIMD16<Float>) -> SIMD16<Float>, _ scalar: (Float, Float) -> Float
) {
    var i = range.lowerBound
    while i + 16 <= range.upperBound {
        let u = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
        let v = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(out + i).storeBytes(of: simd(u, v), as: SIMD16<Float>.self)
        i += 16
    }
    while i < range.upperBound { out[i] = scalar(a[i], b[i]); i += 1 }
}

/// `a + b`, elementwise. The backward of an add is the identity on both inputs: an add-skip
/// passes its upstream gradient unchanged to both branches.
public func addTensors(_ a: Tensor, _ b: Tensor) -> Tensor {
    var spare: Tensor?
    return addTensors(a, b, reusing: &spare)
}

/// `addTensors`, writing into `spare` when it can be reused (see `Tensor.recycled`), so a
/// training loop that adds every step allocates nothing.
public func addTensors(_ a: Tensor, _ b: Tensor, reusing spare: inout Tensor?) -> Tensor {
    checkShape("addTensors", b.shape, a.shape)
    var out = Tensor.recycled(&spare, shape: a.shape)
    a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
            out.withUnsafeMutableBufferPointer { op in
                let a = ap.baseAddress!, b = bp.baseAddress!, o = op.baseAddress!
                parallelRanges(op.count) { r in zipMapSIMD16(r, a, b, o, { $0 + $1 }, { $0 + $1 }) }
            }
        }
    }
    return out
}

/// `accumulator += addend`, elementwise: where two gradient paths meet (e.g. a skip's gradient
/// and the main path's), their contributions add.
public func addInPlace(_ accumulator: inout Tensor, _ addend: Tensor) {
    checkShape("addInPlace", addend.shape, accumulator.shape)
    addend.withUnsafeBufferPointer { bp in
        accumulator.withUnsafeMutableBufferPointer { ap in
            let a = ap.baseAddress!, b = bp.baseAddress!
            parallelRanges(ap.count) { r in zipMapSIMD16(r, a, b, a, { $0 + $1 }, { $0 + $1 }) }
        }
    }
}

/// √v lane by lane, for v ≥ 0 (NaN stays NaN), compiled to two AVX `vsqrtps`.
///
/// `SIMD16.squareRoot()` is scalarized into 16 `sqrtf` calls guarded for errno (measured in the
/// disassembly); taking `.magnitude` first (a no-op for v ≥ 0) proves to LLVM that no lane is
/// negative, so the lanes vectorize. Results are the same correctly rounded square roots.
@inlinable @inline(__always)
public func squareRootOfNonNegative(_ v: SIMD16<Float>) -> SIMD16<Float> {
    var r = SIMD16<Float>()
    for k in 0..<16 { r[k] = v[k].magnitude.squareRoot() }
    return r
}
