/// The forward of a 3x3, stride-1, padding-1 convolution by Winograd's minimal filtering
/// F(2x2, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016).
///
/// Each 2x2 block of output pixels (a *tile*) depends on a 4x4 patch `d` of the input. With the
/// constant matrices `Bᵀ`, `G`, `Aᵀ` below, `y = Aᵀ [ Σ_c (G g G^T) ⊙ (Bᵀ d B) ] A`: the sum over
/// input channels becomes 16 elementwise products instead of 36 multiply-adds, so the 16 sums
/// (one per position ξ of the 4x4 transformed patch) are 16 matrix products
/// `M_ξ = U_ξ V_ξ` — `U_ξ` the transformed weights (`outChannels x inChannels`), `V_ξ` the
/// transformed patches (`inChannels x tiles`) — with 2.25x fewer multiply-adds than the direct
/// convolution `ConvolutionEngine` otherwise runs. The transforms only add and subtract (and halve,
/// exactly), so the result differs from the direct sum by rounding alone.
///
/// The tiles are cut into blocks sized so that one block's `V` and `M` stay in L2; each block is
/// transformed, multiplied and transformed back by one worker. Every output value is computed
/// the same way whatever the block or thread: results do not depend on the thread count.
/// The stride-1 input gradient is a forward of the flipped convolution, so it runs here too.
enum Winograd {
    /// Where it pays, measured with `bench --breakdown` against the direct path (Zen 4, batch 8):
    /// images at least 32 pixels wide, whose tile rows fill whole 16-lane vectors (the U-Net's
    /// 64 and 32 px convs: 1.1-1.5x faster; at 16 and 8 px, with half- and quarter-empty vectors,
    /// it was 10-60% slower), and at least 8 channels in and out (the first layer's one gray
    /// channel and a 3-channel head stay direct). Even heights: every tile lies in the image. Kernel
    /// panels of 16 or 32 lanes (not the 8 of the SSE2 build): a run of 16 tiles fills whole lanes.
    static func applies(to g: ConvGeometry) -> Bool {
        g.kernel == 3 && g.stride == 1 && g.padding == 1 && g.inHeight % 2 == 0 && g.inWidth % 32 == 0
            && g.inChannels >= 8 && g.outChannels >= 8 && panelWidth % 16 == 0
    }

    /// `U_ξ = (G g Gᵀ)_ξ` for every output/input channel pair, stored `[16][outChannels][inChannels]`
    /// (the A of the products). `G` = [[1, 0, 0], [½, ½, ½], [½, -½, ½], [0, 0, 1]].
    static func transformWeights(_ w: UnsafePointer<Float>, outChannels: Int, inChannels: Int,
                                 into u: UnsafeMutablePointer<Float>) {
        let pairs = outChannels * inChannels
        @inline(__always) func g(_ a: Float, _ b: Float, _ c: Float) -> (Float, Float, Float, Float) {
            (a, 0.5 * (a + b + c), 0.5 * (a - b + c), c)
        }
        Parallel.forEach(outChannels) { o in
            for c in 0..<inChannels {
                let k = w + (o * inChannels + c) * 9, slot = o * inChannels + c
                // G g, column by column: rows of the 4x3.
                let x0 = g(k[0], k[3], k[6]), x1 = g(k[1], k[4], k[7]), x2 = g(k[2], k[5], k[8])
                // (G g) Gᵀ, row by row.
                @inline(__always) func put(_ a: Int, _ row: (Float, Float, Float, Float)) {
                    u[(4 * a) * pairs + slot] = row.0
                    u[(4 * a + 1) * pairs + slot] = row.1
                    u[(4 * a + 2) * pairs + slot] = row.2
                    u[(4 * a + 3) * pairs + slot] = row.3
                }
                put(0, g(x0.0, x1.0, x2.0)); put(1, g(x0.1, x1.1, x2.1))
                put(2, g(x0.2, x1.2, x2.2)); put(3, g(x0.3, x1.3, x2.3))
            }
        }
    }

    /// Tiles per block: a multiple of the kernel's panel width, with the block's `V` and `M`
    /// (16 x (inChannels + outChannels) floats per tile) within about 512 KB.
    static func blockTiles(_ g: ConvGeometry) -> Int {
        let perTile = 16 * (g.inChannels + g.outChannels)
        return panelWidth * max(1, min(8, 131_072 / perTile / panelWidth))
    }

    /// Floats of scratch `forward` needs per worker.
    static func scratchPerWorker(_ g: ConvGeometry) -> Int { 16 * (g.inChannels + g.outChannels) * blockTiles(g) }

