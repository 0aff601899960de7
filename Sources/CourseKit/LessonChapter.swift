import Foundation

/// Printing a lesson as a chapter: a title, paragraphs wrapped to the terminal's reading width,
/// small aligned tables. Lessons pass text with interpolated, just-measured numbers; nothing here
/// invents a number.
public enum Chapter {
    /// Reading width in columns.
    public static let width = 92

    /// "Lesson 2 — A plain conv stack" with a rule under it.
    public static func title(_ lesson: Int, _ title: String) {
        let line = "Lesson \(lesson) — \(title)"
        print("")
        print(line)
        print(String(repeating: "=", count: line.count))
    }

    /// A sub-heading between parts of the chapter.
    public static func heading(_ text: String) {
        print("")
        print(text)
        print(String(repeating: "-", count: text.count))
    }

    /// Prints `text` wrapped at `width`. Blank lines separate paragraphs; lines that start with
    /// spaces or "-" are printed as they are (lists, formulas).
    public static func tell(_ text: String) {
        print("")
        var paragraph: [String] = []
        func flush() {
            if !paragraph.isEmpty { print(wrap(paragraph.joined(separator: " "))) }
            paragraph = []
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                flush()
                print("")
            } else if line.hasPrefix(" ") || line.hasPrefix("-") || line.hasPrefix("|") {
                flush()
                print(line)
            } else {
                paragraph.append(line.trimmingCharacters(in: .whitespaces))
            }
        }
        flush()
    }

    /// Greedy word wrap at `width` columns.
    public static func wrap(_ text: String, width: Int = Chapter.width) -> String {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.joined(separator: "\n")
    }

    /// Prints the model `build` makes, layer by layer (see `ModelListing`), under `title`.
    public static func listing(_ title: String, parts: Parts = .builtIn, size: Int,
                               build: (Parts, inout SeededGenerator) -> Layer) {
        print("")
        print(title)
        table(ModelListing.rows(parts: parts, size: size, build: build))
    }

    /// Prints rows as aligned columns; the first row is the header. Numbers right-aligned, text left.
    public static func table(_ rows: [[String]], indent: Int = 2) {
        print(tableText(rows, indent: indent))
    }

    /// The text of `table`.
    public static func tableText(_ rows: [[String]], indent: Int = 2) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        let pad = String(repeating: " ", count: indent)
        var out: [String] = []
        for (r, row) in rows.enumerated() {
            let cells = row.enumerated().map { i, cell -> String in
                let space = String(repeating: " ", count: widths[i] - cell.count)
                let numeric = cell.first.map { $0.isNumber || (($0 == "-" || $0 == "+") && cell.dropFirst().first?.isNumber == true) } ?? false
                return i > 0 && numeric ? space + cell : cell + space
            }
            out.append(pad + cells.joined(separator: "  "))
            if r == 0 { out.append(pad + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        return out.joined(separator: "\n")
    }
}

/// `x` with `digits` decimals, for sentences and tables.
public func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
public func fmt(_ x: Float, _ digits: Int = 2) -> String { fmt(Double(x), digits) }

/// A signed difference, e.g. "+3.10".
public func signed(_ x: Double, _ digits: Int = 2) -> String { (x >= 0 ? "+" : "") + fmt(x, digits) }
