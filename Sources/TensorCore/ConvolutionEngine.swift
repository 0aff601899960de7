/// The size of one 2-D convolution: a batch of `inChannels x inHeight x inWidth` images (NCHW),
/// a square `kernel`, `stride` and zero `padding` on every side.
public struct ConvGeometry: Equatable, Sendable {
    public let batch, inChannels, inHeight, inWidth, outChannels, kernel, stride, padding: Int

    public init(batch: Int, inChannels: Int, inHeight: Int, inWidth: Int,
                outChannels: Int, kernel: Int, stride: Int, padding: Int) {
        self.batch = batch; self.inChannels = inChannels; self.inHeight = inHeight; self.inWidth = inWidth
        self.outChannels = outChannels; self.kernel = kernel; self.stride = stride; self.padding = padding
    }

    public var outHeight: Int { (inHeight + 2 * padding - kernel) / stride + 1 }
    public var outWidth: Int { (inWidth + 2 * padding - kernel) / stride + 1 }
    var paddedHeight: Int { inHeight + 2 * padding }
    var paddedWidth: Int { inWidth + 2 * padding }
    var paddedPlane: Int { paddedHeight * paddedWidth }
    /// Values one output pixel sees: the length of a row of the im2col matrix.
    var patch: Int { inChannels * kernel * kernel }
    var outPixels: Int { outHeight * outWidth }
    var inPixels: Int { inHeight * inWidth }
}

/// Convolution forward and both backward passes as matrix products, for one geometry.
///
/// With `W` the weights as an `outChannels x patch` matrix and `X` the im2col matrix of an image
/// (`patch x outPixels`: column p holds the values output pixel p sees):
/// - forward: `Y = W X` (for the 3x3 "same" convs of images 32 px wide or more, by `Winograd`);
/// - input gradient: `dX = col2im(Wᵀ dY)`, which for stride 1 is itself a convolution of the
///   padded `dY` with the kernel flipped and in/out swapped — so it reuses the forward path;
/// - weight gradient: `dW = Σₙ dYₙ Xₙᵀ`, summed over the batch in a fixed order.
/// `X` is never stored: the GEMM packs it block by block straight from a zero-padded copy of the
/// image (see `GEMMSource`). Every buffer lives as long as the engine, or is lent by `ScratchPool`
/// for one call and kept there: steps do not allocate.
final class ConvolutionEngine {
    let g: ConvGeometry
    /// The batch, zero-padded; written by `forward`, read again by `weightGradient`. Allocated at
    /// the first `forward`: `flippedEngine`, which only serves the input gradient, pads dY into a
    /// buffer lent for the call instead (`forward(_:weight:bias:into:paddingIn:)`).
    private lazy var padded = Scratch(zeroed: paddedCount)
    /// Offset of im2col row k = (channel, ky, kx) and column p = (oy, ox) into a padded image.
    private let patchOffsets: [Int], pixelOffsets: [Int]
    private let packs = Scratch()
    /// Small per-engine buffers: the weights flipped or transposed, dWᵀ. (The large ones a call
    /// needs only while it runs come from `ScratchPool`.)
    private let workspace = Scratch(), columns = Scratch()
    /// The weights transformed for `Winograd`, when it runs this geometry.
    private let transformedWeights = Scratch()
    /// dy of one image as a plain `outChannels x outPixels` matrix (B of `Wᵀ dy`).
    private lazy var dyRowOffsets = (0..<g.outChannels).map { $0 * g.outPixels }
    private lazy var dyColumnOffsets = Array(0..<g.outPixels)
    /// Input gradient for stride 1: the forward of the "flipped" convolution.
    private lazy var flippedEngine = ConvolutionEngine(ConvGeometry(
        batch: g.batch, inChannels: g.outChannels, inHeight: g.outHeight, inWidth: g.outWidth,
        outChannels: g.inChannels, kernel: g.kernel, stride: 1, padding: g.kernel - 1 - g.padding))

