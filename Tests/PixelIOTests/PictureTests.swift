import XCTest
@testable import PixelIO

/// Enlarging, channel conversion, cropping and pasting.
final class PictureTests: XCTestCase {
    private func ramp(width: Int, height: Int, channels: Int) throws -> Image {
        let count = width * height * channels
        return try Image(width: width, height: height, channels: channels,
                         pixels: (0..<count).map { Float($0) / Float(count) })
    }

    func testUpscaledRepeatsEveryPixelAsABlock() throws {
        let image = try ramp(width: 3, height: 2, channels: 3)
        let big = try image.upscaled(by: 4)
        XCTAssertEqual([big.width, big.height, big.channels], [12, 8, 3])
        for y in 0..<8 { for x in 0..<12 { for c in 0..<3 {
            XCTAssertEqual(big[x, y, c], image[x / 4, y / 4, c])
        } } }
        XCTAssertEqual(try image.upscaled(by: 1), image)
        XCTAssertThrowsError(try image.upscaled(by: 0))
    }

    func testChannelConversions() throws {
        let gray = try Image(width: 2, height: 1, channels: 1, pixels: [0.25, 1])
        XCTAssertEqual(try gray.toRGB().pixels, [0.25, 0.25, 0.25, 1, 1, 1])
        XCTAssertEqual(try gray.converted(toChannels: 2).pixels, [0.25, 1, 1, 1], "opaque alpha added")
        let rgba = try Image(width: 1, height: 1, channels: 4, pixels: [1, 0, 0, 0.5])
        XCTAssertEqual(try rgba.toRGB().pixels, [1, 0, 0], "alpha dropped")
        XCTAssertEqual(try rgba.converted(toChannels: 1).pixels[0], 0.299, accuracy: 1e-6, "BT.601 luminance of red")
        XCTAssertEqual(try rgba.converted(toChannels: 2).pixels[1], 0.5, "alpha kept")
    }

    func testCropAndPaste() throws {
        let image = try ramp(width: 5, height: 4, channels: 2)
        let piece = try image.cropped(x: 1, y: 2, width: 3, height: 2)
        XCTAssertEqual([piece.width, piece.height, piece.channels], [3, 2, 2])
        XCTAssertEqual(piece[0, 0, 1], image[1, 2, 1])
        XCTAssertEqual(piece[2, 1, 0], image[3, 3, 0])
        XCTAssertThrowsError(try image.cropped(x: 3, y: 0, width: 3, height: 1)) { error in
            XCTAssertTrue("\(error)".contains("cannot crop 3x1 at (3, 0) from a 5x4 image"), "\(error)")
        }

        var canvas = try Image(width: 4, height: 4, channels: 3, fill: .black)
        let white = try Image(width: 3, height: 3, channels: 1, fill: .white)
        try canvas.paste(white, x: 2, y: -1)  // hangs off the top and the right: clipped
        for y in 0..<4 { for x in 0..<4 {
            let inside = x >= 2 && y <= 1
            XCTAssertEqual(canvas[x, y, 1], inside ? 1 : 0, "pixel \(x),\(y)")
        } }
    }
}

/// The built-in font and text drawing.
final class TextTests: XCTestCase {
    private func glyphBits(_ character: Character) -> [Bool] {
        (0..<BitmapFont.glyphHeight).flatMap { row in
            (0..<BitmapFont.glyphWidth).map { BitmapFont.isInk(character, column: $0, row: row) }
        }
    }

    func testEveryPrintableCharacterHasItsOwnGlyph() {
        let printable = (33...126).map { Character(UnicodeScalar(UInt8($0))) }
        var seen = [[Bool]: Character]()
        for character in printable {
            let bits = glyphBits(character)
            XCTAssertTrue(bits.contains(true), "'\(character)' has no ink")
            if let other = seen[bits] { XCTFail("'\(character)' looks exactly like '\(other)'") }
            seen[bits] = character
        }
        XCTAssertFalse(glyphBits(" ").contains(true))
        XCTAssertEqual(glyphBits("é"), glyphBits("?"), "outside ASCII shows as '?'")
    }

