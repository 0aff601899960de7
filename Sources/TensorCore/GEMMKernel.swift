/// The register-blocked heart of every matrix product: a tile of C, `tileRows` rows by
/// `panelWidth` columns, kept in vector registers while the shared dimension streams past.
///
/// Per step k it loads one row of `panelWidth` values of B (two vector loads, see `KernelB`),
/// broadcasts one value of A per row of the tile and does two fused multiply-adds per row: enough
/// independent sums to hide the FMA latency on both FMA units, with few loads per FLOP.
///
/// One design, one width parameter: `KernelVector` is chosen for the CPU the package is built on
/// (Package.swift reads the host and passes a define):
/// - AVX-512 (`KERNEL_AVX512`): SIMD16, an 8x32 tile in 16 of the 32 zmm registers (8 rows fit
///   the course's channel counts, 16..128, exactly);
/// - AVX2+FMA, and arm64: SIMD8, a 6x16 tile (12 ymm registers on x86; on NEON each SIMD8 is two
///   128-bit registers, so 24 of the 32 hold the tile);
/// - plain x86-64 without AVX2 (`KERNEL_PLAIN`): SIMD4, a 6x8 tile in 12 of 16 xmm registers.
/// Every path sums each element of C over k in one fixed order, so results never depend on the
/// thread count; the paths differ only in rounding (the plain path cannot fuse its multiply-adds,
/// and the paired weight gradient, used below a vector's worth of channels, sums in two halves).
#if KERNEL_AVX512
public typealias KernelVector = SIMD16<Float>
#elseif KERNEL_PLAIN
public typealias KernelVector = SIMD4<Float>
#else
public typealias KernelVector = SIMD8<Float>
#endif

/// Columns of one tile of C, and of one packed panel of B: two vectors.
@usableFromInline let panelWidth = 2 * KernelVector.scalarCount

/// Rows of one tile of C: 8 where 32 vector registers hold 16 sums (AVX-512), else 6
/// (12 sums: all AVX2's 16 registers can spare; 24 NEON registers for SIMD8).
#if KERNEL_AVX512
@usableFromInline let tileRows = 8
#else
@usableFromInline let tileRows = 6
#endif

/// `c + a * b`, fused where the CPU has FMA. Without it (SSE2), `addingProduct` would become one
/// call to the C library's `fmaf` per lane (measured: the plain path at 3 training img/s), so the
/// plain path multiplies and adds separately: the same math, rounded twice instead of once.
@inline(__always) @usableFromInline
func multiplyAdd(_ c: KernelVector, _ a: KernelVector, _ b: KernelVector) -> KernelVector {
    #if KERNEL_PLAIN
    return c + a * b
    #else
    return c.addingProduct(a, b)
    #endif
}

/// Which micro-kernel this build uses and why, for `bench` and the lessons' first line.
public enum KernelPath {
    #if KERNEL_AVX512
    public static let name = "avx512 (SIMD16, 8x32 tile)"
    #elseif KERNEL_PLAIN
    public static let name = "plain x86-64 (SIMD4, 6x8 tile)"
    #elseif arch(arm64)
    public static let name = "neon (SIMD8 as 2x128-bit, 6x16 tile)"
    #else
    public static let name = "avx2 (SIMD8, 6x16 tile)"
    #endif

    /// One line for a build that will be slow because of the CPU, else nil.
    public static var warning: String? {
        #if KERNEL_PLAIN
        return "note: this CPU has no AVX2/FMA, so the kernels use 128-bit SSE2 vectors without fused multiply-add: about 10x slower than a CPU with AVX-512 (measured on one CPU: 32 against 280 training img/s); lessons will take several minutes."
        #else
        return nil
        #endif
    }
}

/// A is read *unpacked* (`KernelA`): each of the six rows is a pointer that advances by `step`
/// per k, and moves on by `segmentStride` from the start of a segment after every
/// `segmentLength` steps. That one shape covers a plain
/// row-major matrix (one segment, step 1) and a shifted view of a padded image (one segment per
/// output row), so convolutions feed the kernel without an im2col copy.
@usableFromInline
struct KernelA {
    /// The tile's row offsets, `tileRows` of them (8 slots; rows past the edge of the matrix
    /// repeat a valid row: their results are computed but never stored).
    @usableFromInline var rows: (Int, Int, Int, Int, Int, Int, Int, Int)
    @usableFromInline var segments: Int
    @usableFromInline var segmentLength: Int
    @usableFromInline var segmentStride: Int
    @usableFromInline var step: Int

    /// Row `r` of the tile is at offset `row(r)` (called for r in 0..<8).
    @inlinable
    init(row: (Int) -> Int, segments: Int, segmentLength: Int, segmentStride: Int, step: Int) {
        self.rows = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
        self.segments = segments
        self.segmentLength = segmentLength
        self.segmentStride = segmentStride
        self.step = step
    }