    /// `y = conv(x, w) + bias` from the zero-padded batch (`(H+2) x (W+2)` planes) and `u` from
    /// `transformWeights`.
    static func forward(padded: UnsafePointer<Float>, _ g: ConvGeometry, u: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>) {
        let inC = g.inChannels, outC = g.outChannels
        let tilesWide = g.inWidth / 2, tilesPerImage = (g.inHeight / 2) * tilesWide
        let total = g.batch * tilesPerImage, block = blockTiles(g), panels = block / panelWidth
        let blocks = (total + block - 1) / block
        let perWorker = scratchPerWorker(g)
        ScratchPool.shared.lend(Parallel.workerCount(for: blocks) * perWorker) { scratch in
            Parallel.forEach(blocks) { b, worker in
                let v = scratch + worker * perWorker, m = v + 16 * inC * block
                let first = b * block, count = min(block, total - first), usedPanels = (count + panelWidth - 1) / panelWidth
                // Lanes past the last tile feed only outputs that are never stored; zero them so
                // the kernel never sees stale bits.
                if count < usedPanels * panelWidth {
                    for xi in 0..<16 {
                        for c in 0..<inC {
                            let row = v + ((xi * panels + usedPanels - 1) * inC + c) * panelWidth
                            (row + count % panelWidth).update(repeating: 0, count: panelWidth - count % panelWidth)
                        }
                    }
                }
                forEachRun(first: first, count: count, tilesWide: tilesWide, tilesPerImage: tilesPerImage) { n, ty, tx, lane, length in
                    transformInput(padded, g, image: n, tileRow: ty, tileColumn: tx, tiles: length,
                                   into: v, lane: lane, panels: panels)
                }
                for xi in 0..<16 {
                    for p in 0..<usedPanels {
                        gemmRowTiles(m: outC, k0: 0, kb: inC, a: u + xi * outC * inC, lda: inC,
                                     b: PackedB(v + (xi * panels + p) * inC * panelWidth),
                                     c: m + xi * outC * block + p * panelWidth, ldc: block, cols: panelWidth, accumulate: false)
                    }
                }
                forEachRun(first: first, count: count, tilesWide: tilesWide, tilesPerImage: tilesPerImage) { n, ty, tx, lane, length in
                    transformOutput(m, g, block: block, lane: lane, tiles: length, bias: bias,
                                    into: y, image: n, tileRow: ty, tileColumn: tx)
                }
            }
        }
    }

    /// Calls `body(image, tileRow, tileColumn, lane, length)` for each run of consecutive tiles of
    /// one tile row among the block's tiles `first ..< first + count` (`lane`: the run's first
    /// tile's index within the block). Tile rows of a multiple of 16 tiles (`applies`) and blocks
    /// of a multiple of 32 make every run start at a multiple of 16 and last a multiple of 16.
    @inline(__always)
    private static func forEachRun(first: Int, count: Int, tilesWide: Int, tilesPerImage: Int,
                                   _ body: (Int, Int, Int, Int, Int) -> Void) {
        var t = first
        while t < first + count {
            let n = t / tilesPerImage, r = t % tilesPerImage, ty = r / tilesWide, tx = r % tilesWide
            let length = min(tilesWide - tx, first + count - t)
            body(n, ty, tx, t - first, length)
            t += length
        }
    }