    func testDrawTextPutsTheGlyphWhereAsked() throws {
        var image = try Image(width: 20, height: 12, channels: 1, fill: .white)
        image.drawText("I", x: 3, y: 2, color: .black)
        for y in 0..<12 { for x in 0..<20 {
            let inGlyph = (3..<8).contains(x) && (2..<10).contains(y) && BitmapFont.isInk("I", column: x - 3, row: y - 2)
            XCTAssertEqual(image[x, y, 0], inGlyph ? 0 : 1, "pixel \(x),\(y)")
        } }
        // "I" is a full-height stem in its middle column.
        XCTAssertTrue((0..<7).allSatisfy { BitmapFont.isInk("I", column: 2, row: $0) })
    }

    func testScaledTextAndLabelSizes() throws {
        func ink(_ image: Image) -> Int { image.pixels.filter { $0 < 0.5 }.count }
        var small = try Image(width: 80, height: 20, channels: 1, fill: .white)
        var large = try Image(width: 80, height: 20, channels: 1, fill: .white)
        small.drawText("U-Net", x: 0, y: 0)
        large.drawText("U-Net", x: 0, y: 0, scale: 2)
        XCTAssertGreaterThan(ink(small), 20)
        XCTAssertEqual(ink(large), 4 * ink(small))

        XCTAssertEqual(BitmapFont.width(of: "input"), 29)
        let label = try Image.label("input", scale: 2, padding: 3)
        XCTAssertEqual([label.width, label.height, label.channels], [29 * 2 + 6, 8 * 2 + 6, 3])
        XCTAssertGreaterThan(label.pixels.filter { $0 < 0.5 }.count, 0)
    }
}

/// Montages with labels.
final class GridTests: XCTestCase {
    func testGridLayoutSizesAndPlacement() throws {
        let red = try Image(width: 4, height: 3, channels: 3, fill: Color(r: 1, g: 0, b: 0))
        let gray = try Image(width: 6, height: 5, channels: 1, fill: .gray(0.5))
        let sheet = try Image.grid([[red, gray], [gray]], gap: 2, background: .white)
        // Columns 6 and 6 wide, rows 5 and 5 tall, gaps of 2 around and between.
        XCTAssertEqual([sheet.width, sheet.height, sheet.channels], [2 + 6 + 2 + 6 + 2, 2 + 5 + 2 + 5 + 2, 3])
        // The red image is centered in its 6x5 cell: at (2 + 1, 2 + 1).
        XCTAssertEqual([sheet[3, 3, 0], sheet[3, 3, 1]], [1, 0])
        XCTAssertEqual([sheet[2, 2, 0], sheet[2, 2, 1]], [1, 1], "cell margin stays background")
        XCTAssertEqual(sheet[10, 2, 1], 0.5, "gray image at the second column")
        XCTAssertEqual(sheet[2, 9, 1], 0.5, "second row")
        XCTAssertEqual(sheet[10, 9, 1], 1, "missing cell stays background")
        XCTAssertEqual(try Image.grid([[gray]]).channels, 1, "all-gray grids stay gray")
        XCTAssertThrowsError(try Image.grid([]))
        XCTAssertThrowsError(try Image.grid([[gray]], columnLabels: ["a", "b"]))
    }

