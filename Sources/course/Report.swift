import CourseKit
import Foundation

/// `Outputs/report.html`: every lesson's conclusion, pictures and numbers on one page that opens
/// offline (pictures are embedded as data URIs), with the reference run's numbers beside the
/// learner's.
struct Report {
    let outputs: URL

    func html() throws -> String {
        var body = """
        <h1>UNetFromScratch — what do a U-Net's skip connections do?</h1>
        <p class="meta">Made by <code>swift run course compare</code> on \(escape(ISO8601DateFormatter().string(from: Date()))) \
        from the runs in <code>\(escape(outputs.lastPathComponent))/</code>.</p>
        """
        body += "<p class=\"answer\">\(escape(answer()))</p>\n"
        body += "<ul class=\"toc\">" + LessonCatalog.lessons.map {
            "<li><a href=\"#lesson\($0.number)\">Lesson \($0.number) — \(escape($0.title))</a></li>"
        }.joined() + "</ul>\n"
        let compare = outputs.appendingPathComponent("compare.png")
        if let image = dataURI(compare) {
            body += """
            <h2>Every model on the same held-out scenes</h2>
            <p>Columns: gray input, true colors, then each lesson's model. The plain stack (lesson 2) keeps the \
            detail but cannot tell lake from sky; the autoencoder (lesson 4) gets the colors of large regions and \
            blurs the rest; the U-Net (lesson 5) gets both.</p>
            <img class="wide" src="\(image)" alt="compare.png">
            """
        }
        body += metricsTable()
        body += segmentationTable()
        for lesson in LessonCatalog.lessons { body += section(lesson) }
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>UNetFromScratch report</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
        h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
        img { image-rendering: pixelated; max-width: 100%; margin: 0.5em 0; border: 1px solid #ddd; }
        table { border-collapse: collapse; margin: 1em 0; } td, th { padding: 0.25em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: right; }
        td:first-child, th:first-child, td:nth-child(2), th:nth-child(2) { text-align: left; }
        .ref { color: #888; font-size: 0.85em; } .meta { color: #666; } pre { background: #f6f6f6; padding: 0.7em; overflow-x: auto; }
        .missing { color: #a33; } .answer { font-size: 1.1em; background: #f3f7ff; padding: 0.8em; border-left: 4px solid #47c; }
        </style></head>
        <body>
        \(body)
        </body></html>
        """
    }

    /// Lesson 7's segmenters, when it has run.
    func segmentationTable() -> String {
        let path = outputs.appendingPathComponent("lesson7/metrics.json").path
        guard FileManager.default.fileExists(atPath: path) else { return "" }
        guard let file = try? SegmentationMetricsFile.read(path) else {
            return "<p class=\"missing\">\(escape(path)) is unreadable: rerun lesson 7</p>\n"
        }
        var rows = ""
        for m in file.models {
            rows += "<tr><td>\(escape(m.model))</td><td>\(fmt(m.pixelAccuracy, 3))</td><td>\(fmt(m.meanIoU, 3))</td><td>\(fmt(m.boundaryF1, 3))</td>"
                + "<td>\(fmt(m.iou["horse"] ?? 0, 3))</td><td>\(fmt(m.iou["flower"] ?? 0, 3))</td><td>\(fmt(100 * m.lakeAsSky, 1))%</td>"
                + "<td>\(m.steps)</td><td>\(m.seed)</td></tr>\n"
        }
        return "<h3>Lesson 7: the same models segmenting</h3>\n<table><tr><th>model</th><th>pixel acc</th><th>mean IoU</th>"
            + "<th>boundary F1</th><th>horse IoU</th><th>flower IoU</th><th>lake→sky</th><th>steps</th><th>seed</th></tr>\n" + rows + "</table>\n"
    }

    /// Lessons 2-5's models: the learner's numbers with the reference run's beside them.
    func metricsTable() -> String {
        var rows = ""
        for lesson in [2, 3, 4, 5] {
            let path = outputs.appendingPathComponent("lesson\(lesson)/metrics.json").path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let file = try? MetricsFile.read(path) else {
                rows += "<tr><td>lesson \(lesson)</td><td colspan=\"8\">\(escape(path)) is unreadable: rerun lesson \(lesson)</td></tr>\n"
                continue
            }
            let reference = ReferenceRun.metrics(lesson: lesson)
            for m in file.models {
                let ref = reference?.models.first { $0.model == m.model }
                func cell(_ value: Double, _ refValue: Double?, _ digits: Int = 2) -> String {
                    "<td>\(fmt(value, digits))" + (refValue.map { " <span class=\"ref\">(\(fmt($0, digits)))</span>" } ?? "") + "</td>"
                }
                rows += "<tr><td>lesson \(lesson)</td><td>\(escape(m.model))</td>" + cell(m.psnr, ref?.psnr) + cell(m.ssim, ref?.ssim, 3)
                    + cell(m.psnrLow, ref?.psnrLow) + cell(m.psnrHigh, ref?.psnrHigh) + "<td>\(m.params)</td><td>\(m.steps)</td><td>\(m.seed)</td>"
                    + cell(m.seconds, ref?.seconds, 0) + "</tr>\n"
            }
        }
        guard !rows.isEmpty else { return "" }
        return """
        <h2>Held-out metrics</h2>
        <p>Mean over the held-out scenes (never trained on); higher is better. PSNR low scores the big picture \
        (colors blurred over a few pixels), PSNR high the detail. <span class="ref">(In gray: the reference run in \
        <code>Reference/</code>, default flags.)</span> Lesson 3 trains on 32x32 scenes, so its numbers do not \
        compare with lessons 2, 4, 5.</p>
        <table><tr><th>lesson</th><th>model</th><th>PSNR dB</th><th>SSIM</th><th>PSNR low</th><th>PSNR high</th>\
        <th>params</th><th>steps</th><th>seed</th><th>seconds</th></tr>
        \(rows)</table>
        """
    }

    /// One lesson: its conclusion and pictures, or how to run it.
    func section(_ lesson: LessonCatalog.Entry) -> String {
        let folder = outputs.appendingPathComponent("lesson\(lesson.number)")
        var html = "<h2 id=\"lesson\(lesson.number)\">Lesson \(lesson.number) — \(escape(lesson.title))</h2>\n"
        let record: LessonRecord
        do {
            guard let found = try LessonRecord.read(from: folder) else {
                return html + "<p class=\"missing\">Not run yet: <code>swift run -c release \(lesson.executable)</code></p>\n"
            }
            record = found
        } catch {
            return html + "<p class=\"missing\">\(escape("\(error)")): <code>swift run -c release \(lesson.executable)</code></p>\n"
        }
        html += "<p class=\"meta\">Run \(escape(record.finished)) in \(fmt(record.seconds, 0)) s — \(escape(record.settings)).</p>\n"
        for paragraph in record.conclusion.components(separatedBy: "\n\n") {
            html += "<p>\(emphasized(escape(paragraph)))</p>\n"
        }
        for name in record.pictures {
            let file = folder.appendingPathComponent(name)
            if name.hasSuffix(".png"), let image = dataURI(file) {
                html += "<figure><img src=\"\(image)\" alt=\"\(escape(name))\"><figcaption>\(escape(name))</figcaption></figure>\n"
            } else if name.hasSuffix(".txt"), let text = try? readFileText(file.path) {
                html += "<pre>\(escape(text))</pre>\n"
            }
        }
        return html
    }

    /// The file as a `data:image/png;base64,...` URI, or nil if it cannot be read.
    func dataURI(_ file: URL) -> String? {
        guard let bytes = try? readFileBytes(file.path, maxBytes: ReadLimit.picture) else { return nil }
        return "data:image/png;base64," + Data(bytes).base64EncodedString()
    }

    /// The page's first paragraph: the title's question answered with the learner's own numbers
    /// (lessons 2, 4, 5 and 7), each clause chosen by them.
    func answer() -> String {
        func model(_ lesson: Int, _ name: String) -> MetricsRecord? {
            (try? MetricsFile.read(outputs.appendingPathComponent("lesson\(lesson)/metrics.json").path))?.models.first { $0.model == name }
        }
        guard let plain = model(2, "plain"), let ae = model(4, "autoencoder"), let unet = model(5, "unet") else {
            return "The answer, in your numbers, appears here once lessons 2, 4 and 5 have run (swift run -c release course all)."
        }
        var text = "In your runs, on detail (PSNR of the high band) the U-Net scores \(fmt(unet.psnrHigh)) dB against the "
            + "autoencoder's \(fmt(ae.psnrHigh)) dB: "
            + (unet.psnrHigh > ae.psnrHigh ? "the skips carry back the detail the bottleneck loses (\(signed(unet.psnrHigh - ae.psnrHigh)) dB). "
                                            : "here the skips did not bring the detail back. ")
            + "On the big picture (low band) it scores \(fmt(unet.psnrLow)) dB against the plain stack's \(fmt(plain.psnrLow)) dB: "
            + (unet.psnrLow > plain.psnrLow ? "its wider view (a window \(CourseModel.receptiveFields.deepestSkip) px wide through its deepest "
                + "skip level, \(CourseModel.receptiveFields.bottleneck) px through its bottleneck, against the plain stack's "
                + "\(CourseModel.receptiveFields.plain) px) tells lake from sky (\(signed(unet.psnrLow - plain.psnrLow)) dB)."
                                           : "here it did not beat the plain stack on context.")
        if let seg = try? SegmentationMetricsFile.read(outputs.appendingPathComponent("lesson7/metrics.json").path),
           let s = seg.models.first(where: { $0.model == "unet" }), let a = seg.models.first(where: { $0.model == "autoencoder" }),
           let p = seg.models.first(where: { $0.model == "plain" }) {
            text += " Segmenting (lesson 7), the U-Net's edges score a boundary F1 of \(fmt(s.boundaryF1, 3)) against the autoencoder's "
                + "\(fmt(a.boundaryF1, 3)), and it labels \(fmt(100 * s.lakeAsSky, 1))% of the lake as sky against the plain stack's "
                + "\(fmt(100 * p.lakeAsSky, 1))%."
        }
        return text
    }

    /// `*word*` in a lesson's text as emphasis (the text is plain, written for the terminal).
    func emphasized(_ html: String) -> String {
        html.replacingOccurrences(of: #"\*([^*\s][^*]*[^*\s]|[^*\s])\*"#, with: "<em>$1</em>", options: .regularExpression)
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
