/// Lesson 7's conclusion, every sentence chosen by this run's numbers: does the U-Net beat the
/// autoencoder on the detail (edges, horse, flowers) and the plain stack on the big picture (lake
/// labelled sky), as it does on colorization?
public struct SegmentationVerdict {
    public let plain: SegmentationEvaluation, autoencoder: SegmentationEvaluation, unet: SegmentationEvaluation
    /// Whether to call a model collapsed: not after --quick's few steps, where every model is
    /// still near its start (the lesson says so once for all).
    public let judgesCollapse: Bool
    /// The side of the autoencoder's bottleneck grid, in pixels (8 at 64 px).
    public let bottleneckSide: Int

    public init(plain: SegmentationEvaluation, autoencoder: SegmentationEvaluation, unet: SegmentationEvaluation,
                bottleneckSide: Int, judgesCollapse: Bool = true) {
        self.plain = plain
        self.autoencoder = autoencoder
        self.unet = unet
        self.bottleneckSide = bottleneckSide
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
                + "right pixels and its thin regions survive, where the autoencoder has to redraw them from its bottleneck's \(bottleneckSide)x\(bottleneckSide) summary.")
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
            let field = CourseModel.receptiveFields
            paragraphs.append(big + " Lake and sky look the same up close; the plain stack sees a \(field.plain)x\(field.plain) window "
                + "and must guess, while one U-Net pixel sees a window \(field.deepestSkip) px wide through its deepest skip level "
                + "and \(field.bottleneck) px through its bottleneck: enough of the scene to know which side of the horizon it is on.")
        } else {
            paragraphs.append(big + " In this run the U-Net is not clearly better than the plain stack at telling lake from sky "
                + "(\(signed(100 * lakeGap, 1)) points): the context it could use did not show here.")
        }
        let plainEdges = p.boundary.f1 > a.boundary.f1, aeSeesMore = a.lakeAsSky < p.lakeAsSky
        paragraphs.append("Plain stack against autoencoder: boundary F1 \(fmt(p.boundary.f1, 3)) against \(fmt(a.boundary.f1, 3)). "
            + Self.edgeTradeOff(plain: p.boundary, autoencoder: a.boundary)
            + " Lake→sky: \(fmt(100 * p.lakeAsSky, 1))% against \(fmt(100 * a.lakeAsSky, 1))% "
            + (aeSeesMore ? "(the autoencoder knows the lake)." : "(the autoencoder does not know the lake better here).")
            + (plainEdges && aeSeesMore ? " Each has one half of the job, as in the colorization lessons." : ""))
        let named = [("plain stack", p.confusion), ("autoencoder", a.confusion), ("U-Net", u.confusion)]
        if let paradox = Self.accuracyAgainstIoU(named) { paragraphs.append(paradox) }
        if let behind = Self.whereTheUNetIsBehind(named) { paragraphs.append(behind) }
        return paragraphs.joined(separator: "\n\n")
    }

    /// What F1 hides: how many true edges each model finds (recall) and how many of the edges it
    /// draws are real (precision), in words chosen by which leads on each.
    /// Each clause names the leader and gives its value first.
    static func edgeTradeOff(plain p: BoundaryScore, autoencoder a: BoundaryScore) -> String {
        func pct(_ v: Double) -> String { "\(fmt(100 * v, 1))%" }
        func lead(_ measure: (BoundaryScore) -> Double) -> (who: String, values: String) {
            let (x, y) = (measure(p), measure(a))
            return x > y ? ("plain stack", "\(pct(x)) against \(pct(y))") : ("autoencoder", "\(pct(y)) against \(pct(x))")
        }
        let (finds, clean) = (lead(\.recall), lead(\.precision))
        return "The \(finds.who) finds more of the true edges (recall \(finds.values)); the \(clean.who) draws fewer edges "
            + "where there are none (precision \(clean.values))."
    }

    /// A class index as the region it labels ("lake").
    static func regionName(_ c: Int) -> String { SceneRegion(rawValue: UInt8(c)).map { "\($0)" } ?? "class \(c)" }

    /// Differences smaller than this (IoU, or a share of pixels) are called ties, not wins.
    public static let tie = 0.01

    /// Why pixel accuracy and mean IoU rank two models the other way round, from this run's
    /// pixels; nil when they agree. Accuracy counts pixels, so the big regions decide it; mean
    /// IoU weighs every region the same, so a region a model never paints costs it a sixth.
    static func accuracyAgainstIoU(_ models: [(name: String, confusion: ConfusionMatrix)]) -> String? {
        for x in models {
            for y in models where x.name != y.name {
                let (cx, cy) = (x.confusion, y.confusion)
                guard cx.pixelAccuracy - cy.pixelAccuracy > tie / 2, cy.meanIoU - cx.meanIoU > tie else { continue }
                let total = Double(cx.counts.reduce(0, +)), k = cx.classes
                func wrong(_ m: ConfusionMatrix, _ c: Int) -> Double { Double(m.truthTotal(c) - m[c, c]) / total }
                let name = regionName
                func pct(_ v: Double) -> String { fmt(100 * v, 1) }
                // Where y loses the most pixels to x, and the region x is worst at against y.
                let yLoses = (0..<k).max { wrong(cy, $0) - wrong(cx, $0) < wrong(cy, $1) - wrong(cx, $1) }!
                let xMisses = (0..<k).max { (cy.iou($0) ?? 0) - (cx.iou($0) ?? 0) < (cy.iou($1) ?? 0) - (cx.iou($1) ?? 0) }!
                let sizes = (0..<k).sorted { cx.truthTotal($0) > cx.truthTotal($1) }
                    .map { "\(name($0)) \(pct(Double(cx.truthTotal($0)) / total))%" }.joined(separator: ", ")
                return "Pixel accuracy ranks the \(x.name) above the \(y.name) (\(pct(cx.pixelAccuracy))% against "
                    + "\(pct(cy.pixelAccuracy))%), mean IoU the other way (\(fmt(cx.meanIoU, 3)) against \(fmt(cy.meanIoU, 3))). "
                    + "Accuracy counts pixels, and the regions are not the same size (\(sizes) of the held-out pixels). "
                    + "The \(y.name)'s mistakes on the \(name(yLoses)) cost it \(pct(wrong(cy, yLoses))) points of accuracy "
                    + "(the \(x.name)'s: \(pct(wrong(cx, yLoses)))); the \(x.name) scores IoU \(fmt(cx.iou(xMisses) ?? 0, 3)) on the "
                    + "\(name(xMisses)) against \(fmt(cy.iou(xMisses) ?? 0, 3)), which costs it "
                    + "\(wrong(cx, xMisses) < wrong(cy, yLoses) ? "only " : "")\(pct(wrong(cx, xMisses))) points. "
                    + "Mean IoU averages the regions with equal weight, so a missed \(name(xMisses)) counts as much as a "
                    + "misjudged \(name(yLoses)). Which score to trust depends on what the labels are for."
            }
        }
        return nil
    }

    /// The regions where another model's IoU beats the U-Net's by more than a tie, and the
    /// regions its lead comes from; nil when it is best (or tied) everywhere.
    static func whereTheUNetIsBehind(_ models: [(name: String, confusion: ConfusionMatrix)]) -> String? {
        guard let u = models.last?.confusion else { return nil }
        let others = models.dropLast()
        let name = regionName
        func best(_ c: Int) -> (name: String, iou: Double) {
            others.map { ($0.name, $0.confusion.iou(c) ?? 0) }.max { $0.1 < $1.1 }!
        }
        let behind = (0..<u.classes).filter { best($0).iou - (u.iou($0) ?? 0) > tie }
        guard !behind.isEmpty else { return nil }
        let ahead = (0..<u.classes).filter { (u.iou($0) ?? 0) - best($0).iou > tie }
        let list = behind.map { c in "\(name(c)) (\(best(c).name) \(fmt(best(c).iou, 3)) against \(fmt(u.iou(c) ?? 0, 3)))" }
        let leads = ahead.map { c in "\(name(c)) (\(fmt(u.iou(c) ?? 0, 3)) against \(best(c).name)'s \(fmt(best(c).iou, 3)))" }
        // In parts: Swift 6.0's type checker gives up on the one expression.
        let lower = "The U-Net is not the best on every region: its IoU is lower on \(list.joined(separator: ", ")). "
        let higher = leads.isEmpty ? "It leads by more than \(fmt(tie, 2)) on no region." : "It leads on \(leads.joined(separator: ", "))."
        return lower + higher + " Find those regions in masks.png."
    }

    /// Whether two measures order every pair of models the same way, in words. A pair closer
    /// than `tie` on either measure is a tie, and is said to be one rather than counted as a
    /// win or a disagreement. Higher is better on both (lake→sky comes in negated).
    public static func orderSentence(_ names: [String], _ nameA: String, _ a: [Double], _ unitA: String, tie tieA: Double,
                              _ nameB: String, _ b: [Double], _ unitB: String, tie tieB: Double) -> String {
        func show(_ v: Double, _ unit: String) -> String { unit == "%" ? fmt(abs(v), 1) + unit : fmt(v, unit.isEmpty ? 3 : 2) + unit }
        var flipped: [String] = [], tied: [String] = []
        for i in names.indices {
            for j in names.indices where j > i {
                let da = a[i] - a[j], db = b[i] - b[j]
                let pair = "the \(names[i]) and the \(names[j])"
                let values = "\(nameA) \(show(a[i], unitA)) against \(show(a[j], unitA)), \(nameB) \(show(b[i], unitB)) against \(show(b[j], unitB))"
                if abs(da) < tieA || abs(db) < tieB {
                    if abs(da) >= tieA || abs(db) >= tieB { tied.append("\(abs(da) < tieA ? nameA : nameB) cannot tell apart \(pair) (\(values))") }
                } else if (da > 0) != (db > 0) {
                    flipped.append("\(pair) (\(values))")
                }
            }
        }
        var text = flipped.isEmpty ? "\(nameA) and \(nameB) order the models the same way"
                                   : "\(nameA) and \(nameB) order " + flipped.joined(separator: " and ") + " the other way round"
        if !tied.isEmpty { text += "; " + tied.joined(separator: "; ") }
        return text + "."
    }
}