    /// The engine in `cache` if it was built for `g`, else a new one, stored there: a layer keeps
    /// its engine (and buffers) from step to step and rebuilds it only when the input shape changes.
    static func reused(_ cache: inout ConvolutionEngine?, for g: ConvGeometry) -> ConvolutionEngine {
        if let engine = cache, engine.g == g { return engine }
        let fresh = ConvolutionEngine(g)
        cache = fresh
        return fresh
    }

    init(_ geometry: ConvGeometry) {
        g = geometry
        var rows: [Int] = []
        rows.reserveCapacity(g.patch)
        for c in 0..<g.inChannels {
            for ky in 0..<g.kernel { for kx in 0..<g.kernel { rows.append(c * g.paddedPlane + ky * g.paddedWidth + kx) } }
        }
        patchOffsets = rows
        var pixels: [Int] = []
        pixels.reserveCapacity(g.outPixels)
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth { pixels.append(oy * g.stride * g.paddedWidth + ox * g.stride) }
        }
        pixelOffsets = pixels
    }

    /// Pixels per parallel chunk of the forward product: several chunks per image keep both
    /// cores busy even for a batch of one.
    private static let pixelsPerChunk = 1024

    /// `y[n] = W x[n] (+ bias)` for the whole batch. `weight` is `[outChannels][patch]`.
    func forward(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                 into y: UnsafeMutablePointer<Float>) {
        pad(x, into: padded.pointer, border: false)
        forward(paddedInput: padded.pointer, weight: weight, bias: bias, into: y)
    }

    /// `forward`, padding `x` into `buffer` (stale contents, at least `paddedCount` floats) instead
    /// of the engine's own: for the input gradient's flipped convolution, which needs the padded
    /// dY only while it runs, so a deep stack keeps one such buffer instead of one per conv.
    func forward(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                 into y: UnsafeMutablePointer<Float>, paddingIn buffer: UnsafeMutablePointer<Float>) {
        pad(x, into: buffer, border: true)
        forward(paddedInput: buffer, weight: weight, bias: bias, into: y)
    }

    /// Floats of the padded batch.
    var paddedCount: Int { g.batch * g.inChannels * g.paddedPlane }

    private func forward(paddedInput: UnsafeMutablePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                         into y: UnsafeMutablePointer<Float>) {
        if Winograd.applies(to: g) {
            let u = transformedWeights.reserve(16 * g.outChannels * g.inChannels)
            Winograd.transformWeights(weight, outChannels: g.outChannels, inChannels: g.inChannels, into: u)
            Winograd.forward(padded: paddedInput, g, u: u, bias: bias, into: y)
            return
        }
        let outPixels = g.outPixels, outC = g.outChannels
        let blocks = (outPixels + Self.pixelsPerChunk - 1) / Self.pixelsPerChunk
        let chunks = g.batch * blocks
        let pack = packs.perWorker(GEMM.packCount, workers: Parallel.workerCount(for: chunks))
        patchOffsets.withUnsafeBufferPointer { rows in
            pixelOffsets.withUnsafeBufferPointer { cols in
                Parallel.forEach(chunks) { chunk, worker in
                    let n = chunk / blocks, j0 = (chunk % blocks) * Self.pixelsPerChunk
                    let width = min(Self.pixelsPerChunk, outPixels - j0)
                    let yn = y + n * outC * outPixels + j0
                    let source = GEMMSource(base: paddedInput + n * g.inChannels * g.paddedPlane,
                                            rowOffsets: rows.baseAddress!, columnOffsets: cols.baseAddress!,
                                            overreadable: true)
                    gemmBlock(m: outC, n: width, k: g.patch, a: weight, lda: g.patch, b: source, column0: j0,
                              c: yn, ldc: outPixels, accumulate: false, pack: pack + worker * GEMM.packCount,
                              readBInPlace: true, rowBias: bias)
                }
            }
        }
    }

    /// dL/dx for the whole batch (overwrites `dx`), from dL/dy.
    func inputGradient(_ dy: UnsafePointer<Float>, weight: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let k = g.kernel, kk = k * k, inC = g.inChannels, outC = g.outChannels
        if g.stride == 1 && g.padding <= k - 1 {
            // dx = conv(dy, w') with w'[c][o][ky][kx] = w[o][c][k-1-ky][k-1-kx], padding k-1-p.
            let flipped = workspace.reserve(outC * g.patch)
            for o in 0..<outC {
                for c in 0..<inC {
                    let src = weight + (o * inC + c) * kk, dst = flipped + (c * outC + o) * kk
                    for t in 0..<kk { dst[t] = src[kk - 1 - t] }
                }
            }
            let engine = flippedEngine
            ScratchPool.shared.lend(engine.paddedCount) { buffer in
                engine.forward(dy, weight: flipped, bias: nil, into: dx, paddingIn: buffer)
            }
            return
        }
        // General stride: columns = Wᵀ dy per image, then scatter-add each column back (col2im).
        let transposed = workspace.reserve(g.patch * outC)
        for o in 0..<outC { for r in 0..<g.patch { transposed[r * outC + o] = weight[o * g.patch + r] } }
        let tiles = g.kernel == g.stride && g.padding == 0
            && g.outHeight * g.stride == g.inHeight && g.outWidth * g.stride == g.inWidth
        let columnCount = g.batch * g.patch * g.outPixels
        ScratchPool.shared.lend(columnCount + (tiles ? 0 : paddedCount)) { lent in
            scatterInputGradient(dy, transposed: transposed, tiles: tiles, columns: lent, scatter: lent + columnCount, into: dx)
        }
    }

    /// The general-stride input gradient, with `columns` (Wᵀ dy of every image) and `scatter`
    /// (a padded image per image of the batch, unless the patches tile it) lent for the call.
    private func scatterInputGradient(_ dy: UnsafePointer<Float>, transposed: UnsafeMutablePointer<Float>, tiles: Bool,
                                      columns column: UnsafeMutablePointer<Float>, scatter scatterBase: UnsafeMutablePointer<Float>,
                                      into dx: UnsafeMutablePointer<Float>) {
        let k = g.kernel, kk = k * k, inC = g.inChannels, outC = g.outChannels
        let outPixels = g.outPixels, plane = inC * g.paddedPlane
        let pack = packs.perWorker(GEMM.packCount, workers: Parallel.workerCount(for: g.batch))
        dyRowOffsets.withUnsafeBufferPointer { dyRows in
            dyColumnOffsets.withUnsafeBufferPointer { dyCols in
                patchOffsets.withUnsafeBufferPointer { rows in
                    pixelOffsets.withUnsafeBufferPointer { cols in
                        Parallel.forEach(g.batch) { n, worker in
                            let cn = column + n * g.patch * outPixels
                            let source = GEMMSource(base: dy + n * outC * outPixels,
                                                    rowOffsets: dyRows.baseAddress!, columnOffsets: dyCols.baseAddress!)
                            gemmBlock(m: g.patch, n: outPixels, k: outC, a: transposed, lda: outC, b: source, column0: 0,
                                      c: cn, ldc: outPixels, accumulate: false, pack: pack + worker * GEMM.packCount)
                            if tiles {
                                // Kernel == stride, no padding: the patches tile the image, so
                                // col2im is a pure permutation (no sums, no border).
                                let dxn = dx + n * inC * g.inPixels, s = g.stride, w = g.inWidth
                                for r in 0..<g.patch {
                                    let c = r / kk, ky = (r % kk) / k, kx = r % k
                                    let src = cn + r * outPixels
                                    for oy in 0..<g.outHeight {
                                        let target = dxn + c * g.inPixels + (oy * s + ky) * w + kx
                                        let row = src + oy * g.outWidth
                                        for ox in 0..<g.outWidth { target[ox * s] = row[ox] }
                                    }
                                }
                                return
                            }
                            let pn = scatterBase + n * plane
                            pn.update(repeating: 0, count: plane)
                            for r in 0..<g.patch {
                                let target = pn + rows[r], src = cn + r * outPixels
                                for p in 0..<outPixels { target[cols[p]] += src[p] }
                            }
                            unpad(pn, into: dx + n * inC * g.inPixels)
                        }
                    }
                }
            }
        }
    }

    /// Rows of output pixels per block of the weight-gradient sum (about 256 pixels: a block of
    /// the packed dy panel then stays in L1).
    private var rowsPerBlock: Int { max(1, 256 / g.outWidth) }

    /// Adds dL/dW (`[outChannels][patch]`) and dL/dbias into `dw` / `db`, from dL/dy and the input
    /// of the last `forward` (or `setInput`).
    func weightGradient(_ dy: UnsafePointer<Float>, addingInto dw: UnsafeMutablePointer<Float>,
                        bias db: UnsafeMutablePointer<Float>?) {
        // With at most one vector's worth of channels, a kernel row holds two pixels (see
        // `gemmKernel(paired:)`) instead of half a row of zeros.
        let paired = g.outChannels <= KernelVector.scalarCount && g.outWidth % 2 == 0
        let width = paired ? KernelVector.scalarCount : panelWidth
        let panels = (g.outChannels + width - 1) / width
        ScratchPool.shared.lend(g.batch * panels * g.outPixels * width) { packedDy in
            weightGradient(dy, addingInto: dw, bias: db, paired: paired, width: width, panels: panels, packedDy: packedDy)
        }
    }

    /// `weightGradient` with `packedDy` lent for the call: dyᵀ of each image, packed as panels of
    /// `width` channels, [outPixels][width] (B of the product; paired, two pixels make one kernel
    /// row of `width`).
    private func weightGradient(_ dy: UnsafePointer<Float>, addingInto dw: UnsafeMutablePointer<Float>,
                                bias db: UnsafeMutablePointer<Float>?, paired: Bool, width: Int, panels: Int,
                                packedDy: UnsafeMutablePointer<Float>) {
        let outC = g.outChannels, outPixels = g.outPixels, patch = g.patch
        Parallel.forEach(g.batch) { n in
            let src = dy + n * outC * outPixels
            for q in 0..<panels {
                let dst = packedDy + (n * panels + q) * outPixels * width
                let channels = min(width, outC - q * width), first = src + q * width * outPixels
                if channels < width { dst.update(repeating: 0, count: outPixels * width) }
                // 16 pixels of a channel at a time, read as one vector: each cache line of dy is
                // used whole as soon as it is loaded. (Reading one value from each of 16 rows in
                // turn made the rows, 2^k floats apart, evict each other from L1.)
                var p = 0
                while p + 16 <= outPixels {
                    let out = dst + p * width
                    for j in 0..<channels {
                        let v = UnsafeRawPointer(first + j * outPixels + p).loadUnaligned(as: SIMD16<Float>.self)
                        for i in 0..<16 { out[i * width + j] = v[i] }
                    }
                    p += 16
                }
                while p < outPixels {
                    for j in 0..<channels { dst[p * width + j] = first[j * outPixels + p] }
                    p += 1
                }
            }
        }
        // dWᵀ = Σₙ Xₙ dyₙᵀ: A = the im2col rows read in place from the padded images.
        let dwT = columns.reserve(patch * outC)
        dwT.update(repeating: 0, count: patch * outC)
        // A few contiguous ranges of row panels, so each block of packed dy is reused by several
        // panels while it sits in L1, and a worker that finishes early takes the next range.
        // Every element of dWᵀ is still summed in one fixed order (images, then pixels), so the
        // split cannot change the result.
        let rowPanels = (patch + tileRows - 1) / tileRows
        let chunks = min(rowPanels, 2 * Parallel.threads)
        let rowsPerBlock = self.rowsPerBlock, plane = g.inChannels * g.paddedPlane
        let rowStride = g.stride * g.paddedWidth
        patchOffsets.withUnsafeBufferPointer { rows in
            Parallel.forEach(chunks) { chunk in
                let firstPanel = rowPanels * chunk / chunks, lastPanel = rowPanels * (chunk + 1) / chunks
                for n in 0..<g.batch {
                    let image = UnsafePointer(padded.pointer + n * plane)
                    var oy = 0
                    while oy < g.outHeight {
                        let blockRows = min(rowsPerBlock, g.outHeight - oy)
                        for q in 0..<panels {
                            let b = packedDy + ((n * panels + q) * outPixels + oy * g.outWidth) * width
                            for panel in firstPanel..<lastPanel {
                                let r0 = panel * tileRows, count = min(tileRows, patch - r0)
                                let a = KernelA(row: { rows[r0 + min($0, count - 1)] + oy * rowStride },
                                                segments: blockRows, segmentLength: paired ? g.outWidth / 2 : g.outWidth,
                                                segmentStride: rowStride, step: g.stride)
                                gemmKernel(image, a, PackedB(b), dwT + r0 * outC + q * width, ldc: outC,
                                           rows: count, cols: min(width, outC - q * width), accumulate: true,
                                           paired: paired)
                            }
                        }
                        oy += blockRows
                    }
                }
            }
        }
        Parallel.forEach(outC) { o in for r in 0..<patch { dw[o * patch + r] += dwT[r * outC + o] } }
        if let db { addChannelSums(dy, channels: outC, pixels: outPixels, batch: g.batch, into: db) }
    }

    /// Copies a batch into a padded buffer. The engine's own buffer was zeroed at allocation and
    /// only its interior is ever written, so its border is written only when `border` (a lent buffer).
    func pad(_ x: UnsafePointer<Float>, into buffer: UnsafeMutablePointer<Float>, border: Bool) {
        let p = g.padding, w = g.inWidth, pw = g.paddedWidth
        Parallel.forEach(g.batch) { n in
            for c in 0..<g.inChannels {
                let src = x + (n * g.inChannels + c) * g.inPixels
                let plane = buffer + (n * g.inChannels + c) * g.paddedPlane
                let dst = plane + p * pw + p
                if border && p > 0 {
                    plane.update(repeating: 0, count: p * pw)
                    (plane + (p + g.inHeight) * pw).update(repeating: 0, count: p * pw)
                }
                for y in 0..<g.inHeight {
                    let row = dst + y * pw
                    row.update(from: src + y * w, count: w)
                    if border { for i in 0..<p { row[-1 - i] = 0; row[w + i] = 0 } }
                }
            }
        }
    }

    /// The interior of one padded image.
    private func unpad(_ src: UnsafeMutablePointer<Float>, into dst: UnsafeMutablePointer<Float>) {
        let p = g.padding, w = g.inWidth, pw = g.paddedWidth
        for c in 0..<g.inChannels {
            let s = src + c * g.paddedPlane + p * pw + p, d = dst + c * g.inPixels
            for y in 0..<g.inHeight { (d + y * w).update(from: s + y * pw, count: w) }
        }
    }
}

/// `sums[c] += Σₙ Σₚ t[n][c][p]`, in a fixed order (the bias gradient).
func addChannelSums(_ t: UnsafePointer<Float>, channels: Int, pixels: Int, batch: Int,
                    into sums: UnsafeMutablePointer<Float>) {
    Parallel.forEach(channels) { c in
        var total: Float = 0
        for n in 0..<batch {
            let row = t + (n * channels + c) * pixels
            var lanes = SIMD8<Float>(), p = 0
            while p + 8 <= pixels {
                lanes += UnsafeRawPointer(row + p).loadUnaligned(as: SIMD8<Float>.self)
                p += 8
            }
            var s = lanes.sum()
            while p < pixels { s += row[p]; p += 1 }
            total += s
        }
        sums[c] += total
    }
}