    /// Rows `first ..< first + count` of a row-major matrix with leading dimension `ld`, columns
    /// `k0 ..< k0 + length`.
    @inlinable
    static func matrix(first: Int, count: Int, ld: Int, k0: Int, length: Int) -> KernelA {
        KernelA(row: { (first + min($0, count - 1)) * ld + k0 },
                segments: 1, segmentLength: length, segmentStride: 0, step: 1)
    }
}

/// One row of `panelWidth` values of B per step k, in order: from a packed panel, or read in place.
@usableFromInline
protocol KernelB {
    /// The two halves of B[k][0..<panelWidth] for the next k.
    mutating func next() -> (KernelVector, KernelVector)
}

/// A packed panel: `k` rows of `panelWidth` contiguous, 64-byte aligned floats.
@usableFromInline
struct PackedB: KernelB {
    @usableFromInline var pointer: UnsafeRawPointer
    @inlinable init(_ panel: UnsafePointer<Float>) { pointer = UnsafeRawPointer(panel) }
    @inlinable @inline(__always)
    mutating func next() -> (KernelVector, KernelVector) {
        let half = MemoryLayout<KernelVector>.size
        let row = (pointer.load(as: KernelVector.self), pointer.load(fromByteOffset: half, as: KernelVector.self))
        pointer += 2 * half
        return row
    }
}

/// B read in place where each row's values are two runs of `KernelVector.scalarCount`
/// consecutive floats, at `low + rowOffsets[k]` and `high + rowOffsets[k]`: a stride-1
/// convolution's im2col panel read straight from the padded image. Skipping the packing copy
/// pays when C has few rows (a conv with 16 output channels uses each packed value only 16 times).
@usableFromInline
struct DirectB: KernelB {
    @usableFromInline let low: UnsafeRawPointer, high: UnsafeRawPointer
    @usableFromInline var rowOffsets: UnsafePointer<Int>
    @inlinable init(low: UnsafePointer<Float>, high: UnsafePointer<Float>, rowOffsets: UnsafePointer<Int>) {
        self.low = UnsafeRawPointer(low); self.high = UnsafeRawPointer(high); self.rowOffsets = rowOffsets
    }
    @inlinable @inline(__always)
    mutating func next() -> (KernelVector, KernelVector) {
        let offset = rowOffsets.pointee &* 4
        rowOffsets += 1
        return (low.loadUnaligned(fromByteOffset: offset, as: KernelVector.self),
                high.loadUnaligned(fromByteOffset: offset, as: KernelVector.self))
    }
}

/// C[0..<rows, 0..<cols] (+)= A(rows, K) * B(K, panelWidth), with `K = segments * segmentLength`
/// and `rows <= tileRows`; without `accumulate`, `bias[r]` (when given) is added to row r as it
/// is stored, which saves a pass that writes the bias first (same sums: bias + products).
///
/// The sum over k runs in one fixed order for every element, whatever tile or thread computes
/// it, and edge tiles use the same arithmetic as full ones: results never depend on the thread
/// count or on where a tile boundary falls.
/// With `paired`, B's row k holds two pixels' values, `[B(2k)[0..<lanes] | B(2k+1)[0..<lanes]]`,
/// and A advances two steps per k: the two halves of the tile sum the even and the odd pixels,
/// added at the end into `cols <= lanes` columns. It keeps all lanes busy where C has at most
/// `lanes` columns (the weight gradient of a 16-channel conv on AVX-512).
@inline(__always)
@usableFromInline
func gemmKernel<B: KernelB>(
    _ a: UnsafePointer<Float>, _ shape: KernelA,
    _ b: B,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, accumulate: Bool, paired: Bool = false,
    bias: UnsafePointer<Float>? = nil
) {
    // A short tile (the last one of a 16- or 64-row C, or a 3-row head) skips the unused rows'
    // work. Same sums either way.
    if paired {
        if rows > 6 {
            gemmTile(a, shape, b, c, ldc: ldc, rows: rows, cols: cols, accumulate: accumulate, computedRows: 8, paired: true,
                     bias: bias)
        } else if rows > 4 {
            gemmTile(a, shape, b, c, ldc: ldc, rows: rows, cols: cols, accumulate: accumulate, computedRows: 6, paired: true,
                     bias: bias)
        } else {
            gemmTile(a, shape, b, c, ldc: ldc, rows: rows, cols: cols, accumulate: accumulate, computedRows: 4, paired: true,
                     bias: bias)
        }
    } else if rows > 6 {
        gemmTile(a, shape, b, c, ldc: ldc, rows: rows, cols: cols, accumulate: accumulate, computedRows: 8, paired: false,
                     bias: bias)
    } else if rows > 4 {
        gemmTile(a, shape, b, c, ldc: ldc, rows: rows, cols: cols, accumulate: accumulate, computedRows: 6, paired: false,
                     bias: bias)
    } else {
        gemmTile(a, shape, b, c, ldc: ldc, rows: rows, cols: cols, accumulate: accumulate, computedRows: 4, paired: false,
                     bias: bias)
    }
}

