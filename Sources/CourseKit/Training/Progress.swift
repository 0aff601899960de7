import Foundation

/// The live line a training run prints: step/total, loss, images per second and time left.
///
/// On a terminal the line is redrawn in place (`\r`) at most ten times a second. When stdout is a
/// file or a pipe (CI logs, `| tee`), carriage returns would pile up into one unreadable line, so
/// it prints a plain line every tenth of the run instead.
public final class ProgressLine {
    public let label: String
    public let total: Int
    public let isTerminal: Bool
    private let write: (String) -> Void
    private var lastDraw = -Double.infinity
    private var lastDecile = 0
    private var drawnWidth = 0

    /// Whether standard output is a terminal (not a file or a pipe).
    public static var stdoutIsTerminal: Bool { isatty(1) != 0 }

    /// - Parameters:
    ///   - label: names the run, e.g. the model ("unet").
    ///   - total: the number of steps.
    ///   - isTerminal: redraw one line in place (a terminal) or print a line every tenth of the run.
    ///   - write: where text goes (standard output by default; tests collect it).
    public init(label: String, total: Int, isTerminal: Bool = ProgressLine.stdoutIsTerminal,
                write: @escaping (String) -> Void = ProgressLine.writeToStandardOutput) {
        self.label = label
        self.total = max(total, 1)
        self.isTerminal = isTerminal
        self.write = write
    }

    /// Reports that `step` of `total` steps (1-based) are done after `elapsed` seconds, having
    /// processed `images` images; `loss` is the latest (or a smoothed) loss.
    public func update(step: Int, loss: Float, images: Int, elapsed: Double) {
        let line = Self.format(label: label, step: step, total: total, loss: loss, images: images, elapsed: elapsed)
        if isTerminal {
            guard step == total || elapsed - lastDraw >= 0.1 else { return }
            lastDraw = elapsed
            let padding = String(repeating: " ", count: max(0, drawnWidth - line.count))
            drawnWidth = line.count
            write("\r" + line + padding)
        } else {
            let decile = step * 10 / total
            guard decile > lastDecile || step == total else { return }
            lastDecile = decile
            write(line + "\n")
        }
    }

    /// A line of its own under the progress line (which goes on below it).
    public func note(_ text: String) {
        if isTerminal && drawnWidth > 0 { write("\n") }
        drawnWidth = 0
        write("\(label)  \(text)\n")
    }

    /// Ends the live line (on a terminal the cursor is still on it).
    public func finish() {
        if isTerminal && drawnWidth > 0 { write("\n") }
        drawnWidth = 0
    }

    /// "unet  step 120/1000  loss 0.01234  85 img/s  1m12s left"
    public static func format(label: String, step: Int, total: Int, loss: Float, images: Int, elapsed: Double) -> String {
        let rate = elapsed > 0 ? Double(images) / elapsed : 0
        let left = step > 0 ? elapsed / Double(step) * Double(total - step) : 0
        let width = String(total).count
        let stepText = String(repeating: " ", count: max(0, width - String(step).count)) + "\(step)/\(total)"
        return "\(label)  step \(stepText)  loss \(formatLoss(loss))  \(Int(rate.rounded())) img/s  "
            + (step >= total ? "done in \(formatDuration(elapsed))" : "\(formatDuration(left)) left")
    }

    /// Four significant digits: 0.01234, 1.234e-05.
    static func formatLoss(_ loss: Float) -> String {
        guard loss.isFinite else { return "\(loss)" }
        if loss != 0 && abs(loss) < 1e-3 { return String(format: "%.3e", Double(loss)) }
        let digits = max(0, 3 - Int(floor(log10(max(Double(abs(loss)), 1e-3)))))
        return String(format: "%.*f", digits, Double(loss))
    }

    /// "42s", "3m05s", "1h02m".
    public static func formatDuration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + (s % 60 < 10 ? "0" : "") + "\(s % 60)s" }
        return "\(s / 3600)h" + ((s / 60) % 60 < 10 ? "0" : "") + "\((s / 60) % 60)m"
    }

    public static func writeToStandardOutput(_ text: String) {
        fputs(text, stdout)
        fflush(stdout)
    }
}
