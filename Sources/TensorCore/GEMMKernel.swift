/// The register-blocked heart of every matrix product: a 6x16 tile of C kept in twelve SIMD8
/// registers while the shared dimension streams past.
///
/// Per step k it loads one row of 16 values of B (two SIMD8 loads, see `KernelB`), broadcasts
/// six values of A (one per row of the tile) and does 12 fused multiply-adds: 192 FLOP per 8
/// loads, which keeps both AVX2 FMA units busy instead of waiting on memory.
///
/// A is read *unpacked* (`KernelA`): each of the six rows is a pointer that advances by `step`
/// per k, and moves on by `segmentStride` from the start of a segment after every
/// `segmentLength` steps. That one shape covers a plain
/// row-major matrix (one segment, step 1) and a shifted view of a padded image (one segment per
/// output row), so convolutions feed the kernel without an im2col copy.
@usableFromInline
struct KernelA {
    /// The six row offsets (rows past the edge of the matrix repeat a valid row; their results
    /// are computed but never stored).
    @usableFromInline var rows: (Int, Int, Int, Int, Int, Int)
    @usableFromInline var segments: Int
    @usableFromInline var segmentLength: Int
    @usableFromInline var segmentStride: Int
    @usableFromInline var step: Int

    @inlinable
    init(rows: (Int, Int, Int, Int, Int, Int), segments: Int, segmentLength: Int, segmentStride: Int, step: Int) {
        self.rows = rows
        self.segments = segments
        self.segmentLength = segmentLength
        self.segmentStride = segmentStride
        self.step = step
    }

    /// Rows `first ..< first + count` of a row-major matrix with leading dimension `ld`, columns
    /// `k0 ..< k0 + length`.
    @inlinable
    static func matrix(first: Int, count: Int, ld: Int, k0: Int, length: Int) -> KernelA {
        func row(_ r: Int) -> Int { (first + min(r, count - 1)) * ld + k0 }
        return KernelA(rows: (row(0), row(1), row(2), row(3), row(4), row(5)),
                       segments: 1, segmentLength: length, segmentStride: 0, step: 1)
    }
}

/// One row of 16 values of B per step k, in order: from a packed panel, or read in place.
@usableFromInline
protocol KernelB {
    /// B[k][0..<8] and B[k][8..<16] for the next k.
    mutating func next() -> (SIMD8<Float>, SIMD8<Float>)
}

/// A packed panel: `k` rows of 16 contiguous, 64-byte aligned floats.
@usableFromInline
struct PackedB: KernelB {
    @usableFromInline var pointer: UnsafeRawPointer
    @inlinable init(_ panel: UnsafePointer<Float>) { pointer = UnsafeRawPointer(panel) }
    @inlinable @inline(__always)
    mutating func next() -> (SIMD8<Float>, SIMD8<Float>) {
        let row = (pointer.load(as: SIMD8<Float>.self), pointer.load(fromByteOffset: 32, as: SIMD8<Float>.self))
        pointer += 64
        return row
    }
}

/// B read in place where each row's 16 values are two runs of 8 consecutive floats, at
/// `low + rowOffsets[k]` and `high + rowOffsets[k]`: a stride-1 convolution's im2col panel read
/// straight from the padded image. Skipping the packing copy pays when C has few rows (a conv
/// with 16 output channels uses each packed value only 16 times).
@usableFromInline
struct DirectB: KernelB {
    @usableFromInline let low: UnsafeRawPointer, high: UnsafeRawPointer
    @usableFromInline var rowOffsets: UnsafePointer<Int>
    @inlinable init(low: UnsafePointer<Float>, high: UnsafePointer<Float>, rowOffsets: UnsafePointer<Int>) {
        self.low = UnsafeRawPointer(low); self.high = UnsafeRawPointer(high); self.rowOffsets = rowOffsets
    }
    @inlinable @inline(__always)
    mutating func next() -> (SIMD8<Float>, SIMD8<Float>) {
        let offset = rowOffsets.pointee &* 4
        rowOffsets += 1
        return (low.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self),
                high.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
    }
}

