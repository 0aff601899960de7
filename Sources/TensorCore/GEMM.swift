/// Single-precision matrix multiply (SGEMM), the workhorse under every convolution.
///
/// Layout of the algorithm (Goto/BLIS style, simplified):
/// - B is copied ("packed") block by block into `panelWidth`-column panels, so the micro-kernel reads it
///   with aligned, sequential SIMD loads from L1;
/// - A is read in place, `tileRows` rows at a time (see `KernelA`);
/// - C is cut into `tileRows` x `panelWidth` tiles, each computed by `gemmKernel` over a block of k.
/// Threads share out tiles of C, never a sum over k, so every element is summed in the same order
/// whatever the thread count: results are bitwise reproducible.
public enum GEMM {
    /// Most rows of the shared dimension per block: a packed panel is then 24 KB, half of L1.
    @usableFromInline static let kc = 6144 / panelWidth
    /// Columns of C per packed block of B (kc x nc floats <= 384 KB: fits L2).
    @usableFromInline static let nc = 256
    /// Floats a packing buffer needs.
    @usableFromInline static let packCount = kc * nc

    /// The k-block length for a shared dimension k: equal blocks of at most `kc` (288 gives one
    /// block of 288, not 256 + 32: a short last block would pay the tile overhead for little work).
    @inlinable static func kBlock(_ k: Int) -> Int {
        let blocks = max(1, (k + kc - 1) / kc)
        return (k + blocks - 1) / blocks
    }

    /// `C = op(A) * op(B)`, or `C += op(A) * op(B)` when `accumulate`; all row-major.
    ///
    /// op(A) is m x k (`A` is k x m when `transposeA`), op(B) is k x n (`B` is n x k when
    /// `transposeB`). Leading dimensions are the distances between rows as stored.
    public static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false
    ) {
        guard m > 0, n > 0 else { return }
        // The kernel reads A's rows in place; a transposed A is first copied to rows.
        var aRows = a, aLd = lda
        var transposed: UnsafeMutablePointer<Float>? = nil
        if transposeA {
            let t = UnsafeMutablePointer<Float>.allocate(capacity: max(m * k, 1))
            for kk in 0..<k { for i in 0..<m { t[i * k + kk] = a[kk * lda + i] } }
            transposed = t; aRows = UnsafePointer(t); aLd = k
        }
        defer { transposed?.deallocate() }

        let rowOffsets = (0..<k).map { transposeB ? $0 : $0 * ldb }
        let columnOffsets = (0..<n).map { transposeB ? $0 * ldb : $0 }
        rowOffsets.withUnsafeBufferPointer { rows in
            columnOffsets.withUnsafeBufferPointer { cols in
                let source = GEMMSource(base: b, rowOffsets: rows.baseAddress!, columnOffsets: cols.baseAddress!)
                // Tiles of 96 rows x 128 columns: enough chunks to balance two cores, big enough
                // that re-packing B per tile costs ~1%.
                let blockRows = 96, blockColumns = 128
                let rowTiles = (m + blockRows - 1) / blockRows
                let columnTiles = (n + blockColumns - 1) / blockColumns
                let workers = Parallel.workerCount(for: rowTiles * columnTiles)
                let packs = UnsafeMutablePointer<Float>.allocate(capacity: workers * packCount)
                defer { packs.deallocate() }
                Parallel.forEach(rowTiles * columnTiles) { tile, worker in
                    let i0 = (tile / columnTiles) * blockRows, j0 = (tile % columnTiles) * blockColumns
                    gemmBlock(m: min(blockRows, m - i0), n: min(blockColumns, n - j0), k: k,
                              a: aRows + i0 * aLd, lda: aLd, b: source, column0: j0,
                              c: c + i0 * ldc + j0, ldc: ldc, accumulate: accumulate,
                              pack: packs + worker * packCount)
                }
            }
        }
    }

    /// Convenience for 2-D tensors: `op(a) * op(b)` as a new [m, n] tensor.
    public static func multiply(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "GEMM.multiply: expected two matrices, got shapes \(a.shape) and \(b.shape)")
        let (m, ka) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(ka == kb, "GEMM.multiply: inner dimensions differ: op(a) is \(m)x\(ka), op(b) is \(kb)x\(n)")
        var c = Tensor(shape: [m, n])
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    multiply(m: m, n: n, k: ka, a: pa.baseAddress!, lda: a.shape[1], transposeA: transposeA,
                             b: pb.baseAddress!, ldb: b.shape[1], transposeB: transposeB,
                             c: pc.baseAddress!, ldc: n)
                }
            }
        }
        return c
    }
}

/// Where the values of B come from: `B[k][j] = base[rowOffsets[k] + columnOffsets[j]]`.
///
/// A plain matrix has offsets `k * ld` and `j`; a convolution's im2col matrix has offsets
/// "channel/kernel tap" and "output pixel" into a padded image, so packing B *is* the im2col,
/// done one cache-sized block at a time and never stored whole.
/// `columnOffsets` must increase strictly (packing copies runs of consecutive offsets as vectors).
@usableFromInline
struct GEMMSource {
    @usableFromInline let base: UnsafePointer<Float>
    @usableFromInline let rowOffsets: UnsafePointer<Int>
    @usableFromInline let columnOffsets: UnsafePointer<Int>
    /// At least 16 floats past the last value may be read (a `Scratch` buffer): lets packing
    /// load a whole vector where it needs only some of its lanes.
    @usableFromInline let overreadable: Bool

    @inlinable
    init(base: UnsafePointer<Float>, rowOffsets: UnsafePointer<Int>, columnOffsets: UnsafePointer<Int>,
         overreadable: Bool = false) {
        self.base = base
        self.rowOffsets = rowOffsets
        self.columnOffsets = columnOffsets
        self.overreadable = overreadable
    }
}

