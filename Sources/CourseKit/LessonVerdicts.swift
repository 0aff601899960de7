/// The sentences of the lessons' conclusions that explain *why*, each chosen by this run's
/// numbers: a sentence that the measurements contradict is never printed.
///
/// A margin under `clear` dB is called too thin to read anything into (seed-to-seed spread of
/// the lessons' scores is a few tenths of a dB).
public enum LessonVerdicts {
    public static let clear = 0.3

    /// Lessons 2, 4 and 5: a model's detail score beside two pictures without detail (`Baselines`),
    /// so "24 dB on the detail" can be read; compared with the blurred colors, the better of the
    /// two (a flat color's high band is exactly zero, the blurred colors keep a trace). Nil
    /// without baselines.
    public static func detailAgainstBaseline(_ model: String, psnrHigh: Double, baselines: Baselines?) -> String? {
        guard let baselines else { return nil }
        let none = baselines.blurredTarget.psnrHigh, margin = psnrHigh - none
        let reading = margin >= clear ? "\(signed(margin)) dB above the blurred colors: it recovered part of the detail"
            : margin > -clear ? "about the same as the blurred colors: it recovered almost none of the detail"
            : "\(signed(margin)) dB below the blurred colors: the detail it painted is further off than none at all"
        return "Two pictures without detail, for scale: on the detail band the true colors blurred score \(fmt(none)) dB "
            + "and one flat color \(fmt(baselines.flatColor.psnrHigh)) dB. Your \(model)'s \(fmt(psnrHigh)) dB is \(reading)."
    }

    /// Lesson 4: the autoencoder against the plain stack (nil: lesson 2 not run on these data).
    /// `meadow`: the data are the meadow scenes (sky, lake, blades), else the learner's own pictures.
    public static func autoencoderWhy(autoencoder: QualityScores, collapsed: Bool, plain: MetricsRecord?,
                                      bottleneckSide: Int, steps: Int, meadow: Bool = true) -> String {
        let decision = summaryDecides(meadow: meadow)
        let fine = meadow ? "a 1-px blade" : "a 1-px edge"
        if collapsed {
            return "Why: there is nothing to explain this time — the autoencoder collapsed (above), so it decided "
                + "nothing about the picture. Rerun with another --seed before reading its scores."
        }
        guard let plain else {
            return "Why: every color now comes from a summary that sees the whole scene; the exact position of "
                + "\(fine) has to survive three poolings and be redrawn from an \(bottleneckSide)x\(bottleneckSide) grid. "
                + "Run lesson 2 first to measure both effects against the plain stack."
        }
        let bigPicture = autoencoder.psnrLow - plain.psnrLow, detail = plain.psnrHigh - autoencoder.psnrHigh
        var text = "Why: "
        if bigPicture >= clear {
            text += "every color now comes from a summary that sees the whole scene, which can \(decision): "
                + "\(signed(bigPicture)) dB on the big picture over the plain stack. "
        } else {
            text += "the summary that sees the whole scene should \(decision), but in this run the "
                + "autoencoder did not beat the plain stack on the big picture (\(signed(bigPicture)) dB): "
                + "\(steps) steps may be too few for this seed — try more --steps or another --seed. "
        }
        if detail >= clear {
            text += "The exact position of \(fine) has to survive three poolings and be redrawn from an "
                + "\(bottleneckSide)x\(bottleneckSide) grid, so the detail is blurred: \(signed(-detail)) dB on the "
                + "detail band against the plain stack."
        } else {
            text += "Surprisingly, the detail band did not suffer (\(signed(-detail)) dB against the plain stack): "
                + "look at samples.png to see whether the fine detail really survived the bottleneck."
        }
        return text + " Lesson 5 hands the decoder the detail directly."
    }

    /// Lesson 5: what the skips add, measured against the same network without them (lesson 4).
    /// `ignoresBottleneck`: the switch-off test found the bottleneck unused (`ignoresBottleneck(full:skipsOnly:)`),
    /// so the summary the decoder uses came up the skips; `meadow`: the meadow scenes, else the learner's pictures.
    public static func uNetWhy(unet: QualityScores, collapsed: Bool, autoencoder: MetricsRecord?,
                               ignoresBottleneck: Bool = false, meadow: Bool = true) -> String {
        let decision = summaryDecides(meadow: meadow)
        let summary = ignoresBottleneck
            ? "a summary that can \(decision), which this U-Net took from its deeper skips rather than its bottleneck (above)"
            : "the upsampled summary, which can \(decision)"
        let mechanism = "Why: the decoder's last convs see two things at once — \(summary), and the full-resolution "
            + "encoder features, which say exactly where each \(meadow ? "blade and flower" : "edge") is."
        if collapsed {
            return "Why: the U-Net collapsed this run (above), so its scores say nothing about skips. Rerun with another --seed."
        }
        guard let ae = autoencoder else {
            return mechanism + " Run lesson 4 to measure what the skips add over the same network without them."
        }
        if ae.collapsed == true {
            return mechanism + " Lesson 4's autoencoder collapsed, so it is no baseline: rerun lesson 4 (another --seed) to measure what the skips add."
        }
        let detail = unet.psnrHigh - ae.psnrHigh
        if detail >= clear {
            return mechanism + " That is what \"skip connections recover fine-grained detail\" means, measured: "
                + "\(signed(detail)) dB on the detail band over the same network without skips."
        }
        return mechanism + " In this run, though, the U-Net did not clearly beat the autoencoder on the detail band "
            + "(\(signed(detail)) dB): try more --steps or another --seed."
    }

