import CourseKit
import TensorCore

/// The trained U-Net on meadow scenes 2 and 4 times larger than those it trained on. Its convs
/// slide over any size, but what one output pixel sees does not grow with the scene: through the
/// bottleneck it is `UNet.receptiveField` pixels wide. Whether the sky stays sky where that window
/// holds only sky is measured here, not assumed.
struct OtherSizes {
    static let factors = [2, 4]
    /// Held-out scenes scored at each size (a 256 px scene costs 16 of 64 px).
    static let scenes = 8

    struct Row {
        let width: Int, height: Int
        let scores: QualityScores
        let regions: RegionReport?
        /// One trained-size scene repeated side by side (`panorama`), not one larger scene.
        var isPanorama = false
        var size: Int { max(width, height) }
    }

    let model: UNet
    let lesson: LessonRun

    /// Scores at the trained size and at each larger one, writes sizes.png (the largest size's
    /// first scenes: input, target, U-Net) and returns the table, the paragraph and the rows'
    /// scores (for metrics.json).
    func run(trained: HeldOutEvaluation) throws -> (table: [[String]], text: String, scores: [SceneSizeScores]) {
        let size = lesson.dataset.size
        var rows = [Row(width: size, height: size, scores: trained.scores, regions: trained.regions)]
        var largest: HeldOutEvaluation?
        for factor in Self.factors where size * factor <= 256 {
            let evaluation = try HeldOutEvaluation.run(model, on: try lesson.dataset(size: size * factor), limit: Self.scenes)
            rows.append(Row(width: size * factor, height: size * factor, scores: evaluation.scores, regions: evaluation.regions))
            largest = evaluation
        }
        let panoramaRow = try largest == nil ? nil : panorama(across: rows.last!.width / size)
        if let largest {
            try LessonOutputs.writeSamples(to: lesson.path("sizes.png"), inputs: largest.input.firstImages(2),
                                           targets: largest.target.firstImages(2),
                                           predictions: [("unet", largest.prediction.firstImages(2))], scale: 1)
        }
        let field = UNet.receptiveField(depth: model.depth, throughSkip: nil)
        let allRows = rows + (panoramaRow.map { [$0] } ?? [])
        var table = [["scene", "bottleneck sees", "PSNR dB", "PSNR low", "PSNR high", "sky dB", "lake dB", "lake toward sky"]]
        for row in allRows {
            let sky = row.regions?.entry(.sky), lake = row.regions?.entry(.lake), shift = row.regions?.shift(of: .lake, toward: .sky)
            let scene = row.isPanorama ? "\(row.width)x\(row.height) px, one scene \(row.width / row.height) times" : "\(row.size) px"
            let sees = row.isPanorama ? "all of the height" : "\(min(100, 100 * field / row.size))% of the width"
            table.append([scene, sees, fmt(row.scores.psnr), fmt(row.scores.psnrLow),
                          fmt(row.scores.psnrHigh), sky.map { fmt($0.psnr) } ?? "-", lake.map { fmt($0.psnr) } ?? "-",
                          shift.map { "\(fmt(100 * $0, 0))%" } ?? "-"])
        }
        let scores = allRows.map {
            SceneSizeScores(width: $0.width, height: $0.height, panorama: $0.isPanorama, scores: $0.scores,
                            skyPSNR: $0.regions?.entry(.sky)?.psnr, lakePSNR: $0.regions?.entry(.lake)?.psnr)
        }
        return (table, paragraph(rows, field: field) + (panoramaRow.map { panoramaSentence($0, rows) } ?? ""), scores)
    }

    /// Each of `Self.scenes` held-out scenes of the trained size repeated `across` times side by
    /// side, every other copy mirrored so that the horizon, the lake and the grass run on without
    /// a seam: a scene as wide as the largest ones but as tall as the training ones, so a pixel is
    /// no farther from the top edge or the horizon than in training. What the width alone does.
    func panorama(across: Int) throws -> Row? {
        guard let meadow = lesson.dataset.heldOut as? MeadowScenes else { return nil }
        let indices = Array(0..<Self.scenes)
        let (input, target) = meadow.batch(indices)
        let labels = Tensor(shape: input.shape, values: meadow.regionLabels(indices).map(Float.init))
        let (wideInput, wideTarget, wideLabels) = (mirrored(input, across), mirrored(target, across), mirrored(labels, across))
        let prediction = model.forward(wideInput)
        var accumulator = Metrics.Accumulator()
        try accumulator.add(prediction: prediction, target: wideTarget)
        var regions = RegionReport()
        regions.add(prediction: prediction, target: wideTarget, labels: wideLabels.values.map { Int($0) })
        return Row(width: wideInput.shape[3], height: wideInput.shape[2], scores: try accumulator.scores(), regions: regions,
                   isPanorama: true)
    }

