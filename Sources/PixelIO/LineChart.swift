/// A line chart rendered to an RGB `Image`: loss curves (train vs. validation, one per model) and,
/// with `logY`, quantities that span decades such as per-layer gradient norms.
///
///     var chart = LineChart(title: "Training loss", xLabel: "step", yLabel: "MSE", logY: true)
///     chart.addSeries("U-Net", points: losses.enumerated().map { (x: Double($0), y: $1) })
///     try chart.render(width: 640, height: 400).writePNG(to: "Outputs/lesson1/curves.png")
///
/// Axes have numeric tick labels and light grid lines; each series gets the next color of
/// `Color.palette` and an entry in the legend (top right). Non-finite points are skipped, and so
/// are zero or negative values on a log axis.
public struct LineChart {
    public struct Series {
        public var name: String
        public var points: [(x: Double, y: Double)]
        /// Dots instead of a line (e.g. a held-out loss measured every few hundred steps).
        public var dots = false
        /// Draw in the color of series `colorOf` (e.g. a model's held-out dots in its training
        /// line's color); nil: the series' own palette color.
        public var colorOf: Int?
        /// False: no legend entry of its own (see `legendNotes`).
        public var inLegend = true
        public init(name: String, points: [(x: Double, y: Double)], dots: Bool = false, colorOf: Int? = nil,
                    inLegend: Bool = true) {
            self.name = name
            self.points = points
            self.dots = dots
            self.colorOf = colorOf
            self.inLegend = inLegend
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logY: Bool
    public var series: [Series]
    /// Extra legend rows in gray after the series', e.g. one "held-out (dots)" row standing for
    /// every model's held-out dots, each in its model's color.
    public var legendNotes: [(name: String, dots: Bool)] = []

    public init(title: String = "", xLabel: String = "", yLabel: String = "", logY: Bool = false,
                series: [Series] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logY = logY
        self.series = series
    }

    public mutating func addSeries(_ name: String, points: [(x: Double, y: Double)], dots: Bool = false, colorOf: Int? = nil,
                                   inLegend: Bool = true) {
        series.append(Series(name: name, points: points, dots: dots, colorOf: colorOf, inLegend: inLegend))
    }

    /// The legend's rows: the series that have one, then the notes.
    private var legendEntries: [(name: String, color: Color, dots: Bool)] {
        var entries: [(name: String, color: Color, dots: Bool)] = []
        for i in series.indices where series[i].inLegend { entries.append((series[i].name, color(of: i), series[i].dots)) }
        for note in legendNotes { entries.append((note.name, Color.gray(0.45), note.dots)) }
        return entries
    }

    private func color(of index: Int) -> Color { LineChart.color(ofSeries: series[index].colorOf ?? index) }

    /// The color series `index` is drawn with.
    public static func color(ofSeries index: Int) -> Color { Color.palette[index % Color.palette.count] }

    /// Draws the chart on a white `width` x `height` RGB image (at least 160x120).
    public func render(width: Int = 640, height: Int = 400) throws -> Image {
        guard width >= 160, height >= 120 else {
            throw PixelIOError("a line chart needs at least 160x120 pixels, not \(width)x\(height)")
        }
        let all = series.flatMap(\.points)
        let xAxis = ChartAxis(covering: all.map(\.x), log: false, endAtData: true)
        let yAxis = ChartAxis(covering: all.map(\.y), log: logY)
        var image = try Image(width: width, height: height, channels: 3, fill: .white)
        let frame = ChartFrame(width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel,
                               yTickLabels: yAxis.labels, legend: legendEntries.map(\.name))
        frame.drawAxes(on: &image, x: xAxis, y: yAxis)

        let plot = frame.plot
        for (index, line) in series.enumerated() {
            let color = color(of: index)
            var previous: (Int, Int)?
            for point in line.points {
                guard let px = xAxis.pixel(point.x, from: plot.left, to: plot.right),
                      let py = yAxis.pixel(point.y, from: plot.bottom, to: plot.top) else {
                    previous = nil  // a gap in the data: do not bridge it
                    continue
                }
                let current = (Int(px.rounded()), Int(py.rounded()))
                if line.dots {
                    image.fillRect(x: current.0 - 4, y: current.1 - 4, width: 9, height: 9, color: color)
                    image.fillRect(x: current.0 - 2, y: current.1 - 2, width: 5, height: 5, color: .white)
                    continue
                }
                if let previous {
                    image.drawLine(x0: previous.0, y0: previous.1, x1: current.0, y1: current.1, color: color, thickness: 2)
                } else {
                    image.fillRect(x: current.0 - 1, y: current.1 - 1, width: 3, height: 3, color: color)
                }
                previous = current
            }
        }
        frame.drawLegend(on: &image, entries: legendEntries)
        return image
    }
}

/// The parts every chart shares: title, axis titles, plot rectangle, ticks, grid and legend.
struct ChartFrame {
    let title: String, xLabel: String, yLabel: String
    /// The plot area in pixels (inclusive edges).
    let plot: (left: Int, right: Int, top: Int, bottom: Int)
    let width: Int, height: Int
    static let tick = 4, margin = 8
    static let axisColor = Color.gray(0.15), gridColor = Color.gray(0.88)
    /// Titles at three times the bitmap font, or smaller when a long title would not fit.
    static func titleScale(_ title: String, width: Int) -> Int {
        (1...3).reversed().first { BitmapFont.width(of: title, scale: $0) <= width - 2 * margin } ?? 1
    }
    /// Ticks, axis labels and legend: twice the bitmap font, readable at a glance.
    static let textScale = 2