    /// `V_ξ = (Bᵀ d B)_ξ` for `tiles` consecutive tiles of one tile row, every input channel, written
    /// where the product reads them: `v[ξ][panel][channel][lane]`, lanes of `panelWidth`.
    /// `Bᵀ` = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]. Sixteen tiles at a time:
    /// each row of their patches is the even and odd lanes of two 32-float loads.
    @inline(__always)
    private static func transformInput(_ padded: UnsafePointer<Float>, _ g: ConvGeometry, image n: Int, tileRow ty: Int,
                                       tileColumn tx0: Int, tiles: Int, into v: UnsafeMutablePointer<Float>,
                                       lane: Int, panels: Int) {
        typealias V = SIMD16<Float>
        let inC = g.inChannels, pw = g.inWidth + 2, plane = (g.inHeight + 2) * pw
        let panelStride = inC * panelWidth, xiStride = panels * panelStride
        @inline(__always) func bT(_ d0: V, _ d1: V, _ d2: V, _ d3: V) -> (V, V, V, V) { (d0 - d2, d1 + d2, d2 - d1, d1 - d3) }
        for c in 0..<inC {
            let top = UnsafeRawPointer(padded + (n * inC + c) * plane + 2 * ty * pw + 2 * tx0)
            var s = 0
            while s < tiles {
                // Row i of 16 tiles' patches: d[i][j] = padded column 2·tile + j.
                @inline(__always) func row(_ i: Int) -> (V, V, V, V) {
                    let p = top + (i * pw + 2 * s) * 4
                    let left = p.loadUnaligned(as: SIMD32<Float>.self), right = p.loadUnaligned(fromByteOffset: 8, as: SIMD32<Float>.self)
                    return (left.evenHalf, left.oddHalf, right.evenHalf, right.oddHalf)
                }
                let d0 = row(0), d1 = row(1), d2 = row(2), d3 = row(3)
                // Bᵀ d, column by column: c_j = (r0j, r1j, r2j, r3j).
                let c0 = bT(d0.0, d1.0, d2.0, d3.0), c1 = bT(d0.1, d1.1, d2.1, d3.1)
                let c2 = bT(d0.2, d1.2, d2.2, d3.2), c3 = bT(d0.3, d1.3, d2.3, d3.3)
                // (Bᵀ d) B, row by row: ξ = 4i + j.
                let tile = lane + s
                let out = v + (tile / panelWidth) * panelStride + c * panelWidth + tile % panelWidth
                @inline(__always) func put(_ i: Int, _ r: (V, V, V, V)) {
                    let o = UnsafeMutableRawPointer(out + 4 * i * xiStride)
                    o.storeBytes(of: r.0, as: V.self)
                    o.storeBytes(of: r.1, toByteOffset: 4 * xiStride, as: V.self)
                    o.storeBytes(of: r.2, toByteOffset: 8 * xiStride, as: V.self)
                    o.storeBytes(of: r.3, toByteOffset: 12 * xiStride, as: V.self)
                }
                put(0, bT(c0.0, c1.0, c2.0, c3.0)); put(1, bT(c0.1, c1.1, c2.1, c3.1))
                put(2, bT(c0.2, c1.2, c2.2, c3.2)); put(3, bT(c0.3, c1.3, c2.3, c3.3))
                s += 16
            }
        }
    }

    /// `y = Aᵀ M A + bias` for `tiles` consecutive tiles of one tile row, every output channel.
    /// `Aᵀ` = [[1, 1, 1, 0], [0, 1, -1, -1]]; the two output rows of 16 tiles are stored as
    /// 32 interleaved floats each.
    @inline(__always)
    private static func transformOutput(_ m: UnsafePointer<Float>, _ g: ConvGeometry, block: Int, lane: Int, tiles: Int,
                                        bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>,
                                        image n: Int, tileRow ty: Int, tileColumn tx0: Int) {
        typealias V = SIMD16<Float>
        let outC = g.outChannels, w = g.inWidth, xiStride = outC * block
        @inline(__always) func aT(_ m0: V, _ m1: V, _ m2: V, _ m3: V) -> (V, V) { (m0 + m1 + m2, m1 - m2 - m3) }
        for k in 0..<outC {
            let b = V(repeating: bias?[k] ?? 0)
            var s = 0
            while s < tiles {
                let src = UnsafeRawPointer(m + k * block + lane + s)
                @inline(__always) func load(_ xi: Int) -> V { src.loadUnaligned(fromByteOffset: xi * xiStride * 4, as: V.self) }
                // Aᵀ M, column by column: (row 0, row 1) of column j.
                let t0 = aT(load(0), load(4), load(8), load(12)), t1 = aT(load(1), load(5), load(9), load(13))
                let t2 = aT(load(2), load(6), load(10), load(14)), t3 = aT(load(3), load(7), load(11), load(15))
                // (Aᵀ M) A, row by row.
                let top = aT(t0.0, t1.0, t2.0, t3.0), bottom = aT(t0.1, t1.1, t2.1, t3.1)
                let row0 = y + ((n * outC + k) * g.inHeight + 2 * ty) * w + 2 * (tx0 + s), row1 = row0 + w
                var even = SIMD32<Float>(), odd = SIMD32<Float>()
                even.evenHalf = top.0 + b; even.oddHalf = top.1 + b
                odd.evenHalf = bottom.0 + b; odd.oddHalf = bottom.1 + b
                UnsafeMutableRawPointer(row0).storeBytes(of: even, as: SIMD32<Float>.self)
                UnsafeMutableRawPointer(row1).storeBytes(of: odd, as: SIMD32<Float>.self)
                s += 16
            }
        }
    }
}