    /// Images [N, C, H, W] as [N, C, H, across * W]: each image, then its mirror image, and so on.
    func mirrored(_ x: Tensor, _ across: Int) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let src = x.values
        var out = [Float](repeating: 0, count: src.count * across)
        for row in 0..<(n * c * h) {
            for j in 0..<across {
                for col in 0..<w { out[(row * across + j) * w + col] = src[row * w + (j % 2 == 0 ? col : w - 1 - col)] }
            }
        }
        return Tensor(shape: [n, c, h, across * w], values: out)
    }

    /// The panorama's sky beside the trained size's and the largest scenes': how much of the loss
    /// comes with the width, and how much with the height (a gap counts from
    /// `SceneSizeScores.holdsWithin`, as above).
    func panoramaSentence(_ wide: Row, _ rows: [Row]) -> String {
        guard let first = rows.first, let last = rows.last, let s0 = first.regions?.entry(.sky)?.psnr,
              let sw = wide.regions?.entry(.sky)?.psnr, let sl = last.regions?.entry(.sky)?.psnr else { return "" }
        let (width, height) = (s0 - sw, sw - sl)
        let heightMeans = "the \(last.size) px scenes add height to the panorama's width, and with it sky pixels farther from the top edge and from the horizon"
        var text = " Repeated side by side, every other copy mirrored so that nothing breaks at the joins, " +
            "\(wide.width / wide.height) copies of a scene of the trained height make \(wide.width)x\(wide.height) px panoramas, as wide as the " +
            "\(last.size) px scenes: there the sky scores \(fmt(sw)) dB, against \(fmt(s0)) at \(first.size) px and \(fmt(sl)) " +
            "in the \(last.size) px scenes."
        switch (!SceneSizeScores.holds(trained: s0, larger: sw), !SceneSizeScores.holds(trained: sw, larger: sl)) {
        case (true, true): text += " The width costs \(fmt(width)) dB of it, the height the other \(fmt(height)) — \(heightMeans)."
        case (false, true): text += " The width alone does not cost it (less than \(fmt(SceneSizeScores.holdsWithin, 0)) dB); \(heightMeans)."
        case (true, false): text += " The width alone costs it."
        case (false, false): break
        }
        return text
    }

    /// What the numbers say, chosen by them: the sky "holds" when it loses less than
    /// `SceneSizeScores.holdsWithin`; the lake and the detail are named when they lose more.
    func paragraph(_ rows: [Row], field: Int) -> String {
        guard let first = rows.first, let last = rows.last, rows.count > 1 else { return "" }
        func sky(_ row: Row) -> Double? { row.regions?.entry(.sky)?.psnr }
        /// "all of" or "78% of the width of".
        func share(_ size: Int) -> String { field >= size ? "all of" : "\(100 * field / size)% of the width of" }
        var text = """
        Other sizes. Trained on \(first.size) px scenes, the U-Net paints \
        \(rows.dropFirst().map { "\($0.size) px ones at \(fmt($0.scores.psnr)) dB (big picture \(fmt($0.scores.psnrLow)), detail \(fmt($0.scores.psnrHigh)))" }.joined(separator: " and ")), \
        against \(fmt(first.scores.psnr)) (\(fmt(first.scores.psnrLow)), \(fmt(first.scores.psnrHigh))) at its own size \
        (\(Self.scenes) held-out scenes each; sizes.png shows two at \(last.size) px). Its convs slide over any size, but \
        one output pixel sees at most \(field) px through the bottleneck: \(share(first.size)) a \(first.size) px scene, \
        \(share(last.size)) a \(last.size) px one.
        """
        let holds = SceneSizeScores.holds
        if let s0 = sky(first), let s1 = sky(last) {
            text += !holds(s0, s1)
                ? " The sky scores \(fmt(s0)) dB at \(first.size) px and \(fmt(s1)) dB at \(last.size) px: where the window holds nothing but sky-like gray, the model cannot tell sky from lake."
                : " The sky holds: \(fmt(s0)) dB at \(first.size) px, \(fmt(s1)) dB at \(last.size) px."
        }
        if let lake0 = first.regions?.entry(.lake)?.psnr, let lake1 = last.regions?.entry(.lake)?.psnr,
           let shift = last.regions?.shift(of: .lake, toward: .sky), !holds(lake0, lake1) {
            text += " The lake: \(fmt(lake0)) dB at \(first.size) px, \(fmt(lake1)) dB at \(last.size) px, painted \(fmt(100 * shift, 0))% of the way toward sky color."
        }
        if !holds(first.scores.psnrHigh, last.scores.psnrHigh) {
            text += " The detail drops from \(fmt(first.scores.psnrHigh)) to \(fmt(last.scores.psnrHigh)) dB."
        }
        return text
    }
}