    /// Lesson 5: which margin over the plain stack is the thin one.
    public static func uNetAgainstPlain(unet: QualityScores, plain: MetricsRecord) -> String {
        let high = unet.psnrHigh - plain.psnrHigh, low = unet.psnrLow - plain.psnrLow
        let detail = high >= clear ? "the U-Net's margin there is the thin one"
            : high > 0 ? "the U-Net's margin there is too thin to call"
            : "there the U-Net did not beat it"
        return "Detail is the plain stack's strength — every one of its convs works at full resolution — so "
            + "\(detail) (\(signed(high)) dB high, against \(signed(low)) dB low). The margin varies from seed to "
            + "seed: try --seed 2 and 3 on lessons 2 and 5."
    }

    /// What a summary of the whole scene can decide: on the meadow scenes, sky or lake.
    static func summaryDecides(meadow: Bool) -> String { meadow ? "decide sky or lake" : "decide what each region is" }

    /// Switching the bottleneck off changes neither band by a clear margin: the trained U-Net
    /// does not use it.
    public static func ignoresBottleneck(full: QualityScores, skipsOnly: QualityScores) -> Bool {
        abs(full.psnrLow - skipsOnly.psnrLow) < clear && abs(full.psnrHigh - skipsOnly.psnrHigh) < clear
    }

    /// Lesson 5: the trained U-Net with one path switched off at test time (no retraining):
    /// `skipsOnly` with the bottleneck zeroed, `bottleneckOnly` with the skips zeroed.
    public static func whatEachPathCarries(full: QualityScores, skipsOnly: QualityScores, bottleneckOnly: QualityScores) -> String {
        var text = "Switch one path off in the trained U-Net (at test time, no retraining; skips.png): with the "
            + "bottleneck zeroed it scores \(fmt(skipsOnly.psnrHigh)) dB on the detail and \(fmt(skipsOnly.psnrLow)) dB on "
            + "the big picture; with the skips zeroed, \(fmt(bottleneckOnly.psnrHigh)) and \(fmt(bottleneckOnly.psnrLow)) dB "
            + "(both paths: \(fmt(full.psnrHigh)) and \(fmt(full.psnrLow)))."
        let detail = skipsOnly.psnrHigh - bottleneckOnly.psnrHigh
        if detail >= clear {
            text += " The detail comes across the skips: with the skips alone the detail band is \(signed(detail)) dB "
                + "above the bottleneck alone, which has only the coarse summary to redraw it from."
        } else {
            text += " In this run the skips alone carry no more detail than the bottleneck alone (\(signed(detail)) dB)."
        }
        let lostWithoutBottleneck = full.psnrLow - skipsOnly.psnrLow, lostWithoutSkips = full.psnrLow - bottleneckOnly.psnrLow
        let large = 3.0
        if ignoresBottleneck(full: full, skipsOnly: skipsOnly) {
            // A U-Net can learn to read only its skips (at 64 px the deepest one already sees
            // most of the scene): say so, instead of a story about what the bottleneck does.
            text += " This U-Net ignores its bottleneck: switched off, nothing changes (\(signed(-lostWithoutBottleneck)) dB on the "
                + "big picture, \(signed(skipsOnly.psnrHigh - full.psnrHigh)) on the detail). It learned to take everything, the big "
                + "picture included, from its skips; the bottleneck's weights trained but carry nothing the decoder uses. "
                + "(Lesson 6 trains a U-Net whose bottleneck is always zero: the same thing, on purpose.) On photographs, twice "
                + "the steps, another learning rate or skip dropout did not make the U-Net use its bottleneck (`tools/photo-bottleneck.sh`; "
                + "DocC lesson 5, \"On photographs\")."
        } else if lostWithoutBottleneck >= large && lostWithoutSkips >= large {
            text += " Neither path alone keeps the big picture (\(signed(-lostWithoutBottleneck)) dB with the skips only, "
                + "\(signed(-lostWithoutSkips)) dB with the bottleneck only): the trained decoder mixes the two everywhere, so "
                + "switching one off measures how much it relies on it, not what that path could carry on its own "
                + "(lesson 6 trains a U-Net whose bottleneck is always zero to ask that)."
        } else if lostWithoutBottleneck >= large {
            text += " The big picture comes up the bottleneck: without it the big picture loses \(fmt(lostWithoutBottleneck)) dB, "
                + "without the skips \(fmt(lostWithoutSkips)) dB."
        } else if lostWithoutSkips >= large {
            text += " The big picture survives without the bottleneck (\(signed(-lostWithoutBottleneck)) dB) but not without "
                + "the skips (\(signed(-lostWithoutSkips)) dB): their deeper levels see enough of the scene."
        } else {
            text += " The big picture barely depends on either path alone (\(signed(-lostWithoutBottleneck)) and "
                + "\(signed(-lostWithoutSkips)) dB)."
        }
        return text + " skip-features.png shows what the skips carry: each level's most varied channels for one scene."
    }
}
