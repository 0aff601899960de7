/// A horizontal bar chart rendered to an RGB `Image`: one band per category (e.g. a layer name,
/// listed top to bottom), one bar per series inside it (e.g. "plain" vs "residual"), values along
/// the bottom axis, optionally on a log scale (gradient norms span decades).
///
///     var chart = BarChart(title: "Gradient norm per layer", valueLabel: "|dL/dW|", logScale: true,
///                          categories: ["conv1", "conv2", "conv3"])
///     try chart.addSeries("plain", values: [1e-4, 3e-3, 0.2])
///     try chart.render(width: 640, height: 400).writePNG(to: path)
///
/// Bars of non-finite values (and of values <= 0 on a log scale) are left out. A series may carry
/// a spread per value (e.g. half the range over seeds), drawn as a whisker across its bar: a
/// difference between two bars is worth reading only when it is wider than their whiskers.
public struct BarChart {
    public var title: String
    public var valueLabel: String
    public var logScale: Bool
    public var categories: [String]
    public private(set) var series: [(name: String, values: [Double], spreads: [Double]?)] = []

    public init(title: String = "", valueLabel: String = "", logScale: Bool = false, categories: [String]) {
        self.title = title
        self.valueLabel = valueLabel
        self.logScale = logScale
        self.categories = categories
    }

    /// Adds a series: one value per category, in the same order, and optionally each value's
    /// spread (a whisker from value - spread to value + spread).
    public mutating func addSeries(_ name: String, values: [Double], spreads: [Double]? = nil) throws {
        guard values.count == categories.count, (spreads?.count ?? values.count) == values.count else {
            throw PixelIOError("bar chart series '\(name)' has \(values.count) value(s) and \(spreads?.count ?? values.count) spread(s) "
                + "for \(categories.count) categories")
        }
        series.append((name, values, spreads))
    }

    /// Draws the chart on a white `width` x `height` RGB image (at least 160x120).
    public func render(width: Int = 640, height: Int = 400) throws -> Image {
        guard width >= 160, height >= 120 else {
            throw PixelIOError("a bar chart needs at least 160x120 pixels, not \(width)x\(height)")
        }
        guard !categories.isEmpty else { throw PixelIOError("a bar chart needs at least one category") }
        let ends = series.flatMap { entry in entry.values.indices.flatMap { i in
            [entry.values[i] - (entry.spreads?[i] ?? 0), entry.values[i] + (entry.spreads?[i] ?? 0)] } }
        let axis = ChartAxis(covering: ends, log: logScale, includeZero: !logScale)
        var image = try Image(width: width, height: height, channels: 3, fill: .white)
        let frame = ChartFrame(width: width, height: height, title: title, xLabel: valueLabel, yLabel: "",
                               yTickLabels: categories)
        frame.drawAxes(on: &image, x: axis, y: nil)

        let plot = frame.plot
        let band = Double(plot.bottom - plot.top) / Double(categories.count)
        let barHeight = max(1, Int(band * 0.8) / max(1, series.count))
        let text = BitmapFont.height(scale: ChartFrame.textScale)
        // A log axis has no zero: bars grow from its left edge.
        let start = logScale ? plot.left : Int((axis.pixel(0, from: plot.left, to: plot.right) ?? Double(plot.left)).rounded())
        for (c, name) in categories.enumerated() {
            let bandTop = Double(plot.top) + band * Double(c)
            let w = BitmapFont.width(of: name, scale: ChartFrame.textScale)
            image.drawText(name, x: plot.left - ChartFrame.tick - 3 - w, y: Int(bandTop + band / 2) - text / 2, color: .black, scale: ChartFrame.textScale)
            let barsTop = Int(bandTop + band * 0.1)
            for (s, entry) in series.enumerated() {
                guard let end = axis.pixel(entry.values[c], from: plot.left, to: plot.right).map({ Int($0.rounded()) }) else { continue }
                let (x0, x1) = (min(start, end), max(start, end))
                image.fillRect(x: x0, y: barsTop + s * barHeight, width: max(1, x1 - x0), height: max(1, barHeight - 1),
                               color: LineChart.color(ofSeries: s))
                if let spread = entry.spreads?[c], spread > 0,
                   let lo = axis.pixel(entry.values[c] - spread, from: plot.left, to: plot.right),
                   let hi = axis.pixel(entry.values[c] + spread, from: plot.left, to: plot.right) {
                    let (y, cap) = (barsTop + s * barHeight + barHeight / 2, max(2, barHeight / 3))
                    let (a, b) = (Int(lo.rounded()), Int(hi.rounded()))
                    image.drawLine(x0: a, y0: y, x1: b, y1: y, color: .black)
                    for x in [a, b] { image.drawLine(x0: x, y0: y - cap, x1: x, y1: y + cap, color: .black) }
                }
            }
        }
        frame.drawLegend(on: &image, entries: series.enumerated().map { ($0.element.name, LineChart.color(ofSeries: $0.offset), false) })
        return image
    }
}