    func testLabelsAreDrawnAboveColumnsAndLeftOfRows() throws {
        let cell = try Image(width: 40, height: 20, channels: 1, fill: .gray(0.5))
        let plain = try Image.grid([[cell, cell]], gap: 2)
        let labeled = try Image.grid([[cell, cell]], gap: 2, columnLabels: ["input", "U-Net"], rowLabels: ["x"])
        let rowLabelWidth = BitmapFont.width(of: "x") + 2
        XCTAssertEqual(labeled.width, plain.width + rowLabelWidth)
        XCTAssertEqual(labeled.height, plain.height + BitmapFont.height() + 2)
        func inkIn(_ image: Image, x: Range<Int>, y: Range<Int>) -> Int {
            var count = 0
            for yy in y { for xx in x where image[xx, yy, 0] < 0.25 { count += 1 } }
            return count
        }
        let labelBand = 2..<(2 + BitmapFont.height())
        let firstColumn = (2 + rowLabelWidth)..<(2 + rowLabelWidth + 40)
        let secondColumn = (4 + rowLabelWidth + 40)..<(4 + rowLabelWidth + 80)
        XCTAssertGreaterThan(inkIn(labeled, x: firstColumn, y: labelBand), 10, "'input' above column 1")
        XCTAssertGreaterThan(inkIn(labeled, x: secondColumn, y: labelBand), 10, "'U-Net' above column 2")
        XCTAssertGreaterThan(inkIn(labeled, x: 0..<rowLabelWidth, y: labelBand.upperBound..<labeled.height), 3, "'x' left of the row")
        XCTAssertEqual(inkIn(plain, x: 0..<plain.width, y: 0..<plain.height), 0)
    }
}

/// Charts: right size, ink where the data is, sensible axes.
final class ChartTests: XCTestCase {
    private func pixels(of color: Color, in image: Image) -> [(x: Int, y: Int)] {
        var found = [(x: Int, y: Int)]()
        for y in 0..<image.height { for x in 0..<image.width
            where abs(image[x, y, 0] - color.r) < 1e-6 && abs(image[x, y, 1] - color.g) < 1e-6 && abs(image[x, y, 2] - color.b) < 1e-6 {
            found.append((x, y))
        } }
        return found
    }

    func testLineChartDrawsEachSeriesInItsColor() throws {
        var chart = LineChart(title: "Training loss", xLabel: "step", yLabel: "MSE")
        chart.addSeries("rising", points: (0...20).map { (x: Double($0), y: Double($0)) })
        chart.addSeries("flat", points: (0...20).map { (x: Double($0), y: 5) })
        let image = try chart.render(width: 320, height: 200)
        XCTAssertEqual([image.width, image.height, image.channels], [320, 200, 3])
        let rising = pixels(of: LineChart.color(ofSeries: 0), in: image)
        let flat = pixels(of: LineChart.color(ofSeries: 1), in: image)
        XCTAssertGreaterThan(rising.count, 200)
        XCTAssertGreaterThan(flat.count, 200)
        // Larger y is drawn higher: the rising line's left end sits lower than its right end.
        let left = rising.filter { $0.x < 120 }.map(\.y), right = rising.filter { $0.x > 250 }.map(\.y)
        XCTAssertGreaterThan(left.reduce(0, +) / max(1, left.count), right.reduce(0, +) / max(1, right.count))
        // The flat line is one horizontal band, 2 pixels thick (3 where its first point is marked);
        // x < 200 leaves out the legend swatch.
        let flatRows = Set(flat.filter { $0.x < 200 }.map(\.y))
        XCTAssertLessThanOrEqual(flatRows.count, 3)
    }

    func testLogChartCopesWithZerosNaNsAndSinglePoints() throws {
        var chart = LineChart(title: "Gradient norms", xLabel: "layer", yLabel: "norm", logY: true)
        chart.addSeries("with zero and NaN", points: [(1, 1e-4), (2, 0), (3, .nan), (4, 0.5)])
        chart.addSeries("one point", points: [(2, 3e-3)])
        let image = try chart.render(width: 300, height: 200)
        XCTAssertGreaterThan(pixels(of: LineChart.color(ofSeries: 0), in: image).count, 4)
        XCTAssertGreaterThan(pixels(of: LineChart.color(ofSeries: 1), in: image).count, 4)
        XCTAssertNoThrow(try LineChart().render(width: 160, height: 120), "an empty chart still renders")
        XCTAssertThrowsError(try chart.render(width: 100, height: 50))
    }

