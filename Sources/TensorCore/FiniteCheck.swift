/// Finds the first layer whose output or gradient holds a NaN or an infinity.
///
/// Containers (`Sequential`, models) call `check` after every child's forward and backward. It
/// costs nothing while disabled; when enabled it scans each tensor once and remembers only the
/// first offender, because everything downstream of it is poisoned too.
public enum FiniteCheck {
    /// Off by default: a full scan of every activation is cheap but not free.
    nonisolated(unsafe) public static var isEnabled = false
    /// The name passed to the first `check` that saw a non-finite value, e.g. "enc1.conv1 (backward)".
    nonisolated(unsafe) public static private(set) var firstOffender: String?

    /// Records `name` as the offender if checking is on, nothing was recorded yet and `t` holds a
    /// NaN or an infinity. The name is only built when it is needed.
    @inlinable
    public static func check(_ name: @autoclosure () -> String, _ t: Tensor) {
        guard isEnabled, firstOffender == nil, !t.allFinite else { return }
        record(name())
    }

    @usableFromInline static func record(_ name: String) { firstOffender = name }

    /// Forgets the offender, e.g. before the next training step.
    public static func reset() { firstOffender = nil }
}

extension Tensor {
    /// True when no value is NaN or ±infinity.
    ///
    /// `x - x` is 0 for every finite x and NaN for NaN and ±inf, so one branch-free SIMD pass and
    /// a single comparison at the end answer the question.
    public var allFinite: Bool {
        withUnsafeBufferPointer { p in
            let n = p.count
            guard let base = p.baseAddress else { return true }
            var acc = SIMD16<Float>()
            var i = 0
            while i + 16 <= n {
                let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<Float>.self)
                acc += v - v
                i += 16
            }
            var tail: Float = 0
            while i < n { tail += base[i] - base[i]; i += 1 }
            return acc.sum() == 0 && tail == 0
        }
    }

    /// Same as `allFinite`.
    public var isFinite: Bool { allFinite }
}