/// C[0..<rows, 0..<cols] (+)= A(6 rows, K) * B(K, 16), with `K = segments * segmentLength`.
///
/// The sum over k runs in one fixed order for every element, whatever tile or thread computes
/// it, and edge tiles use the same arithmetic as full ones: results never depend on the thread
/// count or on where a tile boundary falls.
@inline(__always)
@usableFromInline
func gemmKernel6x16<B: KernelB>(
    _ a: UnsafePointer<Float>, _ shape: KernelA,
    _ b: B,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, accumulate: Bool
) {
    // A tile of at most 4 rows (the last one of a 16- or 64-row C) skips the two unused rows'
    // work: 2/3 of the time instead of the full 6-row cost. Same sums either way.
    if rows > 4 {
        gemmTile(a, shape, b, c, ldc: ldc, rows: rows, cols: cols, accumulate: accumulate, computedRows: 6)
    } else {
        gemmTile(a, shape, b, c, ldc: ldc, rows: rows, cols: cols, accumulate: accumulate, computedRows: 4)
    }
}

/// The kernel body; `computedRows` (4 or 6) is a constant after inlining, so the branches on it
/// disappear from the inner loop.
@inline(__always)
@usableFromInline
func gemmTile<B: KernelB>(
    _ a: UnsafePointer<Float>, _ shape: KernelA,
    _ b: B,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, accumulate: Bool, computedRows: Int
) {
    typealias V = SIMD8<Float>
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
    var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
    var p0 = a + shape.rows.0, p1 = a + shape.rows.1, p2 = a + shape.rows.2
    var p3 = a + shape.rows.3, p4 = a + shape.rows.4, p5 = a + shape.rows.5
    let step = shape.step
    let jump = shape.segmentStride - shape.segmentLength * step
    var b = b
    for _ in 0..<shape.segments {
        for _ in 0..<shape.segmentLength {
            let (b0, b1) = b.next()
            var x = V(repeating: p0.pointee)
            c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
            x = V(repeating: p1.pointee)
            c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
            x = V(repeating: p2.pointee)
            c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
            x = V(repeating: p3.pointee)
            c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
            if computedRows > 4 {
                x = V(repeating: p4.pointee)
                c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
                x = V(repeating: p5.pointee)
                c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
                p4 += step; p5 += step
            }
            p0 += step; p1 += step; p2 += step; p3 += step
        }
        p0 += jump; p1 += jump; p2 += jump; p3 += jump
        if computedRows > 4 { p4 += jump; p5 += jump }
    }

    if cols == 16 {
        @inline(__always) func store(_ r: Int, _ lo: V, _ hi: V) {
            let p = UnsafeMutableRawPointer(c + r * ldc)
            if accumulate {
                p.storeBytes(of: p.loadUnaligned(as: V.self) + lo, as: V.self)
                p.storeBytes(of: p.loadUnaligned(fromByteOffset: 32, as: V.self) + hi, toByteOffset: 32, as: V.self)
            } else {
                p.storeBytes(of: lo, as: V.self)
                p.storeBytes(of: hi, toByteOffset: 32, as: V.self)
            }
        }
        store(0, c00, c01)
        if rows > 1 { store(1, c10, c11) }
        if rows > 2 { store(2, c20, c21) }
        if rows > 3 { store(3, c30, c31) }
        if rows > 4 { store(4, c40, c41) }
        if rows > 5 { store(5, c50, c51) }
        return
    }
    // Edge tile: same sums, only the valid part is written.
    withUnsafeTemporaryAllocation(of: V.self, capacity: 12) { t in
        t[0] = c00; t[1] = c01; t[2] = c10; t[3] = c11; t[4] = c20; t[5] = c21
        t[6] = c30; t[7] = c31; t[8] = c40; t[9] = c41; t[10] = c50; t[11] = c51
        t.baseAddress!.withMemoryRebound(to: Float.self, capacity: 96) { tile in
            for r in 0..<rows {
                let row = c + r * ldc
                for j in 0..<cols {
                    let v = tile[r * 16 + j]
                    row[j] = accumulate ? row[j] + v : v
                }
            }
        }
    }
}