/// The kernel body; `computedRows` (4, 6 or 8) and `paired` are constants after inlining, so the
/// branches on them disappear from the inner loop.
@inline(__always)
@usableFromInline
func gemmTile<B: KernelB>(
    _ a: UnsafePointer<Float>, _ shape: KernelA,
    _ b: B,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, accumulate: Bool, computedRows: Int,
    paired: Bool, bias: UnsafePointer<Float>?
) {
    typealias V = KernelVector
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
    var c40 = V(), c41 = V(), c50 = V(), c51 = V(), c60 = V(), c61 = V(), c70 = V(), c71 = V()
    var p0 = a + shape.rows.0, p1 = a + shape.rows.1, p2 = a + shape.rows.2, p3 = a + shape.rows.3
    var p4 = a + shape.rows.4, p5 = a + shape.rows.5, p6 = a + shape.rows.6, p7 = a + shape.rows.7
    // The value of A that multiplies B's second half: the same one, or the next pixel's.
    let second = paired ? shape.step : 0
    let step = paired ? 2 * shape.step : shape.step
    let jump = shape.segmentStride - shape.segmentLength * step
    var b = b
    for _ in 0..<shape.segments {
        for _ in 0..<shape.segmentLength {
            let (b0, b1) = b.next()
            c00 = multiplyAdd(c00, V(repeating: p0[0]), b0); c01 = multiplyAdd(c01, V(repeating: p0[second]), b1)
            c10 = multiplyAdd(c10, V(repeating: p1[0]), b0); c11 = multiplyAdd(c11, V(repeating: p1[second]), b1)
            c20 = multiplyAdd(c20, V(repeating: p2[0]), b0); c21 = multiplyAdd(c21, V(repeating: p2[second]), b1)
            c30 = multiplyAdd(c30, V(repeating: p3[0]), b0); c31 = multiplyAdd(c31, V(repeating: p3[second]), b1)
            if computedRows > 4 {
                c40 = multiplyAdd(c40, V(repeating: p4[0]), b0); c41 = multiplyAdd(c41, V(repeating: p4[second]), b1)
                c50 = multiplyAdd(c50, V(repeating: p5[0]), b0); c51 = multiplyAdd(c51, V(repeating: p5[second]), b1)
                p4 += step; p5 += step
            }
            if computedRows > 6 {
                c60 = multiplyAdd(c60, V(repeating: p6[0]), b0); c61 = multiplyAdd(c61, V(repeating: p6[second]), b1)
                c70 = multiplyAdd(c70, V(repeating: p7[0]), b0); c71 = multiplyAdd(c71, V(repeating: p7[second]), b1)
                p6 += step; p7 += step
            }
            p0 += step; p1 += step; p2 += step; p3 += step
        }
        p0 += jump; p1 += jump; p2 += jump; p3 += jump
        if computedRows > 4 { p4 += jump; p5 += jump }
        if computedRows > 6 { p6 += jump; p7 += jump }
    }
    if paired {
        c00 += c01; c10 += c11; c20 += c21; c30 += c31; c40 += c41; c50 += c51; c60 += c61; c70 += c71
    }

    if cols == panelWidth {
        let half = MemoryLayout<V>.size
        @inline(__always) func store(_ r: Int, _ lo: V, _ hi: V) {
            let p = UnsafeMutableRawPointer(c + r * ldc)
            if accumulate {
                p.storeBytes(of: p.loadUnaligned(as: V.self) + lo, as: V.self)
                p.storeBytes(of: p.loadUnaligned(fromByteOffset: half, as: V.self) + hi, toByteOffset: half, as: V.self)
            } else if let bias {
                let b = V(repeating: bias[r])
                p.storeBytes(of: lo + b, as: V.self)
                p.storeBytes(of: hi + b, toByteOffset: half, as: V.self)
            } else {
                p.storeBytes(of: lo, as: V.self)
                p.storeBytes(of: hi, toByteOffset: half, as: V.self)
            }
        }
        store(0, c00, c01)
        if rows > 1 { store(1, c10, c11) }
        if rows > 2 { store(2, c20, c21) }
        if rows > 3 { store(3, c30, c31) }
        if rows > 4 { store(4, c40, c41) }
        if rows > 5 { store(5, c50, c51) }
        if rows > 6 { store(6, c60, c61) }
        if rows > 7 { store(7, c70, c71) }
        return
    }
    // Edge tile: same sums, only the valid part is written.
    withUnsafeTemporaryAllocation(of: V.self, capacity: 16) { t in
        t[0] = c00; t[1] = c01; t[2] = c10; t[3] = c11; t[4] = c20; t[5] = c21; t[6] = c30; t[7] = c31
        t[8] = c40; t[9] = c41; t[10] = c50; t[11] = c51; t[12] = c60; t[13] = c61; t[14] = c70; t[15] = c71
        t.baseAddress!.withMemoryRebound(to: Float.self, capacity: 8 * panelWidth) { tile in
            for r in 0..<rows {
                let row = c + r * ldc
                for j in 0..<cols {
                    let v = tile[r * panelWidth + j]
                    row[j] = accumulate ? row[j] + v : bias.map { v + $0[r] } ?? v
                }
            }
        }
    }
}