    /// The legend's names: drawn right of the plot, which is narrowed to make room, so the
    /// legend never covers a line.
    let legend: [String]

    init(width: Int, height: Int, title: String, xLabel: String, yLabel: String,
         yTickLabels: [String], leftLabelWidth: Int = 0, legend: [String] = []) {
        self.legend = legend
        self.width = width; self.height = height
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
        let text = BitmapFont.height(scale: ChartFrame.textScale)
        let titleBlock = title.isEmpty ? 0 : BitmapFont.height(scale: ChartFrame.titleScale(title, width: width)) + ChartFrame.margin
        let yTitleBlock = yLabel.isEmpty ? 0 : text + ChartFrame.margin
        let yTickWidth = max(leftLabelWidth, yTickLabels.map { BitmapFont.width(of: $0, scale: ChartFrame.textScale) }.max() ?? 0)
        let left = ChartFrame.margin + yTickWidth + 3 + ChartFrame.tick
        let top = ChartFrame.margin + titleBlock + yTitleBlock + text / 2
        let bottom = height - 1 - ChartFrame.margin - (xLabel.isEmpty ? 0 : text + ChartFrame.margin)
            - text - 3 - ChartFrame.tick
        let legendWidth = legend.isEmpty ? 0 : ChartFrame.legendWidth(legend) + ChartFrame.margin
        let right = width - 1 - ChartFrame.margin - BitmapFont.width(of: "0000", scale: ChartFrame.textScale) / 2 - legendWidth
        plot = (left, max(left + 10, right), top, max(top + 10, bottom))
    }

