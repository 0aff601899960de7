#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One chart axis: the value range it covers, its tick values, and the mapping from values to
/// pixels. Linear axes get "nice" ticks (1, 2 or 5 times a power of ten); log axes tick at powers
/// of ten. Shared by `LineChart` and `BarChart`.
struct ChartAxis {
    let isLog: Bool
    /// Range covered, in axis units (log10 of the value on a log axis).
    let low: Double, high: Double
    /// Tick positions, as data values.
    let ticks: [Double]
    /// Tick labels, same order as `ticks`.
    let labels: [String]

    /// An axis covering every finite value in `values` (positive ones only on a log axis).
    /// `includeZero` starts a linear axis at 0 (bar charts).
    /// `endAtData` ends a linear axis at the largest value instead of the next nice tick (a
    /// run of 650 steps on an axis to 650, not 800).
    init(covering values: [Double], log: Bool, includeZero: Bool = false, endAtData: Bool = false) {
        isLog = log
        let usable = values.filter { $0.isFinite && (!log || $0 > 0) }
        if log {
            let smallest = log10(usable.min() ?? 1)
            var lo = floor(smallest), hi = ceil(log10(usable.max() ?? 10))
            if smallest - lo < 1e-9 { lo -= 1 }  // keep the smallest value off the axis line (visible bars)
            if hi <= lo { hi = lo + 1 }
            let every = max(1.0, ceil((hi - lo) / 8))  // at most about 8 labelled decades
            lo = floor(lo / every) * every
            hi = ceil(hi / every) * every
            low = lo; high = hi
            let exponents = stride(from: lo, through: hi, by: every).map { $0 }
            ticks = exponents.map { pow(10, $0) }
            labels = exponents.map { ChartAxis.powerOfTenLabel(Int($0)) }
        } else {
            var lo = usable.min() ?? 0, hi = usable.max() ?? 1
            if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
            if hi - lo < 1e-12 * max(1, abs(hi)) {  // one value: open a window around it
                let pad = abs(hi) > 0 ? abs(hi) * 0.1 : 1
                lo -= pad; hi += pad
            }
            let step = ChartAxis.niceStep(for: (hi - lo) / 5)
            lo = floor(lo / step + 1e-9) * step
            let dataEnd = hi
            hi = ceil(hi / step - 1e-9) * step
            let count = Int(((hi - lo) / step).rounded())
            ticks = (0...count).map { lo + Double($0) * step }.filter { !endAtData || $0 <= dataEnd + 1e-9 * step }
            if endAtData { hi = dataEnd }
            low = lo; high = hi
            labels = ticks.map { ChartAxis.label($0, step: step) }
        }
    }

    /// Where `value` falls between pixel `start` (the axis minimum) and pixel `end` (the maximum);
    /// nil for values a log axis cannot show (zero, negative) and for non-finite values.
    func pixel(_ value: Double, from start: Int, to end: Int) -> Double? {
        guard value.isFinite, !isLog || value > 0 else { return nil }
        let v = isLog ? log10(value) : value
        return Double(start) + (v - low) / (high - low) * Double(end - start)
    }

    /// 1, 2 or 5 times a power of ten, at least `rough`.
    static func niceStep(for rough: Double) -> Double {
        let magnitude = pow(10, floor(log10(rough)))
        let residual = rough / magnitude
        return (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10) * magnitude
    }

    /// "0.25", "1200", "-3": as many decimals as the tick step needs; scientific for extremes.
    static func label(_ value: Double, step: Double) -> String {
        if abs(value) < step * 1e-6 { return "0" }
        let decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        if abs(value) >= 1e6 || decimals > 5 { return scientific(value) }
        return fixed(value, decimals: decimals)
    }

    /// `value` with exactly `decimals` digits after the point (no Foundation formatter needed).
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((abs(value) * Double(scale)).rounded())
        var text = String(scaled / scale)
        if decimals > 0 {
            let fraction = String(scaled % scale)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return (value < 0 && scaled != 0 ? "-" : "") + text
    }

    /// "2.5e-7": two significant decimals at most, trailing zeros dropped.
    static func scientific(_ value: Double) -> String {
        let exponent = Int(floor(log10(abs(value))))
        var mantissa = fixed(value / pow(10, Double(exponent)), decimals: 2)
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.hasSuffix(".") { mantissa.removeLast() }
        return mantissa + "e" + String(exponent)
    }

    /// "0.001", "1", "100" between 10^-3 and 10^4, else "1e-5", "1e6".
    static func powerOfTenLabel(_ exponent: Int) -> String {
        if exponent >= 0 && exponent <= 4 { return "1" + String(repeating: "0", count: exponent) }
        if exponent < 0 && exponent >= -3 { return "0." + String(repeating: "0", count: -exponent - 1) + "1" }
        return "1e" + String(exponent)
    }
}