    func testAxisTicksAreNiceNumbers() {
        let linear = ChartAxis(covering: [0, 0.37], log: false)
        XCTAssertEqual(linear.labels, ["0", "0.1", "0.2", "0.3", "0.4"])
        let steps = ChartAxis(covering: [0, 1000], log: false)
        XCTAssertEqual(steps.labels, ["0", "200", "400", "600", "800", "1000"])
        let log = ChartAxis(covering: [0.003, 2, 0, -1], log: true)
        XCTAssertEqual(log.labels, ["0.001", "0.01", "0.1", "1", "10"])
        XCTAssertEqual(ChartAxis(covering: [1e-7, 1e-5], log: true).labels, ["1e-8", "1e-7", "1e-6", "1e-5"])
        XCTAssertEqual(ChartAxis.label(-0.25, step: 0.05), "-0.25")
        XCTAssertEqual(ChartAxis.scientific(2.5e-7), "2.5e-7")
        let single = ChartAxis(covering: [3, 3], log: false)
        XCTAssertLessThan(single.low, 3)
        XCTAssertGreaterThan(single.high, 3)
    }

    func testBarChartBarsGrowWithTheirValues() throws {
        var chart = BarChart(title: "Gradient norm per layer", valueLabel: "norm", logScale: true,
                             categories: ["conv1", "conv2"])
        try chart.addSeries("plain", values: [1e-4, 1e-1])
        let image = try chart.render(width: 400, height: 200)
        // Bar length = colored pixels per row; rows wider than the legend swatch (16) are bars.
        var widthOfRow = [Int: Int]()
        for p in pixels(of: LineChart.color(ofSeries: 0), in: image) { widthOfRow[p.y, default: 0] += 1 }
        let barRows = widthOfRow.filter { $0.value > 20 }.sorted { $0.key < $1.key }
        XCTAssertGreaterThan(barRows.count, 20, "two bars, each many rows tall")
        let first = barRows.first!.value, last = barRows.last!.value
        XCTAssertGreaterThan(first, 30, "1e-4 is a visible bar (the axis starts a decade lower)")
        XCTAssertGreaterThan(last, 3 * first, "0.1 is drawn much longer than 1e-4 (3 decades more)")
        XCTAssertThrowsError(try chart.addSeries("wrong", values: [1]))
    }

    /// A spread is drawn as a black whisker across its bar, from value - spread to value + spread;
    /// a spread of 0 draws none.
    func testBarChartWhiskersSpanTheSpread() throws {
        var chart = BarChart(categories: ["a", "b"])
        try chart.addSeries("with", values: [2, 2], spreads: [1, 0])
        let image = try chart.render(width: 400, height: 200)
        // Bar b's pixels (the lower half: the legend's swatch sits over bar a), as long as bar a.
        let colored = pixels(of: LineChart.color(ofSeries: 0), in: image)
        let bar = colored.filter { $0.y > image.height / 2 }
        let (barLeft, barRight) = (bar.map(\.x).min()!, bar.map(\.x).max()!)
        // In each row a bar covers, the longest run of black pixels right of the axis.
        var longest: [(y: Int, from: Int, to: Int)] = []
        for y in Set(colored.map(\.y)).sorted() {
            var best = (from: 0, to: -1), start: Int? = nil
            for x in (barLeft + 3)..<image.width {
                let black = image[x, y, 0] == 0 && image[x, y, 1] == 0 && image[x, y, 2] == 0
                if black, start == nil { start = x }
                if !black || x == image.width - 1, let s = start {
                    let end = black ? x : x - 1
                    if end - s > best.to - best.from { best = (s, end) }
                    start = nil
                }
            }
            longest.append((y, best.from, best.to))
        }
        let whiskers = longest.filter { $0.to - $0.from > 20 }
        XCTAssertEqual(whiskers.count, 1, "one whisker (category a; b's spread is 0)")
        // The bar spans 0 to 2 and the whisker 1 to 3: the same length, starting at the bar's middle.
        if let w = whiskers.first {
            XCTAssertEqual(Double(w.to - w.from), Double(barRight - barLeft), accuracy: 3)
            XCTAssertEqual(Double(w.from), Double(barLeft + barRight) / 2, accuracy: 3)
        }
        XCTAssertThrowsError(try chart.addSeries("wrong", values: [1, 2], spreads: [1]))
    }
}