    /// Title, axis titles, grid lines, ticks with labels, and the axis lines themselves.
    func drawAxes(on image: inout Image, x: ChartAxis?, y: ChartAxis?, yCategories: [String] = []) {
        let text = BitmapFont.height(scale: ChartFrame.textScale)
        if !title.isEmpty {
            let scale = ChartFrame.titleScale(title, width: width)
            let w = BitmapFont.width(of: title, scale: scale)
            image.drawText(title, x: max(ChartFrame.margin, (width - w) / 2), y: ChartFrame.margin,
                           color: .black, scale: scale)
        }
        if !yLabel.isEmpty {
            image.drawText(yLabel, x: ChartFrame.margin, y: plot.top - text / 2 - ChartFrame.margin - text, color: .black, scale: ChartFrame.textScale)
        }
        if !xLabel.isEmpty {
            let w = BitmapFont.width(of: xLabel, scale: ChartFrame.textScale)
            image.drawText(xLabel, x: (plot.left + plot.right - w) / 2, y: height - 1 - ChartFrame.margin - text, color: .black, scale: ChartFrame.textScale)
        }
        if let x {
            for (tick, label) in zip(x.ticks, x.labels) {
                guard let px = x.pixel(tick, from: plot.left, to: plot.right).map({ Int($0.rounded()) }) else { continue }
                image.fillRect(x: px, y: plot.top, width: 1, height: plot.bottom - plot.top, color: ChartFrame.gridColor)
                image.fillRect(x: px, y: plot.bottom, width: 1, height: ChartFrame.tick + 1, color: ChartFrame.axisColor)
                let w = BitmapFont.width(of: label, scale: ChartFrame.textScale)
                image.drawText(label, x: px - w / 2, y: plot.bottom + ChartFrame.tick + 3, color: ChartFrame.axisColor, scale: ChartFrame.textScale)
            }
        }
        if let y {
            for (tick, label) in zip(y.ticks, y.labels) {
                guard let py = y.pixel(tick, from: plot.bottom, to: plot.top).map({ Int($0.rounded()) }) else { continue }
                image.fillRect(x: plot.left, y: py, width: plot.right - plot.left, height: 1, color: ChartFrame.gridColor)
                image.fillRect(x: plot.left - ChartFrame.tick, y: py, width: ChartFrame.tick + 1, height: 1, color: ChartFrame.axisColor)
                let w = BitmapFont.width(of: label, scale: ChartFrame.textScale)
                image.drawText(label, x: plot.left - ChartFrame.tick - 3 - w, y: py - text / 2, color: ChartFrame.axisColor, scale: ChartFrame.textScale)
            }
        }
        image.fillRect(x: plot.left, y: plot.top, width: 1, height: plot.bottom - plot.top + 1, color: ChartFrame.axisColor)
        image.fillRect(x: plot.left, y: plot.bottom, width: plot.right - plot.left + 1, height: 1, color: ChartFrame.axisColor)
    }

    static let legendSample = 16

    /// Width of the legend box for `names`.
    static func legendWidth(_ names: [String]) -> Int {
        6 + legendSample + 4 + (names.map { BitmapFont.width(of: $0, scale: ChartFrame.textScale) }.max() ?? 0) + 6
    }

    /// A boxed legend: a short line in each color, then its name. Right of the plot when the
    /// frame made room for it (`legend`), else in the plot's top-right corner (bar charts).
    /// `dots`: the entry's sample is a dot (a dotted series), else a line.
    func drawLegend(on image: inout Image, entries: [(name: String, color: Color, dots: Bool)]) {
        guard !entries.isEmpty else { return }
        let text = BitmapFont.height(scale: ChartFrame.textScale), sample = ChartFrame.legendSample, rowHeight = text + 4
        let boxWidth = ChartFrame.legendWidth(entries.map(\.name))
        let boxHeight = 4 + rowHeight * entries.count + 2
        let outside = !legend.isEmpty
        let left = outside ? plot.right + ChartFrame.margin + BitmapFont.width(of: "0000", scale: ChartFrame.textScale) / 2 : plot.right - 6 - boxWidth
        let top = outside ? plot.top : plot.top + 6
        image.fillRect(x: left, y: top, width: boxWidth, height: boxHeight, color: .white)
        image.strokeRect(x: left, y: top, width: boxWidth, height: boxHeight, color: Color.gray(0.6))
        for (i, entry) in entries.enumerated() {
            let rowTop = top + 4 + i * rowHeight
            if entry.dots {
                let x = left + 6 + sample / 2, y = rowTop + text / 2
                image.fillRect(x: x - 4, y: y - 4, width: 9, height: 9, color: entry.color)
                image.fillRect(x: x - 2, y: y - 2, width: 5, height: 5, color: .white)
            } else {
                image.fillRect(x: left + 6, y: rowTop + text / 2 - 1, width: sample, height: 3, color: entry.color)
            }
            image.drawText(entry.name, x: left + 6 + sample + 4, y: rowTop, color: .black, scale: ChartFrame.textScale)
        }
    }
}