/// Copies `B[k0 ..< k0+kb][j0 ..< j0+nb]` into panels of `panelWidth` columns (panel p holds
/// kb rows of `panelWidth` floats), padding past `nb` with zeros.
///
/// Eight columns at a time: eight consecutive offsets are one vector copy per row, every other
/// offset (a stride-2 convolution) one 16-wide load that keeps its even lanes, and anything else
/// (an image row narrower than eight, the matrix's edge) is copied value by value.
@usableFromInline
func packB(_ src: GEMMSource, k0: Int, kb: Int, j0: Int, nb: Int, into dst: UnsafeMutablePointer<Float>) {
    typealias V = SIMD8<Float>
    let rows = src.rowOffsets + k0
    var first = 0
    while first < nb {
        let panel = UnsafeMutableRawPointer(dst + (first / panelWidth) * kb * panelWidth)
        let rowBytes = panelWidth * 4
        for group in stride(from: 0, to: panelWidth, by: 8) {
            let count = max(0, min(8, nb - first - group))
            let cols = src.columnOffsets + j0 + first + group
            let out = panel + group * 4
            if count == 8 && cols[7] - cols[0] == 7 {
                let c0 = cols[0] * 4
                for kk in 0..<kb {
                    let row = UnsafeRawPointer(src.base + rows[kk])
                    out.storeBytes(of: row.loadUnaligned(fromByteOffset: c0, as: V.self), toByteOffset: kk * rowBytes, as: V.self)
                }
            } else if count == 8 && src.overreadable && cols[7] - cols[0] == 14 {
                let c0 = cols[0] * 4
                for kk in 0..<kb {
                    let row = UnsafeRawPointer(src.base + rows[kk])
                    out.storeBytes(of: row.loadUnaligned(fromByteOffset: c0, as: SIMD16<Float>.self).evenHalf,
                                   toByteOffset: kk * rowBytes, as: V.self)
                }
            } else {
                let o = out.assumingMemoryBound(to: Float.self)
                for kk in 0..<kb {
                    let row = src.base + rows[kk]
                    for j in 0..<count { o[kk * panelWidth + j] = row[cols[j]] }
                    for j in count..<8 { o[kk * panelWidth + j] = 0 }
                }
            }
        }
        first += panelWidth
    }
}

/// Single-threaded blocked product of an m x k row-major A (read in place) and the block of B
/// starting at column `column0` of `b`: `C (+)= A * B` (plus `rowBias[i]` on row i, when given
/// and not accumulating). `pack` holds `GEMM.packCount` floats.
///
/// With `readBInPlace`, panels whose rows are two runs of 8 consecutive floats are read straight
/// from `b` (`DirectB`) and only the others are packed; worth it when m is small.
@usableFromInline
func gemmBlock(
    m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
    b: GEMMSource, column0: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
    pack: UnsafeMutablePointer<Float>, readBInPlace: Bool = false, rowBias: UnsafePointer<Float>? = nil
) {
    if k == 0 {
        if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: rowBias?[i] ?? 0, count: n) } }
        return
    }
    var j0 = 0
    while j0 < n {
        let nb = min(GEMM.nc, n - j0)
        var k0 = 0
        let kBlock = GEMM.kBlock(k)
        while k0 < k {
            let kb = min(kBlock, k - k0)
            if !readBInPlace { packB(b, k0: k0, kb: kb, j0: column0 + j0, nb: nb, into: pack) }
            var jp = 0
            while jp < nb {
                let width = min(panelWidth, nb - jp), lanes = KernelVector.scalarCount
                let cols = b.columnOffsets + column0 + j0 + jp
                let ct = c + j0 + jp, add = accumulate || k0 > 0, bias = add ? nil : rowBias
                if readBInPlace && width == panelWidth && cols[lanes - 1] - cols[0] == lanes - 1
                    && cols[2 * lanes - 1] - cols[lanes] == lanes - 1 {
                    let direct = DirectB(low: b.base + cols[0], high: b.base + cols[lanes], rowOffsets: b.rowOffsets + k0)
                    gemmRowTiles(m: m, k0: k0, kb: kb, a: a, lda: lda, b: direct, c: ct, ldc: ldc, cols: width, accumulate: add, bias: bias)
                } else {
                    var panel = pack + (jp / panelWidth) * kb * panelWidth
                    if readBInPlace {
                        packB(b, k0: k0, kb: kb, j0: column0 + j0 + jp, nb: width, into: pack)
                        panel = pack
                    }
                    gemmRowTiles(m: m, k0: k0, kb: kb, a: a, lda: lda, b: PackedB(panel), c: ct, ldc: ldc, cols: width, accumulate: add, bias: bias)
                }
                jp += panelWidth
            }
            k0 += kb
        }
        j0 += nb
    }
}

/// All `tileRows`-row tiles of C for one `panelWidth`-column panel of B and one k-block.
@inline(__always)
func gemmRowTiles<B: KernelB>(
    m: Int, k0: Int, kb: Int, a: UnsafePointer<Float>, lda: Int, b: B,
    c: UnsafeMutablePointer<Float>, ldc: Int, cols: Int, accumulate: Bool, bias: UnsafePointer<Float>? = nil
) {
    var i0 = 0
    while i0 < m {
        let rows = min(tileRows, m - i0)
        gemmKernel(a, KernelA.matrix(first: i0, count: rows, ld: lda, k0: k0, length: kb), b,
                       c + i0 * ldc, ldc: ldc, rows: rows, cols: cols, accumulate: accumulate, bias: bias.map { $0 + i0 })
        i0 += tileRows
    }
}
