// Montages: the lessons' "input | target | prediction" sheets, one row per example, with optional
// column labels above and row labels on the left.

extension Image {
    /// Lays `rows` of images out in a table on a `background`, `gap` pixels apart and around.
    ///
    /// Each column is as wide as its widest image (or label), each row as tall as its tallest
    /// image; images are centered in their cells and rows may have different lengths. The result
    /// is gray (1 channel) if every image is gray, else RGB; alpha is dropped.
    /// `columnLabels` (at most one per column) are drawn above the columns, `rowLabels` (at most
    /// one per row) left of the rows, at `labelScale` times the 5x7 font.
    public static func grid(_ rows: [[Image]], gap: Int = 2, background: Color = .white,
                            columnLabels: [String] = [], rowLabels: [String] = [],
                            labelColor: Color = .black, labelScale: Int = 1) throws -> Image {
        let columnCount = rows.map(\.count).max() ?? 0
        guard columnCount > 0 else { throw PixelIOError("grid needs at least one image") }
        guard columnLabels.count <= columnCount, rowLabels.count <= rows.count else {
            throw PixelIOError("grid has \(rows.count) row(s) and \(columnCount) column(s) but "
                + "\(rowLabels.count) row label(s) and \(columnLabels.count) column label(s)")
        }
        guard gap >= 0 else { throw PixelIOError("grid gap must be 0 or more, not \(gap)") }
        let scale = max(1, labelScale)
        let textHeight = BitmapFont.height(scale: scale)

        var columnWidths = [Int](repeating: 0, count: columnCount)
        for row in rows { for (c, image) in row.enumerated() { columnWidths[c] = max(columnWidths[c], image.width) } }
        for (c, text) in columnLabels.enumerated() {  // a character's width apart, so labels never run together
            columnWidths[c] = max(columnWidths[c], BitmapFont.width(of: text + " ", scale: scale))
        }
        let rowHeights = rows.map { row in max(row.map(\.height).max() ?? 0, rowLabels.isEmpty ? 0 : textHeight) }
        let labelColumn = rowLabels.map { BitmapFont.width(of: $0, scale: scale) }.max().map { $0 + gap } ?? 0
        let labelRow = columnLabels.isEmpty ? 0 : textHeight + gap

        let width = gap + labelColumn + columnWidths.reduce(0, +) + gap * columnCount
        let height = gap + labelRow + rowHeights.reduce(0, +) + gap * rows.count
        let color = rows.joined().contains { $0.channels >= 3 }
        var sheet = try Image(width: width, height: height, channels: color ? 3 : 1, fill: background)

        var columnLefts = [Int]()
        var x = gap + labelColumn
        for w in columnWidths { columnLefts.append(x); x += w + gap }
        for (c, text) in columnLabels.enumerated() {
            let textWidth = BitmapFont.width(of: text, scale: scale)
            sheet.drawText(text, x: columnLefts[c] + (columnWidths[c] - textWidth) / 2, y: gap, color: labelColor, scale: scale)
        }
        var top = gap + labelRow
        for (r, row) in rows.enumerated() {
            if r < rowLabels.count {
                sheet.drawText(rowLabels[r], x: gap, y: top + (rowHeights[r] - textHeight) / 2, color: labelColor, scale: scale)
            }
            for (c, image) in row.enumerated() {
                try sheet.paste(image, x: columnLefts[c] + (columnWidths[c] - image.width) / 2,
                                y: top + (rowHeights[r] - image.height) / 2)
            }
            top += rowHeights[r] + gap
        }
        return sheet
    }
}
