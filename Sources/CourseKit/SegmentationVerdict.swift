/// Lesson 7's conclusion, every sentence chosen by this run's numbers: does the U-Net beat the
/// autoencoder on the detail (edges, horse, flowers) and the plain stack on the big picture (lake
/// labelled sky), as it does on colorization?
public struct SegmentationVerdict {
    public let plain: SegmentationEvaluation, autoencoder: SegmentationEvaluation, unet: SegmentationEvaluation
    /// Whether to call a model collapsed: not after --quick's few steps, where every model is
    /// still near its start (the lesson says so once for all).
    public let judgesCollapse: Bool

    public init(plain: SegmentationEvaluation, autoencoder: SegmentationEvaluation, unet: SegmentationEvaluation, judgesCollapse: Bool = true) {
        self.plain = plain
        self.autoencoder = autoencoder
        self.unet = unet
        self.judgesCollapse = judgesCollapse
    }

    /// The region a model gives to almost every pixel (90% or more), if it collapsed to one.
    static func collapsedTo(_ e: SegmentationEvaluation) -> SceneRegion? {
        let m = e.confusion, total = m.counts.reduce(0, +)
        guard total > 0 else { return nil }
        let top = (0..<m.classes).max { m.predictedTotal($0) < m.predictedTotal($1) }!
        return Double(m.predictedTotal(top)) >= 0.9 * Double(total) ? SceneRegion(rawValue: UInt8(top)) : nil
    }

    public var text: String {
        var paragraphs: [String] = []
        for (name, e) in [("plain stack", plain), ("autoencoder", autoencoder), ("U-Net", unet)] where judgesCollapse {
            if let region = Self.collapsedTo(e) {
                paragraphs.append("The \(name) COLLAPSED: it labels 90% or more of the pixels \(region). Its scores describe a "
                    + "model that learned almost nothing, so the comparisons below do not apply to it. Try another --seed.")
            }
        }
        let (u, a, p) = (unet, autoencoder, plain)
        let edgeLead = u.boundary.f1 - a.boundary.f1
        let thin: [(String, Double, Double)] = [("horse", u.iou(.horse), a.iou(.horse)), ("flower", u.iou(.flower), a.iou(.flower))]
        let thinWins = thin.filter { $0.1 > $0.2 }.map(\.0)
        let detail = "Detail: boundary F1 \(fmt(u.boundary.f1, 3)) for the U-Net against \(fmt(a.boundary.f1, 3)) for the autoencoder "
            + "(\(signed(edgeLead, 3))); horse IoU \(fmt(u.iou(.horse), 3)) against \(fmt(a.iou(.horse), 3)), flower IoU "
            + "\(fmt(u.iou(.flower), 3)) against \(fmt(a.iou(.flower), 3))."
        if edgeLead > 0 && thinWins.count == 2 {
            paragraphs.append(detail + " The skips carry the full-resolution features across: the U-Net's edges land on the "
                + "right pixels and its thin regions survive, where the autoencoder has to redraw them from an 8x8 summary.")
        } else if edgeLead > 0 || !thinWins.isEmpty {
            let lost = (edgeLead > 0 ? [] : ["the edges"]) + thin.filter { $0.1 <= $0.2 }.map { "the \($0.0)" }
            paragraphs.append(detail + " The U-Net wins part of the detail but not \(lost.joined(separator: " or ")) in this run: "
                + "on so few steps the autoencoder can match it there. Compare the columns of masks.png.")
        } else {
            paragraphs.append(detail + " In this run the U-Net does NOT beat the autoencoder on the detail: its skips did not "
                + "pay off here. Try another --seed or more --steps before drawing a conclusion.")
        }
        let lakeGap = p.lakeAsSky - u.lakeAsSky
        let big = "Big picture: the plain stack labels \(fmt(100 * p.lakeAsSky, 1))% of the lake as sky, the autoencoder "
            + "\(fmt(100 * a.lakeAsSky, 1))%, the U-Net \(fmt(100 * u.lakeAsSky, 1))%."
        if lakeGap > 0.01 {
            paragraphs.append(big + " Lake and sky look the same up close; the plain stack sees a 15x15 window and must guess, "
                + "the U-Net's bottleneck sees the whole scene and knows which side of the horizon a pixel is on.")
        } else {
            paragraphs.append(big + " In this run the U-Net is not clearly better than the plain stack at telling lake from sky "
                + "(\(signed(100 * lakeGap, 1)) points): the context it could use did not show here.")
        }
        let plainSharper = p.boundary.f1 > a.boundary.f1, aeSeesMore = a.lakeAsSky < p.lakeAsSky
        paragraphs.append("Plain stack against autoencoder: boundary F1 \(fmt(p.boundary.f1, 3)) against \(fmt(a.boundary.f1, 3)) "
            + (plainSharper ? "(the plain stack's edges are sharper)" : "(the plain stack is not the sharper one here)")
            + ", lake→sky \(fmt(100 * p.lakeAsSky, 1))% against \(fmt(100 * a.lakeAsSky, 1))% "
            + (aeSeesMore ? "(the autoencoder knows the lake)." : "(the autoencoder does not know the lake better here).")
            + (plainSharper && aeSeesMore ? " Each has one half of the job, as in the colorization lessons." : ""))
        return paragraphs.joined(separator: "\n\n")
    }
}
