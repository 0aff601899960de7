import TensorCore

/// The comparisons the checks are made of. Each throws a `Mismatch` describing the first
/// problem, so a check reads as a list of expectations and stops at the first one that fails.
enum Expect {
    /// Values may differ by `absolute + relative * |expected|` (different summation orders round
    /// differently; a real bug is off by far more).
    static func tensor(_ got: Tensor, _ expected: Tensor, _ context: String,
                       absolute: Float = 1e-4, relative: Float = 1e-4) throws {
        guard got.shape == expected.shape else {
            throw Mismatch(context: context, summary: "shape \(got.shape), expected \(expected.shape)")
        }
        let g = got.values, e = expected.values
        var first: Int? = nil, worst = 0, worstDiff: Float = 0, differing = 0
        for i in 0..<e.count where g[i] != e[i] {
            let diff = abs(g[i] - e[i])
            if diff.isNaN || diff > absolute + relative * abs(e[i]) {  // NaN is always a difference
                differing += 1
                if first == nil { first = i }
            }
            if diff.isNaN && !worstDiff.isNaN || diff > worstDiff { (worst, worstDiff) = (i, diff) }
        }
        guard let firstBad = first else { return Progress.pass() }
        let shape = expected.shape
        let firstIndex = format(index: firstBad, shape: shape)
        let window = max(0, firstBad - 2)..<min(e.count, firstBad + 6)
        throw Mismatch(
            context: context,
            summary: "\(differing) of \(e.count) values differ; first at \(firstIndex): expected \(number(e[firstBad])), got \(number(g[firstBad]))",
            details: [
                "max |diff| \(number(worstDiff)) at \(format(index: worst, shape: shape))",
                "expected from \(format(index: window.lowerBound, shape: shape)): " + window.map { number(e[$0]) }.joined(separator: "  "),
                "got      from \(format(index: window.lowerBound, shape: shape)): " + window.map { number(g[$0]) }.joined(separator: "  "),
            ],
            maxDifference: worstDiff, firstIndex: firstIndex)
    }

    static func scalar(_ got: Float, _ expected: Float, _ context: String,
                       absolute: Float = 1e-4, relative: Float = 1e-4) throws {
        if got == expected { return Progress.pass() }  // also covers +infinity == +infinity
        let diff = abs(got - expected)
        guard diff <= absolute + relative * abs(expected) else {
            throw Mismatch(context: context, summary: "expected \(number(expected)), got \(number(got))",
                           maxDifference: diff.isNaN ? .nan : diff)
        }
        Progress.pass()
    }

    static func integer(_ got: Int, _ expected: Int, _ context: String) throws {
        guard got == expected else {
            throw Mismatch(context: context, summary: "expected \(expected), got \(got)",
                           maxDifference: Float(abs(got - expected)))
        }
        Progress.pass()
    }

    /// Passes when `body` throws for bad input, as the stubs promise (a `CourseError`; any error
    /// but a stub's `notStarted` is accepted: refusing is the point, not the error's type).
    static func refuses(_ context: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch where isNotStarted(error) {
            throw error
        } catch {
            return Progress.pass()
        }
        throw Mismatch(context: context, summary: "returned a result for bad input; it should throw a CourseError saying what is wrong")
    }

    static func that(_ condition: Bool, _ context: String, _ summary: @autoclosure () -> String) throws {
        if !condition { throw Mismatch(context: context, summary: summary()) }
        Progress.pass()
    }

    /// "[n, c, y, x]" for a flat offset into `shape`.
    static func format(index: Int, shape: [Int]) -> String {
        var rest = index, parts: [Int] = []
        for d in shape.reversed() {
            parts.append(d == 0 ? 0 : rest % d)
            rest = d == 0 ? 0 : rest / d
        }
        return "[" + parts.reversed().map(String.init).joined(separator: ", ") + "]"
    }

    /// A value rounded to 5 decimals for reading ("0.84557", "16"); tiny, huge and non-finite
    /// values as Swift prints them.
    static func number(_ x: Float) -> String {
        guard x.isFinite, x != 0, abs(x) >= 1e-3, abs(x) < 1e5 else { return x == 0 ? "0" : "\(x)" }
        let rounded = (Double(x) * 1e5).rounded() / 1e5
        return rounded == rounded.rounded() ? "\(Int(rounded))" : "\(rounded)"
    }
}
