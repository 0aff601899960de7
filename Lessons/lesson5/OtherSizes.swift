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
        let size: Int
        let scores: QualityScores
        let regions: RegionReport?
    }

    let model: UNet
    let lesson: LessonRun

    /// Scores at the trained size and at each larger one, writes sizes.png (the largest size's
    /// first scenes: input, target, U-Net) and returns the table and the paragraph.
    func run(trained: HeldOutEvaluation) throws -> (table: [[String]], text: String) {
        let size = lesson.dataset.size
        var rows = [Row(size: size, scores: trained.scores, regions: trained.regions)]
        var largest: HeldOutEvaluation?
        for factor in Self.factors where size * factor <= 256 {
            let evaluation = try HeldOutEvaluation.run(model, on: try lesson.dataset(size: size * factor), limit: Self.scenes)
            rows.append(Row(size: size * factor, scores: evaluation.scores, regions: evaluation.regions))
            largest = evaluation
        }
        if let largest {
            try LessonOutputs.writeSamples(to: lesson.path("sizes.png"), inputs: largest.input.firstImages(2),
                                           targets: largest.target.firstImages(2),
                                           predictions: [("unet", largest.prediction.firstImages(2))], scale: 1)
        }
        let field = UNet.receptiveField(depth: model.depth, throughSkip: nil)
        var table = [["scene", "bottleneck sees", "PSNR dB", "PSNR low", "PSNR high", "sky dB", "lake dB", "lake toward sky"]]
        for row in rows {
            let sky = row.regions?.entry(.sky), lake = row.regions?.entry(.lake), shift = row.regions?.shift(of: .lake, toward: .sky)
            table.append(["\(row.size) px", "\(min(100, 100 * field / row.size))% of the width", fmt(row.scores.psnr), fmt(row.scores.psnrLow),
                          fmt(row.scores.psnrHigh), sky.map { fmt($0.psnr) } ?? "-", lake.map { fmt($0.psnr) } ?? "-",
                          shift.map { "\(fmt(100 * $0, 0))%" } ?? "-"])
        }
        return (table, paragraph(rows, field: field))
    }

    /// What the numbers say, chosen by them: the sky "holds" when it loses less than 3 dB; the
    /// lake and the detail are named when they lose more.
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
        if let s0 = sky(first), let s1 = sky(last) {
            text += s0 - s1 > 3
                ? " The sky scores \(fmt(s0)) dB at \(first.size) px and \(fmt(s1)) dB at \(last.size) px: where the window holds nothing but sky-like gray, the model cannot tell sky from lake."
                : " The sky holds: \(fmt(s0)) dB at \(first.size) px, \(fmt(s1)) dB at \(last.size) px."
        }
        if let lake0 = first.regions?.entry(.lake)?.psnr, let lake1 = last.regions?.entry(.lake)?.psnr,
           let shift = last.regions?.shift(of: .lake, toward: .sky), lake0 - lake1 > 3 {
            text += " The lake: \(fmt(lake0)) dB at \(first.size) px, \(fmt(lake1)) dB at \(last.size) px, painted \(fmt(100 * shift, 0))% of the way toward sky color."
        }
        if first.scores.psnrHigh - last.scores.psnrHigh > 3 {
            text += " The detail drops from \(fmt(first.scores.psnrHigh)) to \(fmt(last.scores.psnrHigh)) dB."
        }
        return text
    }
}
